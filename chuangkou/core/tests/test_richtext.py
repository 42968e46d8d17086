import pytest

from chuangkou.core.richtext import clean_rich_text


@pytest.mark.parametrize("dangerous", [
    '<a href="javascript:alert(1)">链接</a>',
    '<a href=" JaVaScRiPt:alert(1)">链接</a>',
    '<a href="java&#x09;script:alert(1)">链接</a>',
    '<a href="data:text/html,&lt;script&gt;">链接</a>',
    '<a href="vbscript:msgbox(1)">链接</a>',
])
def test_script_links_lose_their_target(dangerous):
    cleaned = clean_rich_text(dangerous)
    assert "href" not in cleaned
    assert "链接" in cleaned


def test_scripts_and_handlers_are_removed():
    cleaned = clean_rich_text('<p onclick="steal()">通知</p><script>alert(1)</script>'
                              '<img src="x" onerror="alert(1)"><iframe src="//evil"></iframe>')
    assert cleaned == '<p>通知</p><img src="x"/>'


def test_stored_page_and_document_references_survive():
    html = ('<p><a linktype="page" id="12">政策</a> <a linktype="document" id="7">附件</a>'
            ' <a href="https://www.gov.cn/">中国政府网</a></p>'
            '<embed alt="会议现场" embedtype="image" format="fullwidth" id="5"/>')
    cleaned = clean_rich_text(html)
    assert '<a id="12" linktype="page">政策</a>' in cleaned
    assert '<a id="7" linktype="document">附件</a>' in cleaned
    assert '<a href="https://www.gov.cn/">中国政府网</a>' in cleaned
    assert 'embedtype="image"' in cleaned and 'alt="会议现场"' in cleaned


def test_forged_reference_attributes_are_dropped():
    cleaned = clean_rich_text('<a linktype="javascript" id="1 or 1=1">x</a>')
    assert cleaned == "<a>x</a>"


def test_malformed_markup_is_closed_and_text_escaped():
    assert clean_rich_text("<p>未闭合 <b>加粗") == "<p>未闭合 <b>加粗</b></p>"
    assert clean_rich_text("<p>1 < 2 & 3</p>") == "<p>1 &lt; 2 &amp; 3</p>"
