"""The pure content-check engine (保密审查辅助): markings, lexicon, expression rules, personal
data and references, with positive and negative cases."""

import pytest

from chuangkou.publishing.choices import FindingKind, Severity
from chuangkou.publishing.contentchecks import (
    CompiledRules,
    ExpressionPattern,
    ImageReference,
    LexiconTerm,
    Link,
    TextField,
    check_references,
    check_text,
    id_check_character,
    internal_path,
    is_valid_id_number,
    mask_personal_data,
    parse_rich_text,
    passes_luhn,
)


def make_id(first_seventeen: str) -> str:
    return first_seventeen + id_check_character(first_seventeen)


VALID_ID = make_id("11010519491231002")
VALID_CARD = "6222021234567890128"  # passes Luhn
LUHN_CARD_16 = "4111111111111111"


def kinds(findings):
    return [f.kind for f in findings]


def check(text, rules=None, label="正文"):
    return check_text([TextField(label, text)], rules or CompiledRules())


# --- GB 11643 ID numbers ---------------------------------------------------------------


def test_the_gb_11643_check_character_of_the_standard_example():
    # GB 11643-1999 appendix example: 11010519491231002X
    assert id_check_character("11010519491231002") == "X"
    assert is_valid_id_number("11010519491231002X")
    assert is_valid_id_number("11010519491231002x")


@pytest.mark.parametrize("number", [
    "110105194912310021",  # wrong check digit
    "990105194912310028",  # no such province
    "110105194913310020",  # month 13
    "110105189912310020",  # born before 1900
    "11010519491231002",  # 17 digits
])
def test_invalid_id_numbers_are_not_valid(number):
    assert not is_valid_id_number(number)


def test_a_valid_id_number_is_found_masked_and_hashed_never_in_full():
    findings = check(f"申请人身份证号{VALID_ID}，请核对。")
    assert kinds(findings) == [FindingKind.ID_NUMBER]
    finding = findings[0]
    assert finding.severity == Severity.BLOCKING
    assert finding.matched_text == VALID_ID[:4] + "*" * 10 + VALID_ID[-4:]
    assert VALID_ID not in finding.context and VALID_ID[4:14] not in finding.context
    assert finding.offset == 7 and finding.length == 18
    assert len(finding.fingerprint) == 64 and VALID_ID not in finding.fingerprint
    assert "个人信息保护法 第二十五条" in finding.rule


def test_the_same_id_number_always_has_the_same_fingerprint():
    first = check(f"甲{VALID_ID}")[0].fingerprint
    second = check(f"乙方：{VALID_ID}。")[0].fingerprint
    assert first == second


def test_an_id_number_with_a_wrong_check_digit_is_not_reported():
    wrong = VALID_ID[:17] + ("1" if VALID_ID[17] != "1" else "2")
    assert check(f"编号{wrong}") == []


def test_eighteen_digits_inside_a_longer_digit_run_are_not_an_id_number():
    assert FindingKind.ID_NUMBER not in kinds(check(f"流水号9{VALID_ID}7"))
    assert FindingKind.ID_NUMBER not in kinds(check(f"编码A{VALID_ID}B"))


# --- Mobile numbers, bank cards, e-mail ---------------------------------------------------


@pytest.mark.parametrize("text,masked", [
    ("联系电话13812345678。", "138****5678"),
    ("手机：+86 13812345678", "+86 138****5678"),
    ("电话 138-1234-5678", "138-****-5678"),
])
def test_mobile_numbers_are_found_and_masked(text, masked):
    findings = check(text)
    assert kinds(findings) == [FindingKind.MOBILE_NUMBER]
    assert findings[0].matched_text == masked
    assert findings[0].severity == Severity.WARNING


@pytest.mark.parametrize("text", [
    "热线12345678901234",  # longer digit run
    "座机0571-87654321",
    "编号12812345678",  # 12x is not a mobile prefix
    "共计138123456789元",  # 12 digits
])
def test_things_that_are_not_mobile_numbers(text):
    assert FindingKind.MOBILE_NUMBER not in kinds(check(text))


def test_luhn():
    assert passes_luhn(VALID_CARD)
    assert passes_luhn(LUHN_CARD_16)
    assert not passes_luhn("6222021234567890127")
    assert not passes_luhn("4111111111111112")
    assert not passes_luhn("")


def test_a_bank_card_passing_luhn_is_found_and_masked_also_with_spaces():
    findings = check(f"退款账户{VALID_CARD}")
    assert kinds(findings) == [FindingKind.BANK_CARD]
    assert findings[0].matched_text == VALID_CARD[:4] + "*" * 11 + VALID_CARD[-4:]
    spaced = "4111 1111 1111 1111"
    findings = check(f"卡号：{spaced}")
    assert kinds(findings) == [FindingKind.BANK_CARD]
    assert findings[0].matched_text == "4111 **** **** 1111"


def test_a_number_failing_luhn_is_not_a_bank_card():
    assert check("卡号6222021234567890127") == []


def test_an_id_number_that_also_passes_luhn_is_reported_once_as_an_id_number():
    for serial in range(100, 999):
        number = make_id(f"33010219800101{serial}")
        if passes_luhn(number):
            break
    findings = check(f"号码{number}")
    assert kinds(findings) == [FindingKind.ID_NUMBER]


def test_email_addresses_are_found_but_government_office_addresses_are_public():
    findings = check("请发送至 zhangsan@example.com 或 office@jyj.example.gov.cn")
    assert kinds(findings) == [FindingKind.EMAIL_ADDRESS]
    assert findings[0].matched_text == "z*******@example.com"


def test_mask_personal_data_keeps_the_length():
    text = f"身份证{VALID_ID}手机13812345678"
    masked = mask_personal_data(text)
    assert len(masked) == len(text)
    assert VALID_ID not in masked and "13812345678" not in masked


def test_contexts_of_other_findings_never_show_personal_data():
    rules = CompiledRules(lexicon=[LexiconTerm("刷单返利", "fraud", Severity.WARNING)])
    findings = check("刷单返利联系13812345678", rules)
    lexicon = next(f for f in findings if f.kind == FindingKind.LEXICON_TERM)
    assert "13812345678" not in lexicon.context
    assert "138****5678" in lexicon.context


# --- Classification markings (涉密不上网) -----------------------------------------------


@pytest.mark.parametrize("text,marked", [
    ("绝密★", "绝密★"),
    ("机密★1年", "机密★1年"),
    ("秘密★10年", "秘密★10年"),
    ("机 密 ★ 长期", "机 密 ★ 长期"),
    ("秘密☆", "秘密☆"),
    ("绝密★启用前", "绝密★启用前"),
    ("机密＊", "机密＊"),
    ("内部资料 注意保存", "内部资料 注意保存"),
    ("内部资料，注意保存", "内部资料，注意保存"),
    ("内部文件 请勿外传", "内部文件 请勿外传"),
])
def test_classification_markings_block_publication(text, marked):
    findings = check(f"正文开始{text}正文继续")
    assert kinds(findings) == [FindingKind.CLASSIFICATION_MARKING]
    assert findings[0].severity == Severity.BLOCKING
    assert findings[0].matched_text == marked
    assert findings[0].offset == 4
    assert "涉密不上网" in findings[0].rule


@pytest.mark.parametrize("text", [
    "商业机密保护", "保守国家秘密", "绝密级国家秘密的保密期限", "秘密地进行", "请注意保存好收据",
])
def test_words_about_secrets_without_a_marking_are_not_markings(text):
    assert FindingKind.CLASSIFICATION_MARKING not in kinds(check(text))


def test_internal_material_alone_is_a_warning():
    findings = check("本文系内部资料。")
    assert kinds(findings) == [FindingKind.CLASSIFICATION_MARKING]
    assert findings[0].severity == Severity.WARNING


# --- Lexicon (Aho-Corasick) -----------------------------------------------------------------


@pytest.fixture
def lexicon():
    return CompiledRules(lexicon=[
        LexiconTerm("赌博", "gambling", Severity.WARNING),
        LexiconTerm("网络赌博", "gambling", Severity.WARNING),
        LexiconTerm("非法集资", "illegal_fundraising", Severity.WARNING),
        LexiconTerm("集资诈骗", "fraud", Severity.BLOCKING),
        LexiconTerm("真人荷官", "gambling", Severity.BLOCKING),
        LexiconTerm("K粉", "drugs", Severity.WARNING),
    ], version="test")


def test_each_occurrence_is_reported_with_its_offset(lexicon):
    findings = check("赌博害人，远离赌博。", lexicon)
    assert [(f.matched_text, f.offset) for f in findings] == [("赌博", 0), ("赌博", 7)]
    assert all(f.rule == "gambling" for f in findings)


def test_a_term_inside_a_longer_term_is_reported_once_as_the_longer(lexicon):
    findings = check("打击网络赌博", lexicon)
    assert [(f.matched_text, f.offset) for f in findings] == [("网络赌博", 2)]


def test_partly_overlapping_terms_are_both_reported(lexicon):
    findings = check("涉嫌非法集资诈骗", lexicon)
    assert [(f.matched_text, f.offset, f.severity) for f in findings] == [
        ("非法集资", 2, Severity.WARNING), ("集资诈骗", 4, Severity.BLOCKING)]


def test_a_more_serious_term_inside_a_longer_one_is_still_reported():
    rules = CompiledRules(lexicon=[LexiconTerm("荷官在线", "gambling", Severity.WARNING),
                                   LexiconTerm("荷官", "gambling", Severity.BLOCKING)])
    assert [f.matched_text for f in check("荷官在线", rules)] == ["荷官在线", "荷官"]


def test_matching_ignores_ascii_case_and_full_width_forms(lexicon):
    findings = check("出售ｋ粉和k粉", lexicon)
    assert [(f.matched_text, f.offset) for f in findings] == [("ｋ粉", 2), ("k粉", 5)]


def test_no_lexicon_terms_no_findings(lexicon):
    assert check("示例市教育局部署秋季开学工作。", lexicon) == []


def test_findings_carry_a_masked_context_with_the_match_marked(lexicon):
    finding = check("为进一步加强管理，严厉打击真人荷官网络赌场等违法行为，特此通知如下。", lexicon)[0]
    assert "【真人荷官】" in finding.context


def test_location_is_the_field_label(lexicon):
    findings = check_text([TextField("标题", "关于真人荷官的通报"), TextField("正文", "无")],
                          lexicon)
    assert [(f.field_label, f.offset) for f in findings] == [("标题", 2)]


# --- Expression rules -------------------------------------------------------------------


@pytest.fixture
def expressions():
    return CompiledRules(expressions=[
        ExpressionPattern(FindingKind.WRONG_EXPRESSION, "国家计划委员会", "国家发展和改革委员会",
                          Severity.BLOCKING),
        ExpressionPattern(FindingKind.TYPO, "按装", "安装", Severity.NOTICE),
        ExpressionPattern(FindingKind.TYPO, "既使", "即使", Severity.NOTICE),
        ExpressionPattern(FindingKind.WRONG_EXPRESSION, "农业部(?!门)", "农业农村部",
                          Severity.BLOCKING, is_regex=True),
        ExpressionPattern(FindingKind.WRONG_EXPRESSION, "税务局", "国家税务总局税务局",
                          Severity.WARNING),
    ])


def test_outdated_official_names_are_serious_wrong_expressions(expressions):
    findings = check("经国家计划委员会批准", expressions)
    assert kinds(findings) == [FindingKind.WRONG_EXPRESSION]
    assert findings[0].suggestion == "国家发展和改革委员会"
    assert "国办秘函〔2019〕19号" in findings[0].rule


def test_typos_suggest_the_correction(expressions):
    findings = check("请按装软件，既使下雨也不停。", expressions)
    assert [(f.kind, f.matched_text, f.suggestion) for f in findings] == [
        (FindingKind.TYPO, "按装", "安装"), (FindingKind.TYPO, "既使", "即使")]


def test_correct_usage_is_not_a_typo(expressions):
    assert check("部署安装工作，即使下雨。", expressions) == []


def test_regex_rules_match_with_their_lookarounds(expressions):
    assert kinds(check("原农业部发布", expressions)) == [FindingKind.WRONG_EXPRESSION]
    assert check("各级农业部门", expressions) == []


def test_a_wrong_text_inside_its_own_correction_is_not_reported(expressions):
    assert check("国家税务总局税务局", expressions) == []
    assert kinds(check("向税务局申报", expressions)) == [FindingKind.WRONG_EXPRESSION]


# --- Rich text and references -----------------------------------------------------------------

RICH_TEXT = (
    '<p>请见<a linktype="page" id="3">通知</a>和<a linktype="document" id="7">附件</a>。</p>'
    '<p><embed embedtype="image" id="9" alt="" format="left"/>'
    '<a href="/news/missing/">旧链接</a><a href="https://www.gov.cn/">外链</a>&amp;</p>'
)


def test_parse_rich_text_gives_plain_text_and_references():
    parsed = parse_rich_text(RICH_TEXT, label="正文")
    assert parsed.plain_text == "请见通知和附件。\n旧链接外链&"
    assert [(link.kind, link.target, link.text, link.offset) for link in parsed.links] == [
        ("page", "3", "通知", 2), ("document", "7", "附件", 5),
        ("href", "/news/missing/", "旧链接", 9), ("href", "https://www.gov.cn/", "外链", 12)]
    assert parsed.images == [ImageReference(image_id=9, alt_text="", field_label="正文",
                                            offset=9)]


def test_offsets_in_rich_text_point_into_the_plain_text():
    rules = CompiledRules(lexicon=[LexiconTerm("赌博", "gambling", Severity.WARNING)])
    parsed = parse_rich_text("<p>第一段</p><p>远离<b>赌博</b></p>", label="正文")
    finding = check_text([TextField("正文", parsed.plain_text)], rules)[0]
    assert parsed.plain_text[finding.offset:finding.offset + finding.length] == "赌博"


def test_references_to_missing_pages_documents_images_and_paths_are_found():
    parsed = parse_rich_text(RICH_TEXT, label="正文")
    findings = check_references(links=parsed.links, images=parsed.images, live_page_ids=set(),
                                document_ids=set(), image_ids=set(), existing_paths=set())
    assert sorted(kinds(findings)) == sorted([
        FindingKind.BROKEN_LINK, FindingKind.MISSING_DOCUMENT, FindingKind.MISSING_IMAGE,
        FindingKind.IMAGE_WITHOUT_ALT, FindingKind.BROKEN_LINK])
    assert all(f.severity == Severity.WARNING for f in findings)


def test_existing_references_are_fine():
    parsed = parse_rich_text(RICH_TEXT.replace('alt=""', 'alt="会场照片"'), label="正文")
    findings = check_references(links=parsed.links, images=parsed.images, live_page_ids={3},
                                document_ids={7}, image_ids={9},
                                existing_paths={"/news/missing/"})
    assert findings == []


def test_internal_path_normalises_and_ignores_files_and_external_links():
    assert internal_path("/news/a") == "/news/a/"
    assert internal_path("/news/a/?page=2#top") == "/news/a/"
    assert internal_path("/documents/3/a.pdf") is None
    assert internal_path("https://example.com/") is None
    assert internal_path("//cdn.example.com/x") is None
    assert internal_path("mailto:a@example.com") is None


def test_images_without_alt_text():
    findings = check_references(
        links=[], images=[ImageReference(5, "  ", "图片替代文本（第1个文章图片）"),
                          ImageReference(6, "会场", "图片替代文本（第2个文章图片）")],
        live_page_ids=set(), document_ids=set(), image_ids={5, 6})
    assert [(f.kind, f.field_label) for f in findings] == [
        (FindingKind.IMAGE_WITHOUT_ALT, "图片替代文本（第1个文章图片）")]


def test_links_are_not_checked_against_paths_when_no_lookup_is_given():
    findings = check_references(links=[Link("href", "/x/", "x", "正文", 0)], images=[],
                                live_page_ids=set(), document_ids=set(), image_ids=set())
    assert findings == []


def test_an_empty_text_has_no_findings():
    assert check_text([TextField("正文", ""), TextField("标题", "   ")]) == []


def test_offsets_stay_right_after_characters_outside_the_basic_plane():
    rules = CompiledRules(lexicon=[LexiconTerm("赌博", "gambling", Severity.WARNING),
                                   LexiconTerm("𠀀字", "other", Severity.WARNING)])
    text = "😀𠀀字远离赌博"
    findings = check(text, rules)
    assert [(f.matched_text, f.offset) for f in findings] == [("𠀀字", 1), ("赌博", 5)]
    assert all(text[f.offset:f.offset + f.length] == f.matched_text for f in findings)


def test_a_term_never_matches_across_character_boundaries():
    # 瓣城城 is 74E3 57CE 57CE in UTF-16; from its second byte it reads E357 CE57.
    rules = CompiledRules(lexicon=[LexiconTerm("\ue357\uce57", "other", Severity.WARNING)])
    assert check("瓣城城", rules) == []
