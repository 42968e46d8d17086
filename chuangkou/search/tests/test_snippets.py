"""Highlighting and snippets: matches on the normalised form, original characters shown,
everything escaped."""

import re
import unicodedata

from chuangkou.search.snippets import ELLIPSIS, SAFE_CHARACTERS, highlight, mark

FILLER = "本条例所称的政府信息，是指行政机关在履行行政管理职能过程中制作或者获取的，以一定形式记录、保存的信息。"


def visible(html: str) -> str:
    """The text a reader sees: tags removed, entities left (they are part of the escaping)."""
    return re.sub(r"</?mark>", "", html)


def test_mark_escapes_script_tags_and_ampersands_from_citizens():
    html = mark('<script>alert("x")</script> 社保 & 医保', ["社保"])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&amp; 医保" in html
    assert "<mark>社保</mark>" in html


def test_mark_does_not_let_a_term_inject_markup():
    html = mark("a<b>c", ["<b>"])
    assert html == "a<mark>&lt;b&gt;</mark>c"


def test_simplified_term_marks_traditional_characters_as_written():
    assert mark("申領養老保險待遇", ["养老保险"]) == "申領<mark>養老保險</mark>待遇"


def test_traditional_term_marks_simplified_text():
    assert mark("申领养老保险待遇", ["養老保險"]) == "申领<mark>养老保险</mark>待遇"


def test_full_width_letters_and_digits_are_marked_for_half_width_terms():
    assert mark("ＡＢＣ公司２０２５年", ["abc", "2025"]) == "<mark>ＡＢＣ</mark>公司<mark>２０２５</mark>年"


def test_character_that_nfkc_expands_maps_back_to_the_original_character():
    # ⑴ normalises to "(1)": the mark wraps the one original character, and what follows
    # lines up again.
    assert mark("第⑴项社保", ["1", "社保"]) == "第<mark>⑴</mark>项<mark>社保</mark>"


def test_latin_terms_match_whole_words_only():
    assert mark("Tax, taxation and TAX", ["tax"]) == (
        "<mark>Tax</mark>, taxation and <mark>TAX</mark>")


def test_longest_term_is_marked_where_terms_overlap():
    assert mark("医疗保险和医疗救助", ["医疗", "医疗保险"]) == (
        "<mark>医疗保险</mark>和<mark>医疗</mark>救助")


def test_mark_without_terms_is_the_escaped_text():
    assert mark("a & b", []) == "a &amp; b"
    assert mark("", ["社保"]) == ""


def test_short_text_is_shown_whole_without_ellipsis():
    assert highlight("办理社保卡", ["社保"]) == "办理<mark>社保</mark>卡"


def test_window_is_about_the_requested_length_with_ellipses_where_cut():
    text = FILLER * 3 + "申请社会保障卡需要携带身份证。" + FILLER * 3
    html = highlight(text, ["社会保障卡"], length=60)
    assert html.startswith(ELLIPSIS) and html.endswith(ELLIPSIS)
    assert "<mark>社会保障卡</mark>" in html
    assert len(visible(html)) <= 60 + 2 * len(ELLIPSIS) + 10


def test_window_holding_most_distinct_terms_wins_over_earlier_single_term():
    text = ("养老保险" + FILLER) * 3 + "养老保险与医疗保险的缴费基数。" + FILLER * 3
    html = highlight(text, ["养老保险", "医疗保险"], length=40)
    assert "<mark>养老保险</mark>与<mark>医疗保险</mark>" in html


def test_window_starts_after_a_sentence_end_close_before_the_match():
    text = FILLER * 2 + "关于社保的说明。办理社保需要预约。" + FILLER * 2
    html = highlight(text, ["预约"], length=40)
    assert visible(html).startswith(ELLIPSIS + "办理社保需要预约")


def test_without_a_match_the_snippet_is_the_beginning_of_the_text():
    text = FILLER * 5
    html = highlight(text, ["不存在的词"], length=30)
    assert html == FILLER[:30] + ELLIPSIS


def test_snippet_escapes_markup_inside_the_window_and_never_cuts_an_entity():
    text = FILLER * 2 + '<img src=x onerror="alert(1)">举报&投诉' + FILLER * 2
    html = highlight(text, ["投诉"], length=50)
    assert "<img" not in html
    assert "&quot;alert(1)&quot;&gt;举报&amp;<mark>投诉</mark>" in html
    assert not re.search(r"&[a-z]*$", visible(html).rstrip(ELLIPSIS))


def test_window_does_not_start_or_end_inside_a_latin_word():
    text = "abcdefghij " * 20 + "社保" + " klmnopqrst" * 20
    html = visible(highlight(text, ["社保"], length=40)).strip(ELLIPSIS)
    assert html.split(" ")[0] in ("", "abcdefghij")
    assert html.split(" ")[-1] in ("", "klmnopqrst")


def test_white_space_runs_are_shown_as_one_space():
    assert highlight("办理\n\n  社保\t卡", ["社保"]) == "办理 <mark>社保</mark> 卡"


def test_empty_text_gives_empty_snippet():
    assert highlight("", ["社保"]) == ""
    assert highlight("   ", ["社保"]) == ""


def test_safe_characters_are_left_alone_by_normalisation():
    """Characters outside this list are normalised one by one; inside it, they are assumed
    unchanged by NFKC and lower-casing. A wrong entry would make a match silently fail."""
    safe = re.compile(f"[{SAFE_CHARACTERS}]")
    changed = [hex(codepoint) for codepoint in range(0x30000)
               if safe.match(chr(codepoint))
               and (unicodedata.normalize("NFKC", chr(codepoint)).lower() != chr(codepoint)
                    or chr(codepoint).isspace())]
    assert changed == []
    assert not safe.match("Ａ") and not safe.match("，") and not safe.match("A")
