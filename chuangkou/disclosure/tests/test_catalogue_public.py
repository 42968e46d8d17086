"""The public catalogue (法定主动公开内容) and the metadata table on the article."""

from datetime import date

import pytest
from wagtail.models import Page

from chuangkou.disclosure.actions.catalogue import (
    add_catalogue_category,
    change_document_validity,
    create_disclosure_platform,
)
from chuangkou.disclosure.choices import DisclosureAttribute, Genre, Theme, Validity
from chuangkou.disclosure.models import DisclosureCataloguePage
from chuangkou.disclosure.tests.factories_catalogue import make_document, statutory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(cluster):
    """The city's platform (whole city in scope) with documents of three bodies."""
    platform = create_disclosure_platform(body=cluster.city, parent_page=cluster.portal.home_page)
    fees = add_catalogue_category(body=cluster.education, name="学校收费",
                                  parent=statutory("fees"))
    documents = {
        "enrolment": make_document(
            column=cluster.education_news, body=cluster.education,
            title="示例市教育局关于做好2026年义务教育招生入学工作的通知",
            document_number="示教发〔2026〕3号", genre=Genre.NOTICE,
            theme=Theme.SCIENCE_EDUCATION, written_on=date(2026, 4, 10),
            formed_on=date(2026, 4, 10), summary="明确公办民办学校同步招生和随迁子女入学办法"),
        "fees": make_document(
            column=cluster.education_news, body=cluster.education, category=fees,
            title="示例市教育局关于规范中小学服务性收费的通知",
            document_number="示教发〔2025〕12号", genre=Genre.NORMATIVE_DOCUMENT,
            theme=Theme.SCIENCE_EDUCATION, written_on=date(2025, 8, 20),
            formed_on=date(2025, 8, 20)),
        "health": make_document(
            column=cluster.health_news, body=cluster.health,
            title="示例市卫生健康委员会关于印发示例市传染病防控工作方案的通知",
            document_number="示卫发〔2026〕5号", genre=Genre.PLAN, theme=Theme.HEALTH_SPORTS,
            category=statutory("emergencies"), written_on=date(2026, 2, 3),
            formed_on=date(2026, 2, 3)),
        "district": make_document(
            column=cluster.district_news, body=cluster.district,
            title="东城区关于老旧小区改造项目的公告", genre=Genre.ANNOUNCEMENT,
            theme=Theme.CONSTRUCTION_ENVIRONMENT, category=statutory("major_projects"),
            written_on=date(2026, 1, 5), formed_on=date(2026, 1, 5)),
        "withheld": make_document(
            column=cluster.education_news, body=cluster.education, publish=False,
            title="示例市教育局内部工作分工方案", attribute=DisclosureAttribute.NOT_DISCLOSED,
            withheld_reason="属于内部事务信息，依《条例》第十六条不予公开。"),
        "draft": make_document(column=cluster.education_news, body=cluster.education,
                               publish=False, title="示例市教育局未发布的通知"),
    }
    page = DisclosureCataloguePage.objects.child_of(platform).get()
    return page, documents, fees


def listing(client, catalogue_page, **params):
    response = client.get(catalogue_page.url, params, HTTP_HOST="localhost")
    assert response.status_code == 200
    return response.content.decode()


def test_only_live_proactive_records_are_listed(client, catalogue):
    page, documents, _fees = catalogue
    html = listing(client, page)
    for key in ("enrolment", "fees", "health", "district"):
        assert documents[key].title in html
    assert documents["withheld"].title not in html
    assert documents["draft"].title not in html


def test_each_filter_works(client, cluster, catalogue):
    page, documents, _fees = catalogue
    assert_only = {
        "body": (cluster.health.pk, "health"),
        "category": (statutory("major_projects").pk, "district"),
        "theme": (Theme.HEALTH_SPORTS, "health"),
        "genre": (Genre.NORMATIVE_DOCUMENT, "fees"),
        "year": (2025, "fees"),
    }
    for name, (value, key) in assert_only.items():
        html = listing(client, page, **{name: value})
        titles = [d.title for k, d in documents.items() if k in ("enrolment", "fees", "health",
                                                                   "district")]
        shown = [title for title in titles if title in html]
        assert shown == [documents[key].title], name


def test_category_filter_includes_sub_categories(client, catalogue):
    page, documents, _fees = catalogue
    html = listing(client, page, category=statutory("fees").pk)
    assert documents["fees"].title in html and documents["enrolment"].title not in html


def test_filters_combine_and_validity_filters(client, cluster, catalogue):
    page, documents, _fees = catalogue
    change_document_validity(record=documents["fees"], validity=Validity.REPEALED,
                             changed_on=date(2026, 4, 10), replaced_by=documents["enrolment"])
    html = listing(client, page, body=cluster.education.pk, validity=Validity.VALID)
    assert documents["enrolment"].title in html and documents["fees"].title not in html
    html = listing(client, page, body=cluster.education.pk, year=2026, genre=Genre.PLAN)
    assert "没有符合条件的政府信息" in html


def test_search_matches_title_document_number_index_number_and_summary(client, catalogue):
    page, documents, _fees = catalogue
    enrolment = documents["enrolment"]
    for query in ("招生入学", "示教发〔2026〕3号", enrolment.index_number, "随迁子女"):
        html = listing(client, page, q=query)
        assert enrolment.title in html, query
        assert documents["health"].title not in html, query


def test_invalid_filters_are_ignored_with_a_message(client, catalogue):
    page, documents, _fees = catalogue
    html = listing(client, page, body="abc", category="999999", theme="nonsense", year="-1",
                   validity="x" * 500, page="zz")
    assert "部分筛选条件无效" in html
    assert documents["enrolment"].title in html


def test_listing_uses_a_constant_number_of_queries(client, cluster, catalogue,
                                                   django_assert_max_num_queries):
    page, _documents, _fees = catalogue
    listing(client, page)
    with django_assert_max_num_queries(40) as first:
        listing(client, page)
    for number in range(8):
        make_document(column=cluster.health_news, body=cluster.health,
                      title=f"示例市卫健委通知第{number}号")
    with django_assert_max_num_queries(len(first.captured_queries)):
        listing(client, page)


def test_article_shows_the_metadata_table_and_repealed_notice_links_the_replacement(
        client, catalogue):
    _page, documents, _fees = catalogue
    old, new = documents["fees"], documents["enrolment"]
    change_document_validity(record=old, validity=Validity.REPEALED,
                             changed_on=date(2026, 4, 10), replaced_by=new)
    article = Page.objects.get(pk=old.page_id)
    html = client.get(article.url, HTTP_HOST="localhost").content.decode()
    for text in ("公开目录信息", old.index_number, "示教发〔2025〕12号", "行政规范性文件",
                 "主动公开", "政府网站", "本文件已废止"):
        assert text in html, text
    new_path = Page.objects.get(pk=new.page_id).url_path.removeprefix("/portal")
    assert f'{new_path}">{new.index_number}' in html


def test_an_article_without_a_record_has_no_metadata_table(client, cluster):
    html = client.get(cluster.health_article.url, HTTP_HOST="localhost").content.decode()
    assert "公开目录信息" not in html


def test_article_fragment_hook_renders_safe_html_and_escapes_plain_text(client, cluster):
    from django.utils.safestring import mark_safe
    from wagtail import hooks

    def fragments(*, request, page):
        return mark_safe("<aside id='fragment'>片段</aside>") if page.pk else ""

    def plain(*, request, page):
        return "<script>alert(1)</script>"

    with hooks.register_temporarily("article_fragments", fragments), \
            hooks.register_temporarily("article_fragments", plain):
        html = client.get(cluster.health_article.url, HTTP_HOST="localhost").content.decode()
    assert "<aside id='fragment'>片段</aside>" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
