"""Query understanding: what a citizen types becomes term groups (words, their pieces,
synonyms, pinyin readings), excluded words and 文号/索引号 codes; bad input never raises;
"did you mean" corrects same-sounding typos; suggestions complete Chinese and pinyin."""

import random
import time
from collections import Counter

import pytest

from chuangkou.search import query_parsing
from chuangkou.search.query_parsing import (
    MAX_QUERY_CHARACTERS,
    MAX_TERM_GROUPS,
    ParsedQuery,
    complete,
    did_you_mean,
    parse_query,
    synonym_map,
    to_engine_query,
)
from chuangkou.search.querying import Filters, TermGroup
from chuangkou.search.text import index_tokens
from chuangkou.search.vocabulary import Vocabulary

TITLES = [
    "社保卡申领流程",
    "社保卡挂失",
    "社保缴费证明打印",
    "城乡居民养老保险参保登记",
    "养老保险待遇领取",
    "养老金调整通知",
    "医疗保险报销",
    "住房公积金提取",
    "公积金贷款",
    "营业执照办理",
    "迁入户口",
    "设备采购公告",
    "政府信息公开条例",
    "PDF 下载说明",
    "PDF 表格",
]
# What the engine's document frequency would say: titles plus words only document texts hold.
ENGINE = Counter(term for title in TITLES for term in set(index_tokens(title)))
ENGINE.update({"迁移": 5, "户口": 4})

SYNONYMS = synonym_map(["医保，医疗保险", "社保、社会保险"])


@pytest.fixture(scope="module")
def vocabulary(tmp_path_factory):
    vocabulary = Vocabulary(tmp_path_factory.mktemp("vocabulary") / "vocabulary.sqlite3")
    vocabulary.add_texts(TITLES)
    vocabulary.add_terms(["医保", "一网通办"])
    vocabulary.commit()
    yield vocabulary
    vocabulary.close()


def sources(parsed: ParsedQuery) -> list[str]:
    return [group.source for group in parsed.groups]


def alternatives(parsed: ParsedQuery, word: str) -> tuple[tuple[str, ...], ...]:
    return next(group.alternatives for group in parsed.groups if group.source == word)


# Normalising and cutting ------------------------------------------------------------------

def test_traditional_query_becomes_simplified_words():
    parsed = parse_query("養老保險")
    assert parsed.text == "养老保险"
    assert sources(parsed) == ["养老保险"]


def test_full_width_letters_and_digits_become_half_width():
    parsed = parse_query("ＣＯＶＩＤ　２０２１")
    assert parsed.text == "covid 2021"
    assert sources(parsed) == ["covid", "2021"]


def test_a_long_query_is_cut_and_says_so():
    parsed = parse_query("养老" * 5_000)
    assert parsed.truncated
    assert len(parsed.text) <= MAX_QUERY_CHARACTERS
    assert not parse_query("养老保险").truncated


def test_a_ten_thousand_character_query_parses_fast(vocabulary):
    started = time.perf_counter()
    parsed = parse_query("养老保险，医保 shebao -失业 " * 500, synonyms=SYNONYMS,
                         vocabulary=vocabulary)
    assert time.perf_counter() - started < 0.25
    assert parsed.truncated and parsed.groups


def test_at_most_max_term_groups_words_are_kept_the_first_ones():
    words = ["养老", "医疗", "失业", "工伤", "生育", "住房", "教育", "交通", "环境", "卫生",
             "文化", "体育", "旅游", "农业"]
    parsed = parse_query(" ".join(words))
    assert sources(parsed) == words[:MAX_TERM_GROUPS]


def test_a_repeated_word_is_one_group():
    assert sources(parse_query("养老 养老 養老")) == ["养老"]


def test_invisible_characters_are_dropped_and_control_characters_separate_words():
    parsed = parse_query("\ud800养老\u200b保险\ufeff 医疗\t保险\x00失业")
    assert sources(parsed) == ["养老保险", "医疗", "保险", "失业"]


# Stop words, quotes, operators ------------------------------------------------------------

def test_stop_words_are_dropped():
    assert sources(parse_query("养老的保险和医疗")) == ["养老", "保险", "医疗"]
    assert sources(parse_query("the law of china")) == ["law", "china"]


def test_stop_words_are_kept_when_nothing_else_is_left():
    assert sources(parse_query("的")) == ["的"]
    assert sources(parse_query("和 与 及")) == ["和", "与", "及"]


@pytest.mark.parametrize("query", ['"养老 保险"', "“养老 保险”", "「养老 保险」", "『养老 保险』",
                                   "《养老 保险》", "＂养老 保险＂", '"养老 保险'])
def test_quoted_text_is_searched_like_the_rest(query):
    parsed = parse_query(query)
    assert sources(parsed) == ["养老", "保险"]
    assert not parsed.excluded


@pytest.mark.parametrize("character", [*'+*?~^:()[]{}"“”「」\\/!|&<>=@#%$', "（", "）", "："])
def test_query_syntax_characters_never_become_terms(character):
    parsed = parse_query(f"{character}养老{character} {character}{character} 保险{character}")
    assert sources(parsed) == ["养老", "保险"]
    assert parsed.excluded == ()


def test_upper_case_and_or_are_not_terms():
    parsed = parse_query("养老 AND 医疗 OR 失业")
    assert sources(parsed) == ["养老", "医疗", "失业"]


def test_not_excludes_the_next_word():
    parsed = parse_query("养老 NOT 失业")
    assert sources(parsed) == ["养老"]
    assert parsed.excluded == ("失业",)


def test_a_word_after_a_minus_is_excluded():
    parsed = parse_query("养老 -失业")
    assert sources(parsed) == ["养老"]
    assert parsed.excluded == ("失业",)


def test_an_excluded_quote_excludes_its_words():
    parsed = parse_query('养老 -"失业 保险"')
    assert sources(parsed) == ["养老"]
    assert parsed.excluded == ("失业", "保险")


def test_a_hyphen_inside_a_word_does_not_exclude():
    parsed = parse_query("养老-失业 covid-19")
    assert sources(parsed) == ["养老", "失业", "covid-19"]
    assert parsed.excluded == ()


def test_a_lone_minus_is_nothing():
    parsed = parse_query("养老 - --")
    assert sources(parsed) == ["养老"]
    assert parsed.excluded == ()


def test_excluding_a_searched_word_keeps_it_searched():
    parsed = parse_query("养老 -养老")
    assert sources(parsed) == ["养老"]
    assert parsed.excluded == ()


@pytest.mark.parametrize("query", ["", "   ", "AND OR NOT", "，。！？", "+-*/", "()[]{}", "“”「」",
                                   "😀🚀", "-失业", "NOT 失业", "\x00\x01", "_ __", "&& ||"])
def test_operator_or_punctuation_only_queries_are_empty(query):
    parsed = parse_query(query)
    assert parsed.is_empty
    assert parsed.groups == ()


def test_non_string_input_is_an_empty_query():
    assert parse_query(None).is_empty  # type: ignore[arg-type]


def test_random_junk_never_raises_and_answers_fast(vocabulary):
    rng = random.Random(8)  # noqa: S311 (reproducible junk, not secrets)
    alphabet = ('+-*?~^:()[]{}"“”「」『』《》!|&\\/.,，。、；：…—·' "'" " \t\n"
                "\x00\x01\x1b\x7f\u200b\u200d\ufeff\u3000\ud800\udfff\ue000"
                "😀🚀👍🏽🇨🇳ＡＢ１２AND OR NOT a z 0 9 养老保险医社宝 shebao ylbx 〔〕【】号")
    slowest = 0.0
    for _ in range(1_000):
        query = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        started = time.perf_counter()
        parsed = parse_query(query, synonyms=SYNONYMS, vocabulary=vocabulary)
        to_engine_query(parsed)
        did_you_mean(parsed, vocabulary=vocabulary, frequency=ENGINE.__getitem__)
        complete(query, vocabulary=vocabulary)
        slowest = max(slowest, time.perf_counter() - started)
        assert all(term and any(character.isalnum() for character in term)
                   for group in parsed.groups for alternative in group.alternatives
                   for term in alternative)
        assert not {"AND", "OR", "NOT"} & {group.source for group in parsed.groups}
    assert slowest < 1.0


# Alternatives of a word ---------------------------------------------------------------------

def test_a_long_word_may_also_match_as_the_pieces_the_index_holds():
    parsed = parse_query("政府信息公开")
    assert alternatives(parsed, "政府信息公开") == (("政府信息公开",), ("政府", "信息", "公开"))


def test_pieces_cover_the_whole_word_longest_first():
    parsed = parse_query("中华人民共和国")
    assert alternatives(parsed, "中华人民共和国") == (("中华人民共和国",),
                                                     ("中华", "人民", "共和国"))


def test_a_word_without_a_full_cover_has_no_pieces():
    assert alternatives(parse_query("12345热线"), "12345热线") == (("12345热线",),)
    assert alternatives(parse_query("社保"), "社保") == (("社保",),)


def test_synonyms_are_alternatives_with_their_pieces():
    parsed = parse_query("医保", synonyms=SYNONYMS)
    assert alternatives(parsed, "医保") == (("医保",), ("医疗保险",), ("医疗", "保险"))


def test_synonyms_work_from_either_side_and_from_traditional():
    parsed = parse_query("醫療保險", synonyms=SYNONYMS)
    assert ("医保",) in alternatives(parsed, "医疗保险")


def test_neighbouring_words_forming_a_synonym_are_one_word():
    synonyms = synonym_map(["社会保障卡，社保卡"])
    parsed = parse_query("社会保障卡", synonyms=synonyms)
    assert sources(parsed) == ["社会保障卡"]
    assert ("社保卡",) in alternatives(parsed, "社会保障卡")


def test_whole_pinyin_is_read_as_the_chinese_it_spells(vocabulary):
    parsed = parse_query("shebao", vocabulary=vocabulary)
    assert alternatives(parsed, "shebao")[:2] == (("shebao",), ("社保",))
    assert parsed.expansions[0][0] == "shebao" and "社保" in parsed.expansions[0][1]


def test_initials_are_read_as_the_chinese_they_abbreviate(vocabulary):
    parsed = parse_query("ylbx", vocabulary=vocabulary)
    assert parsed.expansions == (("ylbx", ("养老保险", "医疗保险")),)
    assert ("养老保险",) in alternatives(parsed, "ylbx")


def test_pinyin_of_a_synonym_brings_the_synonyms_too(vocabulary):
    parsed = parse_query("yibao", synonyms=SYNONYMS, vocabulary=vocabulary)
    assert ("医保",) in alternatives(parsed, "yibao")
    assert ("医疗保险",) in alternatives(parsed, "yibao")


def test_pinyin_typed_syllable_by_syllable_is_one_word(vocabulary):
    parsed = parse_query("she bao ka", vocabulary=vocabulary)
    assert sources(parsed) == ["shebaoka"]
    assert ("社保卡",) in alternatives(parsed, "shebaoka")


def test_a_word_the_titles_hold_literally_is_not_read_as_pinyin(vocabulary):
    parsed = parse_query("pdf", vocabulary=vocabulary)
    assert alternatives(parsed, "pdf") == (("pdf",),)
    assert parsed.expansions == ()


def test_letters_with_digits_and_words_without_a_vocabulary_are_not_pinyin(vocabulary):
    assert parse_query("sb2", vocabulary=vocabulary).expansions == ()
    assert parse_query("shebao").expansions == ()


def test_highlight_terms_hold_words_synonyms_and_readings_longest_first(vocabulary):
    parsed = parse_query("医保 shebao -失业", synonyms=SYNONYMS, vocabulary=vocabulary)
    terms = parsed.highlight_terms
    assert {"医保", "医疗保险", "shebao", "社保"} <= set(terms)
    assert "失业" not in terms
    assert [len(term) for term in terms] == sorted((len(term) for term in terms), reverse=True)


# 文号 and 索引号 ------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["国办发〔2017〕47号", "国办发[2017]47号", "国办发（2017）47号",
                                   "国办发(2017)47号", "国办发【2017】47号", "國辦發〔2017〕47號",
                                   "国办发 〔2017〕 47 号"])
def test_a_document_number_written_any_way_is_one_code(query):
    parsed = parse_query(query)
    assert parsed.codes == ("国办发〔2017〕47号",)


def test_a_document_number_stays_searchable_as_words():
    parsed = parse_query("国办发[2017]47号")
    assert sources(parsed) == ["国办发", "2017", "47", "号"]


def test_a_document_number_run_into_other_words_offers_each_reading():
    parsed = parse_query("关于国办发（2017）47号的通知")
    assert "国办发〔2017〕47号" in parsed.codes
    assert "关于国办发〔2017〕47号" in parsed.codes


def test_an_index_number_is_a_code():
    parsed = parse_query("索引号 11330100000000002X/2026-00003")
    assert parsed.codes == ("11330100000000002x/2026-00003",)
    assert "2026-00003" in sources(parsed)


def test_an_excluded_document_number_is_no_code():
    parsed = parse_query('养老 -"国办发〔2017〕47号"')
    assert parsed.codes == ()


def test_a_code_alone_is_not_an_empty_query():
    assert not ParsedQuery(raw="x", text="x", codes=("国办发〔2017〕47号",)).is_empty


# Synonym groups ---------------------------------------------------------------------------

def test_synonym_groups_split_on_commas_enumeration_commas_semicolons_and_space():
    synonyms = synonym_map(["医保，医疗保险", "社保、社会保险 社会保障", "公积金;住房公积金；公基金"])
    assert synonyms["医保"] == ("医疗保险",)
    assert synonyms["社保"] == ("社会保险", "社会保障")
    assert set(synonyms["住房公积金"]) == {"公积金", "公基金"}


def test_synonym_groups_sharing_a_term_merge():
    synonyms = synonym_map(["社保,社会保险", "社会保险,社会保障"])
    assert set(synonyms["社保"]) == {"社会保险", "社会保障"}
    assert set(synonyms["社会保障"]) == {"社保", "社会保险"}


def test_synonym_terms_are_normalised_and_single_terms_ignored():
    synonyms = synonym_map(["醫保，ＹＢ", "孤单", "", "  ，， "])
    assert synonyms == {"医保": ("yb",), "yb": ("医保",)}


# The engine query -------------------------------------------------------------------------

def test_the_engine_query_carries_groups_exclusions_codes_and_highlights():
    parsed = parse_query("养老 -失业 国办发[2017]47号")
    query = to_engine_query(parsed, filters=Filters(type="article", year=2024), offset=20,
                            limit=5, with_facets=False, match_any=True)
    assert query.groups == parsed.groups
    assert query.excluded == ("失业",)
    assert query.codes == ("国办发〔2017〕47号",)
    assert query.highlight_terms == parsed.highlight_terms
    assert (query.filters.type, query.filters.year) == ("article", 2024)
    assert (query.offset, query.limit, query.with_facets, query.match_any) == (20, 5, False, True)


def test_the_engine_query_of_an_empty_query_has_nothing_to_match():
    query = to_engine_query(parse_query("，。"))
    assert query.groups == () and query.codes == ()
    assert query.filters == Filters()


def test_negative_paging_is_clamped():
    query = to_engine_query(parse_query("养老"), offset=-5, limit=-1)
    assert (query.offset, query.limit) == (0, 0)


def test_groups_are_term_groups_with_their_source():
    group = parse_query("养老").groups[0]
    assert group == TermGroup(alternatives=(("养老",),), source="养老")


# Did you mean -------------------------------------------------------------------------------

def frequency(term: str) -> int:
    return ENGINE[term]


def test_a_typo_word_becomes_the_homophone_the_index_holds(vocabulary):
    parsed = parse_query("社宝卡")
    assert did_you_mean(parsed, vocabulary=vocabulary, frequency=frequency) == "社保卡"


def test_a_typo_inside_a_longer_query_keeps_the_other_words(vocabulary):
    parsed = parse_query("养老保线 -失业 待遇")
    assert did_you_mean(parsed, vocabulary=vocabulary, frequency=frequency) == \
        "养老保险 -失业 待遇"


def test_a_typo_cut_into_a_character_and_a_word_is_corrected_as_one(vocabulary):
    parsed = parse_query("公基金提取")
    assert sources(parsed)[:2] == ["公", "基金"]
    assert did_you_mean(parsed, vocabulary=vocabulary, frequency=frequency) == "公积金提取"


def test_one_character_is_swapped_for_a_same_sounding_one_the_index_holds(vocabulary):
    # 迁移 is in no title (so no homophone in the vocabulary) but in document texts; 迁 is a
    # character of the vocabulary (迁入).
    assert vocabulary.homophones("签移") == []
    parsed = parse_query("户口签移")
    assert did_you_mean(parsed, vocabulary=vocabulary, frequency=frequency) == "户口迁移"


def test_a_query_the_index_knows_gets_no_correction(vocabulary):
    for query in ("养老保险", "社保卡 挂失", "shebao", "的", "，。"):
        assert did_you_mean(parse_query(query), vocabulary=vocabulary,
                            frequency=frequency) is None


def test_a_word_is_kept_unless_the_replacement_is_much_more_frequent(vocabulary):
    parsed = parse_query("社宝卡")
    counts = {"社保卡": 5, "社宝卡": 1}
    assert did_you_mean(parsed, vocabulary=vocabulary,
                        frequency=lambda term: counts.get(term, 0)) is None
    counts["社保卡"] = 10
    assert did_you_mean(parsed, vocabulary=vocabulary,
                        frequency=lambda term: counts.get(term, 0)) == "社保卡"


def test_correcting_a_long_query_of_rare_words_asks_the_index_a_bounded_number_of_times(
        vocabulary, monkeypatch):
    monkeypatch.setattr(query_parsing, "_MAX_FREQUENCY_LOOKUPS", 10)
    asked = Counter()

    def counting(term: str) -> int:
        asked[term] += 1
        return ENGINE[term]

    parsed = parse_query("线险 险县 县现 现先 先限 限显 显宪 宪陷 陷献 献线 保线")
    assert did_you_mean(parsed, vocabulary=vocabulary, frequency=counting) is None
    assert sum(asked.values()) == 10  # without the budget the last word, 保线, becomes 保险
    assert max(asked.values()) == 1


def test_nothing_is_offered_when_no_same_sounding_term_is_known(vocabulary):
    parsed = parse_query("量子纠缠")
    assert did_you_mean(parsed, vocabulary=vocabulary, frequency=frequency) is None


# Suggestions as you type ----------------------------------------------------------------------

def test_a_chinese_prefix_completes(vocabulary):
    assert complete("养老", vocabulary=vocabulary)[:2] == ["养老保险", "养老金"]


def test_a_traditional_or_full_width_prefix_completes_alike(vocabulary):
    assert complete("養老", vocabulary=vocabulary) == complete("养老", vocabulary=vocabulary)
    assert complete("ｙａｎｇｌ", vocabulary=vocabulary) == complete("yangl", vocabulary=vocabulary)


def test_pinyin_and_initials_prefixes_complete_to_chinese(vocabulary):
    assert complete("yangl", vocabulary=vocabulary)[0] == "养老"
    assert "养老保险" in complete("ylb", vocabulary=vocabulary)


def test_the_words_before_the_last_are_kept(vocabulary):
    assert complete("办理 养老", vocabulary=vocabulary)[0] == "办理 养老保险"
    assert complete("办理养老", vocabulary=vocabulary)[0] == "办理养老保险"


def test_pinyin_words_before_the_last_are_shown_in_chinese(vocabulary):
    assert complete("shebao k", vocabulary=vocabulary)[0] == "社保卡"
    assert complete("shebao sheb", vocabulary=vocabulary)[0].startswith("社保 ")


def test_the_last_pieces_of_an_unfinished_word_are_completed(vocabulary):
    assert "养老保险" in complete("养老保", vocabulary=vocabulary)


def test_nothing_to_complete_gives_no_suggestions(vocabulary):
    for prefix in ("", "   ", "，。", "\ud800", "量子纠缠"):
        assert complete(prefix, vocabulary=vocabulary) == []
    assert complete("养老", vocabulary=vocabulary, limit=0) == []
