"""The Tantivy engine: matching, ranking, filters, facets, updates, generations and locking.
Small indexes in ``tmp_path``; no database."""

import datetime
import os
import pickle
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest

from chuangkou.search import engine
from chuangkou.search.documents import SearchDocument
from chuangkou.search.engine import (
    IndexLocked,
    IndexOutdated,
    IndexStore,
    SearchIndex,
    get_store,
    prepare_document,
)
from chuangkou.search.querying import EngineQuery, FacetCount, Filters, TermGroup
from chuangkou.search.text import query_tokens

TODAY = datetime.date.today()
REPOSITORY = Path(__file__).resolve().parents[3]


def document(key: str, title: str, text: str = "", **fields) -> SearchDocument:
    fields.setdefault("type", "article")
    fields.setdefault("url", f"/{key.replace(':', '/')}/")
    return SearchDocument(key=key, title=title, text=text, **fields)


def word(*terms: str) -> TermGroup:
    """A group with one alternative per term (each term alone matches)."""
    return TermGroup(alternatives=tuple((term,) for term in terms))


def find(index: SearchIndex, *groups: TermGroup, **options) -> list[str]:
    return [hit.key for hit in index.search(EngineQuery(groups=groups, **options)).hits]


def build(path: Path, documents: list[SearchDocument]) -> SearchIndex:
    index = SearchIndex(path)
    with index.writing() as writing:
        writing.upsert_many(documents)
    return index


def portal_documents() -> list[SearchDocument]:
    """Documents of several types, sites, bodies, years and columns."""
    return [
        document("page:1", "养老保险缴费标准调整的通知", "城乡居民养老保险缴费档次。",
                 date=datetime.date(2024, 3, 1), site_id=1, body_id=10, column_ids=(100, 101)),
        document("page:2", "医疗保险报销指南", "职工医疗保险和养老保险的报销。",
                 date=datetime.date(2023, 6, 1), site_id=1, body_id=11, column_ids=(100,)),
        document("service_item:3", "社会保障卡申领", "申领社会保障卡需要身份证。",
                 type="service_item", date=datetime.date(2025, 1, 5), site_id=2, body_id=10),
        document("disclosure:4", "关于印发养老服务体系规划的通知", "养老服务设施建设。",
                 type="disclosure_document", date=datetime.date(2024, 7, 1), site_id=2,
                 body_id=12, index_number="11110000000000000X/2024-00012",
                 document_number="京政发〔2024〕12号", category="规划计划", validity="有效"),
        document("disclosure:5", "关于养老机构管理的办法", "养老机构备案。",
                 type="disclosure_document", date=datetime.date(2019, 2, 1), site_id=2,
                 body_id=12, document_number="京政发〔2019〕3号", category="政策文件",
                 validity="废止"),
        document("letter:6", "咨询养老保险转移", "我想咨询养老保险关系转移接续。",
                 type="letter", date=datetime.date(2025, 2, 1), site_id=1),
    ]


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """Read by many tests, never changed: built once per module."""
    return build(tmp_path_factory.mktemp("portal") / "index", portal_documents())


@pytest.fixture
def writable_portal(tmp_path):
    return build(tmp_path / "portal", portal_documents())


# Matching


def test_every_group_must_match_by_default(portal):
    assert set(find(portal, word("养老保险"), word("报销"))) == {"page:2"}


def test_uncounted_search_returns_the_same_top_hits(portal):
    counted = portal.search(EngineQuery(groups=(word("养老"),), limit=2, with_facets=False))
    uncounted = portal.search(EngineQuery(groups=(word("养老"),), limit=2, with_facets=False,
                                          count_total=False))
    assert counted.total == 5
    assert [hit.key for hit in uncounted.hits] == [hit.key for hit in counted.hits]
    assert len(uncounted.hits) == 2 and uncounted.total >= 2  # a lower bound, not a count


def test_match_any_needs_only_one_group(portal):
    found = set(find(portal, word("社会保障"), word("报销"), match_any=True))
    assert found == {"service_item:3", "page:2"}


def test_an_alternative_matches_only_when_all_its_terms_occur(portal):
    group = TermGroup(alternatives=(("养老", "备案"),))
    assert find(portal, group) == ["disclosure:5"]


def test_a_synonym_alternative_finds_documents_without_the_word(portal):
    group = TermGroup(alternatives=(("社保卡",), ("社会保障", "卡")), source="社保卡")
    assert find(portal, group) == ["service_item:3"]


def test_excluded_terms_remove_documents(portal):
    found = set(find(portal, word("养老保险"), excluded=("报销", "转移")))
    assert found == {"page:1"}


def test_no_groups_and_no_codes_match_nothing(portal):
    result = portal.search(EngineQuery(excluded=("养老",)))
    assert (result.total, result.hits, result.facets) == (0, [], {})
    assert portal.search(EngineQuery(groups=(TermGroup(alternatives=((),)),))).total == 0


def test_document_number_written_with_square_brackets_finds_the_official_form(portal):
    result = portal.search(EngineQuery(codes=("京政发[2024]12号",)))
    assert [hit.key for hit in result.hits] == ["disclosure:4"]
    assert result.hits[0].document_number == "京政发〔2024〕12号"


def test_index_number_matches_exactly_and_ranks_first_among_term_matches(portal):
    result = portal.search(EngineQuery(groups=(word("养老"),),
                                       codes=("11110000000000000x/2024-00012",)))
    assert result.hits[0].key == "disclosure:4"
    assert result.total == 5


def test_code_matches_whatever_the_groups_say(portal):
    found = find(portal, word("社会保障"), codes=("京政发（2019）3号",))
    assert set(found) == {"service_item:3", "disclosure:5"}
    assert found[0] == "disclosure:5"


def test_traditional_query_finds_simplified_title(tmp_path):
    index = build(tmp_path / "index", [document("page:1", "养老保险待遇领取")])
    assert find(index, word(*query_tokens("養老保險"))) == ["page:1"]
    assert find(index, word("養老保險")) == ["page:1"]


def test_simplified_query_finds_traditional_and_full_width_text(tmp_path):
    index = build(tmp_path / "index", [document("page:1", "申領養老保險", "ＡＰＰ下載")])
    assert find(index, word("养老保险")) == ["page:1"]
    assert find(index, word("app")) == ["page:1"]


# Ranking


def test_title_match_ranks_above_body_match(tmp_path):
    same_day = datetime.date(2024, 1, 1)
    index = build(tmp_path / "index", [
        document("page:body", "工作动态", "本市公积金提取办法调整。" * 3, date=same_day),
        document("page:title", "公积金提取办法", "本市调整办法。", date=same_day),
    ])
    assert find(index, word("公积金")) == ["page:title", "page:body"]


def test_newer_document_wins_among_equally_relevant_ones(tmp_path):
    index = build(tmp_path / "index", [
        document("page:old", "居住证办理", "居住证办理流程", date=TODAY - datetime.timedelta(700)),
        document("page:new", "居住证办理", "居住证办理流程", date=TODAY - datetime.timedelta(3)),
        document("page:undated", "居住证办理", "居住证办理流程"),
    ])
    assert find(index, word("居住证")) == ["page:new", "page:old", "page:undated"]


def test_much_more_relevant_old_document_beats_weakly_relevant_new_one(tmp_path):
    filler = "本市有关部门开展工作，" * 30
    index = build(tmp_path / "index", [
        document("page:new", "工作简报", filler + "提及居住证。", date=TODAY),
        document("page:old", "居住证办理指南", "居住证申领条件和居住证办理流程。",
                 date=TODAY - datetime.timedelta(days=3650)),
    ])
    assert find(index, word("居住证")) == ["page:old", "page:new"]


def test_filters_do_not_change_scores(portal):
    query = EngineQuery(groups=(word("养老"),))
    scores = {hit.key: hit.score for hit in portal.search(query).hits}
    filtered = portal.search(EngineQuery(groups=(word("养老"),), filters=Filters(site_id=2)))
    assert filtered.hits
    for hit in filtered.hits:
        assert hit.score == pytest.approx(scores[hit.key])


# Filters and facets


@pytest.mark.parametrize(("filters", "expected"), [
    (Filters(type="disclosure_document"), {"disclosure:4", "disclosure:5"}),
    (Filters(site_id=1), {"page:1", "page:2", "letter:6"}),
    (Filters(column_id=101), {"page:1"}),
    (Filters(column_id=100), {"page:1", "page:2"}),
    (Filters(body_id=12), {"disclosure:4", "disclosure:5"}),
    (Filters(year=2025), {"letter:6"}),
    (Filters(category="规划计划"), {"disclosure:4"}),
    (Filters(validity="废止"), {"disclosure:5"}),
    (Filters(site_id=2, validity="有效"), {"disclosure:4"}),
    (Filters(site_id=-1), set()),
    (Filters(type="no_such_type"), set()),
])
def test_each_filter_restricts_the_results(portal, filters, expected):
    assert set(find(portal, word("养老"), filters=filters)) == expected


def test_facets_count_every_matching_document_not_only_the_page(portal):
    result = portal.search(EngineQuery(groups=(word("养老"),), limit=1))
    assert result.total == 5 and len(result.hits) == 1
    facets = {name: [(c.value, c.label, c.count) for c in counts]
              for name, counts in result.facets.items()}
    assert facets["type"] == [("disclosure_document", "政府信息公开", 2), ("article", "文章", 2),
                              ("letter", "政民互动", 1)]
    assert facets["site"] == [("1", "", 3), ("2", "", 2)]
    assert facets["body"] == [("12", "", 2), ("10", "", 1), ("11", "", 1)]
    assert facets["year"] == [("2024", "2024", 2), ("2025", "2025", 1), ("2023", "2023", 1),
                              ("2019", "2019", 1)]
    assert facets["category"] == [("政策文件", "政策文件", 1), ("规划计划", "规划计划", 1)]
    assert facets["validity"] == [("废止", "废止", 1), ("有效", "有效", 1)]


def test_facet_without_values_is_omitted_and_facets_can_be_skipped(portal):
    result = portal.search(EngineQuery(groups=(word("报销"),)))
    assert "category" not in result.facets and "validity" not in result.facets
    assert portal.search(EngineQuery(groups=(word("报销"),), with_facets=False)).facets == {}


def test_cached_facets_are_recounted_after_a_commit_and_returned_as_copies(
        writable_portal, monkeypatch):
    monkeypatch.setattr(engine, "FACET_CACHE_MIN_MATCHES", 0)
    query = EngineQuery(groups=(word("养老"),))
    first = writable_portal.search(query)
    first.facets["type"].clear()
    first.facets.pop("site")
    again = writable_portal.search(query)
    assert again.facets["type"] and again.facets["site"]
    assert again.total == 5
    with writable_portal.writing() as writing:
        writing.upsert(document("page:7", "养老金发放", site_id=1))
    recounted = writable_portal.search(query)
    assert recounted.total == 6
    assert recounted.facets["site"][0] == FacetCount(value="1", label="", count=4)


def test_filter_values_given_as_text_are_read_as_numbers(portal):
    assert set(find(portal, word("养老"), filters=Filters(site_id="2"))) == {
        "disclosure:4", "disclosure:5"}
    assert find(portal, word("养老"), filters=Filters(body_id="abc")) == []


def test_a_query_of_thousands_of_words_is_answered_within_a_second(portal):
    groups = (word("养老"), *(word(f"词{number}") for number in range(5000)))
    started = time.monotonic()
    result = portal.search(EngineQuery(groups=groups, excluded=("报销",) * 500))
    assert time.monotonic() - started < 1
    assert result.total == 0  # the words considered (the first 16) do not all occur
    any_of = portal.search(EngineQuery(groups=groups, match_any=True))
    assert any_of.total == 5


# Pagination


def test_offset_past_the_end_gives_no_hits_and_the_right_total(portal):
    result = portal.search(EngineQuery(groups=(word("养老"),), offset=50))
    assert (result.total, result.hits) == (5, [])
    huge = portal.search(EngineQuery(groups=(word("养老"),), offset=10**9, with_facets=False))
    assert (huge.total, huge.hits) == (5, [])


def test_pages_do_not_overlap_and_cover_every_match(portal):
    pages = [find(portal, word("养老"), offset=offset, limit=2) for offset in (0, 2, 4)]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert len({key for page in pages for key in page}) == 5
    assert find(portal, word("养老"), limit=5) == [key for page in pages for key in page]


# Results


def test_hit_carries_display_fields_with_marked_title_and_escaped_snippet(tmp_path):
    index = build(tmp_path / "index", [document(
        "letter:1", "<b>投诉</b>噪音扰民", "晚上<script>alert(1)</script>噪音很大 & 影响休息。",
        type="letter", date=datetime.date(2025, 5, 1), site_id=3, site_name="市政府",
        body_id=4, body_name="生态环境局")])
    hit = index.search(EngineQuery(groups=(word("噪音"),), highlight_terms=("噪音",))).hits[0]
    assert hit.title == "<b>投诉</b>噪音扰民"
    assert hit.title_html == "&lt;b&gt;投诉&lt;/b&gt;<mark>噪音</mark>扰民"
    assert hit.snippet_html == (
        "晚上&lt;script&gt;alert(1)&lt;/script&gt;<mark>噪音</mark>很大 &amp; 影响休息。")
    assert (hit.type, hit.url, hit.date) == ("letter", "/letter/1/", datetime.date(2025, 5, 1))
    assert (hit.site_id, hit.site_name, hit.body_id, hit.body_name) == (3, "市政府", 4, "生态环境局")
    assert hit.score > 0


def test_terms_of_the_groups_are_marked_when_no_highlight_terms_are_given(portal):
    hit = portal.search(EngineQuery(groups=(word("报销"),))).hits[0]
    assert "<mark>报销</mark>" in hit.title_html


def test_get_returns_the_document_or_none(portal):
    hit = portal.get("disclosure:4")
    assert hit is not None and hit.category == "规划计划" and hit.validity == "有效"
    assert portal.get("disclosure:404") is None


def test_doc_freq_counts_documents_holding_the_term_in_title_or_text(portal):
    assert portal.doc_freq("报销") == 1  # in the title and the text of one document
    assert portal.doc_freq("身份证") == 1  # text only
    assert portal.doc_freq("養老") == 5
    assert portal.doc_freq("") == 0


def test_terms_with_prefix_come_from_titles_most_frequent_first(portal):
    # Titles hold 养老 five times, 养老保险 twice (jieba's search mode keeps both).
    assert portal.terms_with_prefix("养老") == ["养老", "养老保险"]
    assert portal.terms_with_prefix("養老") == ["养老", "养老保险"]
    assert portal.terms_with_prefix("缴费档次") == []  # body text only
    assert portal.terms_with_prefix("") == []
    assert len(portal.terms_with_prefix("养", limit=2)) == 2


# Updates


def test_upsert_replaces_the_document_without_duplicates(writable_portal):
    with writable_portal.writing() as writing:
        writing.upsert(document("page:1", "住房公积金提取（草稿）", site_id=1))
        writing.upsert(document("page:1", "住房公积金提取", "提取条件。", site_id=1))
    assert writable_portal.count() == 6
    assert writable_portal.get("page:1").title == "住房公积金提取"
    assert find(writable_portal, word("公积金")) == ["page:1"]
    assert "page:1" not in find(writable_portal, word("缴费"))


def test_delete_removes_the_document(writable_portal):
    with writable_portal.writing() as writing:
        writing.delete("letter:6")
    assert writable_portal.get("letter:6") is None
    assert "letter:6" not in find(writable_portal, word("养老"))
    assert writable_portal.count() == 5


def test_delete_all_empties_the_index(writable_portal):
    with writable_portal.writing() as writing:
        writing.delete_all()
    assert writable_portal.count() == 0


def test_an_exception_while_writing_rolls_back_every_change(writable_portal):
    with pytest.raises(RuntimeError), writable_portal.writing() as writing:
        writing.delete("page:1")
        writing.upsert(document("page:9", "临时文件"))
        raise RuntimeError("boom")
    assert writable_portal.get("page:1") is not None and writable_portal.get("page:9") is None
    with writable_portal.writing() as writing:  # the writer's lock was released
        writing.delete("page:2")
    assert writable_portal.get("page:2") is None


def test_prepared_document_is_picklable_and_added_by_the_writer(tmp_path):
    prepared = SearchIndex.tokens_for(document("page:1", "不动产登记", "办理不动产登记。"))
    prepared = pickle.loads(pickle.dumps(prepared))  # noqa: S301 (what a worker pool does)
    index = SearchIndex(tmp_path / "index")
    with index.writing() as writing:
        writing.add_prepared(prepared)
    assert find(index, word("不动产")) == ["page:1"]


def test_whitespace_tokenizer_keeps_tokens_as_segmented(tmp_path):
    """The engine relies on Tantivy leaving the tokens of ``text.py`` alone: no lower-casing,
    no dropping of long tokens, no splitting at punctuation inside a token."""
    long_token = "长" * 60
    prepared = replace(prepare_document(document("page:1", "标题")),
                       text_tokens=f"ABC c++ 3.5 {long_token}")
    index = SearchIndex(tmp_path / "index")
    with index.writing() as writing:
        writing.add_prepared(prepared)
    searcher = index._index.searcher()
    assert [searcher.doc_freq("text", token) for token in ("ABC", "c++", "3.5", long_token)] == [
        1, 1, 1, 1]
    assert searcher.doc_freq("text", "abc") == 0


def test_index_written_with_another_schema_version_is_refused(tmp_path):
    SearchIndex(tmp_path / "index")
    (tmp_path / "index" / engine.VERSION_FILE).write_text('{"schema_version": 0}')
    with pytest.raises(IndexOutdated):
        SearchIndex(tmp_path / "index")


# Generations, other processes, locking


def test_current_creates_an_empty_generation_once(tmp_path):
    store = IndexStore(tmp_path / "search")
    first = store.current()
    assert first.count() == 0
    assert IndexStore(tmp_path / "search").current().path == first.path
    assert os.readlink(tmp_path / "search" / "current") == first.path.name


def test_publish_flips_current_and_old_readers_keep_working(tmp_path):
    store = IndexStore(tmp_path / "search")
    old = store.current()
    with old.writing() as writing:
        writing.upsert(document("page:1", "旧索引里的文件"))
    other_process = IndexStore(tmp_path / "search")  # another process's view of the store
    assert other_process.current().path == old.path

    new = store.new_generation()
    with new.writing() as writing:
        writing.upsert(document("page:2", "新索引里的文件"))
    store.publish(new)

    assert not old.path.exists()
    assert find(old, word("文件")) == ["page:1"]  # an open reader still answers
    assert store.current() is new
    assert find(other_process.current(), word("文件")) == ["page:2"]
    assert [path.name for path in (tmp_path / "search").glob("gen-*")] == [new.path.name]


def test_publish_refuses_an_index_outside_the_store(tmp_path):
    with pytest.raises(ValueError):
        IndexStore(tmp_path / "search").publish(SearchIndex(tmp_path / "elsewhere"))


def test_write_lock_times_out_with_index_locked(tmp_path):
    store = IndexStore(tmp_path / "search")
    with store.write_lock():
        started = time.monotonic()
        with pytest.raises(IndexLocked), store.write_lock(timeout=0.2):
            pass
        assert 0.15 <= time.monotonic() - started < 2
    with store.write_lock(timeout=0):
        pass


WRITER = textwrap.dedent("""
    import pickle, sys
    from pathlib import Path
    from chuangkou.search.engine import IndexStore
    store = IndexStore(Path(sys.argv[1]))
    with store.write_lock():
        print("locked", flush=True)
        sys.stdin.readline()
        with store.current().writing() as writing:
            writing.add_prepared(pickle.loads(Path(sys.argv[2]).read_bytes()))
    print("committed", flush=True)
""")


def test_another_processs_lock_and_commit_are_seen_here(tmp_path):
    root = tmp_path / "search"
    store = IndexStore(root)
    reader = store.current()
    prepared = tmp_path / "prepared.pickle"
    prepared.write_bytes(pickle.dumps(prepare_document(document("page:1", "跨进程提交的文件"))))
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(root), str(prepared)], cwd=REPOSITORY,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "locked"
        with pytest.raises(IndexLocked), store.write_lock(timeout=0.1):
            pass
        child.stdin.write("go\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "committed"
        committed = time.monotonic()
        while not find(store.current(), word("进程")) and time.monotonic() - committed < 3:
            time.sleep(0.05)
        assert find(store.current(), word("进程")) == ["page:1"]
        assert time.monotonic() - committed < 1.5
        assert store.current() is reader
        with store.write_lock(timeout=1):
            pass
    finally:
        child.stdin.close()
        child.wait(timeout=10)


def test_get_store_is_cached_per_root(tmp_path):
    assert get_store(tmp_path / "a") is get_store(tmp_path / "a")
    assert get_store(tmp_path / "a") is not get_store(tmp_path / "b")
