"""Search engine benchmark (检索引擎): rebuild rate and query latency through the Python API.

1. Rebuild: the corpus of ``search_corpus.py`` (default 200,000 documents; the issue's size is
   1,000,000) is segmented in a ``multiprocessing`` pool (one worker per usable core) with the
   engine's ``prepare_document`` and added by the one process holding the writer
   (``IndexWriting.add_prepared``), the vocabulary counted from the prepared title tokens, as
   a new generation of an ``IndexStore`` that is then published. Printed: documents per second
   for the whole corpus (start to committed and published), the time of the final commit, the
   index size on disk, and the CPU time per document with the rate it allows on idle cores (on
   a shared machine the wall clock measures the neighbours' work too). Target: >= 2,000
   documents/s.
2. Query latency, warm, one client, top 10: what ``queries.run_search`` does for the result
   list (``parse_query`` with the vocabulary, ``to_engine_query``, ``SearchIndex.search``),
   without facets, with facets counted for every query (the engine's facet cache off) and with
   that cache serving repeats, for
   - 2-term queries: two terms of one sampled document, each among the common but not the most
     common terms (document-frequency rank ``TWO_TERM_RANKS``);
   - 1-term very common queries: the ``ONE_TERM_COUNT`` terms of two or more characters with
     the highest document frequencies.
   Targets: 2-term p95 <= 20 ms, 1-term common p95 <= 40 ms. When one is missed, a breakdown
   (query building, Tantivy's top-k with and without counting, facets, re-ranking, building
   hits) says what dominates.

    .venv/bin/python benchmarks/search_engine.py                        # 200,000 documents
    .venv/bin/python benchmarks/search_engine.py --documents 1000000   # the issue's size
    .venv/bin/python benchmarks/search_engine.py --documents 1000000 --reuse-index  # queries only

The corpus and the index live under ``$BENCH_DIR`` (default ``/tmp/chuangkou-search-bench``):
``search-index-<N>/`` is an ``IndexStore`` root that ``search_http.py`` serves. ``--strict``
exits 1 when a target is missed; by default a missed target is reported, not a failure of
``make bench``.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import multiprocessing
import os
import platform
import pstats
import random
import resource
import shutil
import signal
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_corpus

from chuangkou.search import engine, text
from chuangkou.search.engine import (
    RERANK_WINDOW,
    IndexStore,
    PreparedDocument,
    SearchIndex,
    prepare_document,
)
from chuangkou.search.querying import EngineQuery
from chuangkou.search.vocabulary import Vocabulary

__all__ = ["QuerySet", "latency", "machine", "main", "pick_queries", "rebuild"]

TARGET_DOCS_PER_SECOND = 2_000
TARGET_TWO_TERM_P95_MS = 20.0
TARGET_ONE_TERM_P95_MS = 40.0
TWO_TERM_RANKS = (50, 3_000)
ONE_TERM_COUNT = 40
SAMPLE_DOCUMENTS = 20_000
VOCABULARY_FILE = "vocabulary.sqlite3"  # as replica.vocabulary_path names it


# ---------------------------------------------------------------------------------------------
# The machine
# ---------------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    memory_kib = next((int(line.split()[1])
                       for line in Path("/proc/meminfo").read_text().splitlines()
                       if line.startswith("MemTotal")), 0)
    found = {
        "cpu": cpu,
        "cores": f"{os.cpu_count()} ({len(os.sched_getaffinity(0))} usable)",
        "memory": f"{memory_kib / 2**20:.1f} GiB",
        "python": platform.python_version(),
    }
    for package in ("tantivy", "rjieba", "pypinyin", "opencc"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def busy_share(seconds: float = 1.0) -> float:
    """Share of the CPUs busy over ``seconds``: others' work skews every figure below."""

    def sample() -> tuple[int, int]:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        return sum(values), values[3] + values[4]

    total1, idle1 = sample()
    time.sleep(seconds)
    total2, idle2 = sample()
    return 1 - (idle2 - idle1) / max(total2 - total1, 1)


def directory_size(path: Path, *, exclude: Sequence[str] = ()) -> int:
    return sum(item.stat().st_size for item in path.rglob("*")
               if item.is_file() and item.name not in exclude)


# ---------------------------------------------------------------------------------------------
# Rebuild
# ---------------------------------------------------------------------------------------------


def _cpu_seconds() -> float:
    """CPU time of this process (all its threads) and of its finished child processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _prepare_chunk(chunk: search_corpus.CorpusChunk) -> list[PreparedDocument]:
    return [prepare_document(document) for document in search_corpus.load_chunk(chunk)]


@dataclass(frozen=True)
class RebuildFigures:
    documents: int
    seconds: float  # start to committed and published
    adding_seconds: float  # until the last document was handed to the writer
    commit_seconds: float  # the final commit, merges and reader reload
    vocabulary_seconds: float
    index_bytes: int
    vocabulary_bytes: int
    workers: int
    writer_threads: int
    peak_rss_mib: float
    cpu_seconds: float  # the writer process and the segmenting processes together

    @property
    def rate(self) -> float:
        return self.documents / self.seconds

    @property
    def cpu_rate(self) -> float:
        """Documents per second the CPU time allows on the usable cores when nothing else
        runs: what the wall-clock rate would be on an otherwise idle machine (an upper bound:
        it assumes the work spreads evenly over the cores)."""
        return self.documents / self.cpu_seconds * len(os.sched_getaffinity(0))


def rebuild(store: IndexStore, chunks: Sequence[search_corpus.CorpusChunk], *, workers: int,
            writer_threads: int, heap_bytes: int,
            progress: Callable[[str], None]) -> tuple[SearchIndex, RebuildFigures]:
    """A new generation from the corpus, published when complete."""
    total = sum(chunk.limit for chunk in chunks)
    text.index_tokens("预热")  # the dictionary is loaded before forking, once
    cpu_before = _cpu_seconds()
    # Fork the workers before the writer starts its threads.
    pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        started = time.perf_counter()
        index = store.new_generation()
        vocabulary = Vocabulary(index.path / VOCABULARY_FILE)
        added = 0
        last_report = started
        with index.writing(heap_size=heap_bytes, threads=writer_threads) as writing:
            for prepared_batch in pool.imap(_prepare_chunk, chunks):
                for prepared in prepared_batch:
                    writing.add_prepared(prepared)
                    vocabulary.add_document_terms(prepared.title_tokens.split())
                added += len(prepared_batch)
                now = time.perf_counter()
                if now - last_report > 15:
                    progress(f"  {added:,} / {total:,} documents added "
                             f"({added / (now - started):,.0f}/s)")
                    last_report = now
            adding_done = time.perf_counter()
        commit_done = time.perf_counter()
        vocabulary.add_terms(text.shipped_terms())
        vocabulary.commit()
        vocabulary.close()
        store.publish(index)
        finished = time.perf_counter()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.close()
        pool.join()
    figures = RebuildFigures(
        documents=added,
        seconds=finished - started,
        adding_seconds=adding_done - started,
        commit_seconds=commit_done - adding_done,
        vocabulary_seconds=finished - commit_done,
        index_bytes=directory_size(index.path, exclude=(VOCABULARY_FILE,
                                                        f"{VOCABULARY_FILE}-wal",
                                                        f"{VOCABULARY_FILE}-shm")),
        vocabulary_bytes=(index.path / VOCABULARY_FILE).stat().st_size,
        workers=workers,
        writer_threads=writer_threads,
        peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        cpu_seconds=_cpu_seconds() - cpu_before,
    )
    return index, figures


# ---------------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuerySet:
    name: str
    queries: tuple[str, ...]
    target_p95_ms: float


def _sample_documents(chunks: Sequence[search_corpus.CorpusChunk], count: int,
                      rng: random.Random) -> list[list[str]]:
    """The distinct index terms of ``count`` documents spread over the corpus."""
    picked = sorted(rng.sample(range(len(chunks)), min(len(chunks), 10)))
    per_chunk = -(-count // len(picked))
    samples = []
    for position in picked:
        documents = search_corpus.load_chunk(chunks[position])
        for document in rng.sample(documents, min(per_chunk, len(documents))):
            terms = text.index_tokens(f"{document.title} {document.keywords} {document.text}")
            samples.append(list(dict.fromkeys(terms)))
    return samples


def _is_query_word(term: str) -> bool:
    """What a citizen types as a word: two or more characters, Chinese, not a number."""
    return len(term) >= 2 and text.is_chinese(term) and not any(ch.isdigit() for ch in term)


def pick_queries(index: SearchIndex, chunks: Sequence[search_corpus.CorpusChunk], *,
                 two_term_count: int, seed: int) -> tuple[QuerySet, QuerySet, dict[str, int]]:
    rng = random.Random(f"search-engine-queries:{seed}")
    samples = _sample_documents(chunks, SAMPLE_DOCUMENTS, rng)
    sampled: Counter[str] = Counter(term for terms in samples for term in terms
                                    if _is_query_word(term))
    # The sample ranks candidates; the index gives their exact document frequencies.
    candidates = [term for term, _count in sampled.most_common(TWO_TERM_RANKS[1] * 2)]
    frequency = {term: index.doc_freq(term) for term in candidates}
    ranked = sorted(candidates, key=lambda term: (-frequency[term], term))
    # A query word is a word in its own right: one jieba's precise mode keeps whole, and not a
    # piece jieba's search mode cuts from a longer word that is nearly as frequent (中华, 华人
    # and 共和国 occur where 中华人民共和国 does: nobody searches for 华人 meaning that).
    ranked = [term for term in ranked if text.query_tokens(term) == [term]]
    top = ranked[:ONE_TERM_COUNT * 5]  # a nearly as frequent longer word ranks near its piece
    one_term = tuple([term for term in top if not any(
        term in longer and term != longer and frequency[longer] >= 0.9 * frequency[term]
        for longer in top)][:ONE_TERM_COUNT])
    common = set(ranked[TWO_TERM_RANKS[0]:TWO_TERM_RANKS[1]])
    pairs: list[str] = []
    seen: set[tuple[str, str]] = set()
    attempts = 0
    while len(pairs) < two_term_count and attempts < two_term_count * 200:
        attempts += 1
        terms = [term for term in rng.choice(samples) if term in common]
        if len(terms) < 2:
            continue
        first, second = rng.sample(terms, 2)
        if first in second or second in first or (first, second) in seen:
            continue
        seen.add((first, second))
        pairs.append(f"{first} {second}")
    return (
        QuerySet("2-term", tuple(pairs), TARGET_TWO_TERM_P95_MS),
        QuerySet("1-term very common", one_term, TARGET_ONE_TERM_P95_MS),
        frequency,
    )


def _engine_queries(queries: Sequence[str], vocabulary: Vocabulary, *,
                    with_facets: bool) -> list[EngineQuery]:
    from chuangkou.search.query_parsing import parse_query, to_engine_query

    return [to_engine_query(parse_query(query, vocabulary=vocabulary), limit=10,
                            with_facets=with_facets) for query in queries]


def _search_once(index: SearchIndex, vocabulary: Vocabulary, query: str,
                 with_facets: bool) -> int:
    from chuangkou.search.query_parsing import parse_query, to_engine_query

    parsed = parse_query(query, vocabulary=vocabulary)
    result = index.search(to_engine_query(parsed, limit=10, with_facets=with_facets))
    return result.total


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


@dataclass(frozen=True)
class Latency:
    name: str
    facets: str  # "no", "yes" (counted for every query) or "cached" (the engine's facet cache)
    timings_ms: tuple[float, ...]
    cpu_ms: tuple[float, ...]  # CPU time of the same queries (this process, all threads)
    mean_total: float
    target_p95_ms: float

    @property
    def p50(self) -> float:
        return statistics.median(self.timings_ms)

    @property
    def p95(self) -> float:
        return percentile(self.timings_ms, 0.95)

    @property
    def p99(self) -> float:
        return percentile(self.timings_ms, 0.99)

    @property
    def met(self) -> bool:
        return self.p95 <= self.target_p95_ms


@contextmanager
def facet_cache(index: SearchIndex, *, enabled: bool) -> Iterator[None]:
    """The engine keeps the facet counts of queries with many matches for a minute; "every
    query counted" measures with that cache emptied and switched off."""
    if enabled:
        yield
        return
    saved = getattr(engine, "FACET_CACHE_MIN_MATCHES", None)
    engine.FACET_CACHE_MIN_MATCHES = sys.maxsize
    cache = getattr(index, "_facet_cache", None)
    if cache is not None:
        cache.clear()
    try:
        yield
    finally:
        if saved is not None:
            engine.FACET_CACHE_MIN_MATCHES = saved


def latency(index: SearchIndex, vocabulary: Vocabulary, query_set: QuerySet, *,
            facets: str, passes: int) -> Latency:
    """Warm (one pass unmeasured), then ``passes`` measured passes, one query at a time."""
    with_facets = facets != "no"
    with facet_cache(index, enabled=facets == "cached"):
        for query in query_set.queries:
            _search_once(index, vocabulary, query, with_facets)
        timings: list[float] = []
        cpu: list[float] = []
        totals: list[int] = []
        for _ in range(passes):
            for query in query_set.queries:
                started, cpu_started = time.perf_counter(), time.process_time()
                total = _search_once(index, vocabulary, query, with_facets)
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - cpu_started) * 1000)
                totals.append(total)
    return Latency(query_set.name, facets, tuple(timings), tuple(cpu), statistics.fmean(totals),
                   query_set.target_p95_ms)


def breakdown(index: SearchIndex, vocabulary: Vocabulary, queries: Sequence[str], *,
              with_facets: bool) -> list[tuple[str, float]]:
    """Median milliseconds per step of ``SearchIndex.search`` (reaches into the engine's
    internals; steps the engine no longer has are left out)."""
    from chuangkou.search.query_parsing import parse_query

    steps: dict[str, list[float]] = {}
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        steps.setdefault(name, []).append((now - clock[0]) * 1000)
        clock[0] = now

    engine_queries = _engine_queries(queries, vocabulary, with_facets=with_facets)
    try:
        for raw, query in zip(queries, engine_queries, strict=True):
            clock[0] = time.perf_counter()
            parse_query(raw, vocabulary=vocabulary)
            lap("parse_query + to_engine_query")
            built = index._query(query)
            searcher = index._index.searcher()
            lap("build the Tantivy query")
            if with_facets:
                index._facets(searcher, built)
                lap("facets (aggregation over every match)")
            result = searcher.search(built, limit=RERANK_WINDOW, count=True)
            lap(f"top {RERANK_WINDOW} with count")
            searcher.search(built, limit=RERANK_WINDOW, count=False)
            lap(f"top {RERANK_WINDOW} without count (for comparison)")
            searcher.search(built, limit=10, count=False)
            lap("top 10 without count (for comparison)")
            ranked = index._rerank(searcher, result.hits)[:10]
            lap("recency re-rank")
            [index._hit(searcher, address, score, query.highlight_terms)
             for score, address in ranked]
            lap("10 hits (stored payload, snippet)")
    except AttributeError as error:
        return [(f"(breakdown unavailable: {error})", 0.0)]
    return [(name, statistics.median(values)) for name, values in steps.items()]


def profile(index: SearchIndex, vocabulary: Vocabulary, queries: Sequence[str], *,
            with_facets: bool) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for query in queries:
        _search_once(index, vocabulary, query, with_facets)
    profiler.disable()
    output = io.StringIO()
    pstats.Stats(profiler, stream=output).sort_stats("tottime").print_stats(8)
    lines = [line for line in output.getvalue().splitlines() if line.strip()]
    start = next((number for number, line in enumerate(lines) if "ncalls" in line), 0)
    return "\n".join("      " + line for line in lines[start:start + 9])


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _verdict(met: bool) -> str:
    return "meets" if met else "MISSES"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=int(os.environ.get(
        "BENCH_SEARCH_DOCUMENTS", search_corpus.DEFAULT_DOCUMENTS)))
    parser.add_argument("--seed", type=int, default=search_corpus.DEFAULT_SEED)
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)),
                        help="segmenting processes (default: one per usable core)")
    parser.add_argument("--writer-threads", type=int, default=1)
    parser.add_argument("--heap-mb", type=int, default=256, help="the writer's memory budget")
    parser.add_argument("--two-term-queries", type=int, default=300)
    parser.add_argument("--passes", type=int, default=2,
                        help="measured passes over each query set (after one warm-up pass)")
    parser.add_argument("--reuse-index", action="store_true",
                        help="query the index of an earlier run instead of rebuilding")
    parser.add_argument("--profile", action="store_true",
                        help="print the breakdown and a profile even when targets are met")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _raise_interrupt)  # stop the segmenting processes too

    print(f"Search engine benchmark (窗口 Chuangkou), {args.documents:,} documents", flush=True)
    busy_before = busy_share()
    started_at = dt.datetime.now().astimezone()
    began = time.perf_counter()
    chunks = search_corpus.corpus_chunks(args.documents, seed=args.seed)
    print(f"  corpus ready in {time.perf_counter() - began:.1f} s "
          f"({search_corpus.bench_dir() / 'search-corpus'})", flush=True)
    root = search_corpus.bench_dir() / f"search-index-{args.documents}"
    store = IndexStore(root)
    figures: RebuildFigures | None = None
    if args.reuse_index and (root / IndexStore.LINK).exists():
        index = store.current()
        print(f"  reusing the index in {index.path} ({index.count():,} documents)", flush=True)
    else:
        shutil.rmtree(root, ignore_errors=True)
        print(f"  rebuilding with {args.workers} segmenting processes ...", flush=True)
        index, figures = rebuild(store, chunks, workers=args.workers,
                                 writer_threads=args.writer_threads,
                                 heap_bytes=args.heap_mb * 2**20,
                                 progress=lambda line: print(line, flush=True))
    vocabulary = Vocabulary(index.path / VOCABULARY_FILE)
    two_term, one_term, frequency = pick_queries(index, chunks,
                                                 two_term_count=args.two_term_queries,
                                                 seed=args.seed)
    results = [latency(index, vocabulary, query_set, facets=facets, passes=args.passes)
               for query_set in (two_term, one_term) for facets in ("no", "yes", "cached")]
    busy_after = busy_share()

    lines = [
        "",
        "Search engine benchmark (窗口 Chuangkou)",
        "=" * 40,
        f"date:     {started_at.isoformat(timespec='seconds')}",
        f"data:     {index.count():,} documents (search_corpus.py, seed {args.seed}); "
        f"index {index.path}",
        "machine:  " + ", ".join(f"{key} {value}" for key, value in machine().items()),
        f"load:     CPUs {busy_before:.0%} busy before the run, {busy_after:.0%} after; "
        f"load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        "",
    ]
    if figures is not None:
        lines += [
            f"Rebuild ({figures.workers} segmenting processes, writer {figures.writer_threads} "
            f"thread(s), {args.heap_mb} MB heap):",
            f"  {figures.documents:,} documents in {figures.seconds:,.1f} s = "
            f"{figures.rate:,.0f} documents/s  (target >= {TARGET_DOCS_PER_SECOND:,}: "
            f"{_verdict(figures.rate >= TARGET_DOCS_PER_SECOND)})",
            f"  CPU time {figures.cpu_seconds:,.0f} s = "
            f"{figures.cpu_seconds / figures.documents * 1000:.2f} ms per document: "
            f"{figures.cpu_rate:,.0f} documents/s on {len(os.sched_getaffinity(0))} idle cores",
            f"  adding {figures.adding_seconds:,.1f} s, final commit {figures.commit_seconds:,.1f}"
            f" s, vocabulary write + publish {figures.vocabulary_seconds:,.1f} s",
            f"  index on disk {figures.index_bytes / 2**20:,.0f} MiB, vocabulary "
            f"{figures.vocabulary_bytes / 2**20:,.1f} MiB; writer process peak RSS "
            f"{figures.peak_rss_mib:,.0f} MiB",
            "",
        ]
    lines += [
        f"Query latency (Python API: parse_query + to_engine_query + SearchIndex.search, top 10, "
        f"warm, one client, {args.passes} measured passes after a warm-up pass):",
        "  (facets: no; yes = counted for every query; cached = the engine's facet cache, which "
        "keeps counts of queries with many matches for a minute, serves the repeats)",
        f"  {'queries':<22} {'facets':<7} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8} {'CPU p95':>8} {'mean hits':>10}  target p95",
    ]
    for result in results:
        lines.append(
            f"  {result.name:<22} {result.facets:<7} "
            f"{len(result.timings_ms):>6} {result.p50:>8.2f} {result.p95:>8.2f} "
            f"{result.p99:>8.2f} {max(result.timings_ms):>8.2f} "
            f"{percentile(result.cpu_ms, 0.95):>8.2f} {result.mean_total:>10,.0f}  "
            f"<= {result.target_p95_ms:.0f} ms: {_verdict(result.met)}")
    lines += [
        "  1-term terms (document frequency): " + ", ".join(
            f"{term} {frequency.get(term, 0):,}" for term in one_term.queries[:12]) + " ...",
        "  2-term examples: " + "; ".join(two_term.queries[:6]),
    ]
    missed = [result for result in results if not result.met]
    for result in (results if args.profile else missed):
        if result.facets == "cached":
            continue
        query_set = two_term if result.name == two_term.name else one_term
        with_facets = result.facets != "no"
        lines += ["", f"Where the time goes: {result.name}, facets {result.facets} "
                      f"(median ms per step)"]
        lines += [f"  {name:<48} {value:8.2f}" for name, value in breakdown(
            index, vocabulary, query_set.queries, with_facets=with_facets)]
        with facet_cache(index, enabled=False):
            lines += ["  profile (Python functions by own time):",
                      profile(index, vocabulary, query_set.queries, with_facets=with_facets)]
    rebuild_met = figures is None or figures.rate >= TARGET_DOCS_PER_SECOND
    if args.documents < search_corpus.FULL_DOCUMENTS:
        lines += ["", f"The issue's size: .venv/bin/python benchmarks/search_engine.py "
                      f"--documents {search_corpus.FULL_DOCUMENTS} "
                      f"(or BENCH_SEARCH_DOCUMENTS={search_corpus.FULL_DOCUMENTS})"]
    print("\n".join(lines), flush=True)
    vocabulary.close()
    all_met = rebuild_met and not missed
    return 1 if args.strict and not all_met else 0


if __name__ == "__main__":
    sys.exit(main())
