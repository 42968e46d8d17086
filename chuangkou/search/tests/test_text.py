"""Chinese text for search: one normalisation and one segmentation at index and query time
(NFKC, OpenCC t2s, jieba with the government terms), pinyin keys and 文号/索引号 forms."""

import pytest

from chuangkou.search import text


@pytest.fixture
def restore_user_terms():
    yield
    text.set_user_terms(())


def test_full_width_letters_digits_and_space_become_half_width():
    assert text.normalise("ＡＢＣ　１２３") == "abc 123"


def test_traditional_becomes_simplified():
    assert text.normalise("養老保險") == "养老保险"
    assert text.normalise("醫療保險報銷") == "医疗保险报销"


def test_runs_of_white_space_collapse_and_ends_are_trimmed():
    assert text.normalise("  养老 \t\n 保险  ") == "养老 保险"


def test_empty_text_normalises_to_empty():
    assert text.normalise("") == ""
    assert text.index_tokens("") == []
    assert text.query_tokens("   ") == []


def test_traditional_and_simplified_segment_alike():
    assert text.query_tokens("養老保險") == text.query_tokens("养老保险") == ["养老保险"]
    assert text.index_tokens("養老保險") == text.index_tokens("养老保险")


def test_search_mode_indexes_a_long_word_and_its_parts():
    tokens = text.index_tokens("政府信息公开条例")
    assert {"政府", "信息", "公开", "条例", "政府信息公开条例"} <= set(tokens)


def test_precise_mode_keeps_the_longest_words():
    assert text.query_tokens("政府信息公开条例") == ["政府信息公开条例"]


def test_shipped_government_terms_stay_whole():
    assert text.query_tokens("一网通办好差评") == ["一网通办", "好差评"]
    assert "一网通办" in text.index_tokens("推进一网通办")
    assert "好差评" in text.index_tokens("政务服务好差评")


def test_shipped_terms_file_has_no_comments_or_blank_lines():
    terms = text.shipped_terms()
    assert "一网通办" in terms and "好差评" in terms
    assert all(term and "#" not in term and term == term.strip() for term in terms)


def test_an_administrators_term_is_kept_whole_once_added(restore_user_terms):
    assert text.query_tokens("跨省通办专区") != ["跨省通办专区"]
    version = text.user_terms_version()
    text.set_user_terms(["跨省通办专区"])
    assert text.query_tokens("跨省通办专区") == ["跨省通办专区"]
    assert text.user_terms_version() == version + 1


def test_setting_the_same_user_terms_again_changes_nothing(restore_user_terms):
    text.set_user_terms(["跨省通办专区"])
    version = text.user_terms_version()
    text.set_user_terms(["跨省通办专区"])
    assert text.user_terms_version() == version


def test_removing_a_user_term_keeps_the_shipped_terms(restore_user_terms):
    text.set_user_terms(["跨省通办专区"])
    text.set_user_terms(())
    assert text.query_tokens("跨省通办专区") != ["跨省通办专区"]
    assert text.query_tokens("一网通办") == ["一网通办"]


@pytest.mark.parametrize("value", ["，。！？、；：“”‘’（）《》【】", "...!!!???", "—— …… ～",
                                   "+-*/^~:()[]{}", "😀🚀"])
def test_punctuation_and_symbols_are_never_tokens(value):
    assert text.index_tokens(value) == []
    assert text.query_tokens(value) == []


def test_punctuation_between_words_is_dropped():
    assert text.query_tokens("养老，医疗。失业！") == ["养老", "医疗", "失业"]
    assert text.index_tokens("《养老》") == ["养老"]


def test_pinyin_keys_give_whole_pinyin_and_initials():
    assert text.pinyin_keys("社保") == ("shebao", "sb")
    assert text.pinyin_keys("养老保险") == ("yanglaobaoxian", "ylbx")


def test_pinyin_keys_write_u_umlaut_as_v_like_input_methods():
    assert text.pinyin_keys("绿色") == ("lvse", "ls")


def test_pinyin_keys_of_traditional_match_simplified():
    assert text.pinyin_keys("養老") == text.pinyin_keys("养老")


def test_pinyin_keys_keep_letters_and_digits_and_drop_punctuation():
    whole, _initials = text.pinyin_keys("12345热线")
    assert whole == "12345rexian"
    assert text.pinyin_keys("社保，") == ("shebao", "sb")


def test_pinyin_keys_many_equal_pinyin_keys_term_by_term():
    terms = [*text.shipped_terms(), "银行", "行政", "重庆", "长期", "音乐", "绿色", "社保", "女性",
             "12345热线", "covid", "养老保险", "一网通办", "重新", "朝阳", "差额", "还款"]
    terms = [text.normalise(term) for term in terms]
    assert text.pinyin_keys_many(terms) == [text.pinyin_keys(term) for term in terms]


def test_character_readings_list_every_reading_usual_first():
    assert text.character_readings("行")[0] == "xing"
    assert "hang" in text.character_readings("行")
    assert text.character_readings("线") == ("xian",)


def test_character_readings_of_anything_but_one_chinese_character_are_empty():
    assert text.character_readings("a") == ()
    assert text.character_readings("社保") == ()
    assert text.character_readings("") == ()


def test_is_chinese():
    assert text.is_chinese("abc社保")
    assert not text.is_chinese("shebao 123")


@pytest.mark.parametrize("written", ["国办发〔2017〕47号", "国办发[2017]47号", "国办发（2017）47号",
                                     "国办发(2017)47号", "国办发【2017】47号", "国办发 〔2017〕 47号",
                                     "國辦發［２０１７］４７號"])
def test_document_numbers_written_any_way_normalise_to_one(written):
    assert text.normalise_code(written) == "国办发〔2017〕47号"


def test_index_numbers_normalise_to_lower_case_half_width():
    assert text.normalise_code("11330100000000002X／2026－00003") == \
        "11330100000000002x/2026-00003"
