"""Search through HTTP (检索接口端到端): latency of ``/api/v1/search/`` served by granian with
production settings, over the index ``search_engine.py`` builds, and the answers to bad input.

The index of ``search_engine.py`` for the same corpus size is reused (built first when missing;
default 200,000 documents, the issue's size is 1,000,000). The application runs as it does in
production: granian (``--workers 2 --blocking-threads 1``), ``chuangkou.settings.production``,
DEBUG off, a SQLite database under ``--var-dir`` (migrated here; no sites or bodies, so the
site and body facets come back unnamed and are dropped) and ``SEARCH_INDEX_DIR`` pointing at
the benchmark index. Each request is the whole path of a citizen's search: parameters
validated, ``queries.run_search`` (parse, search with facets, service items as direct answers,
"did you mean" when little is found), the query statistic written, JSON rendered.

One client on one keep-alive connection, for the query sets of ``search_engine.py``, after
``WARM_UP_QUERIES`` other 2-term queries have warmed the worker (index, dictionary, vocabulary,
database connection): 2-term queries, then 1-term very common terms asked for the first time
(facets counted) and once more (the engine keeps the facet counts of queries with many matches
for a minute). Target: 1-term very common p95 <= 60 ms. Then bad input (empty, 10,000 characters, operators or punctuation only,
malformed parameters and encodings): never a 5xx, answered within 1 s.

    .venv/bin/python benchmarks/search_http.py                        # 200,000 documents
    .venv/bin/python benchmarks/search_http.py --documents 1000000   # after search_engine.py

Every process started here runs in its own process group and is stopped at the end, on an error
and on Ctrl-C. ``--strict`` exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import statistics
import sys
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import page_delivery
import search_corpus
import search_engine

from chuangkou.search.engine import IndexStore

__all__ = ["BAD_INPUT", "main"]

TARGET_ONE_TERM_P95_MS = 60.0
TARGET_TWO_TERM_P95_MS = 60.0  # the issue names no HTTP target for 2-term; held to the same
BAD_INPUT_SECONDS = 1.0
WARM_UP_QUERIES = 40
API_PATH = "/api/v1/search/"
HOST = "localhost"

# (what it is, the query string after "?")
BAD_INPUT: tuple[tuple[str, str], ...] = (
    ("empty", "q="),
    ("no q at all", ""),
    ("only white space", "q=%20%E3%80%80%20"),
    ("10,000 characters", "q=" + urllib.parse.quote("养老保险" * 2500)),
    ("10,000 characters of pinyin", "q=" + "shebao" * 1667),
    ("operators only", "q=" + urllib.parse.quote('AND OR NOT + - * ? ~ ^ : ( ) " [ ] { } \\ /')),
    ("punctuation only", "q=" + urllib.parse.quote("，。！？、；：「」『』《》……——")),
    ("unbalanced quotes and brackets", "q=" + urllib.parse.quote('"养老 (保险 [社保 「医保')),
    ("lone minus", "q=-"),
    ("only excluded words", "q=" + urllib.parse.quote("-养老 -保险")),
    ("emoji and symbols", "q=" + urllib.parse.quote("🙂🙃💥✨ ☃ ♻")),
    ("control characters", "q=%01%02%1B%7F%0A%0D"),
    ("NUL byte", "q=%00"),
    ("invalid UTF-8", "q=%E4%B8%ff%fe"),
    ("lone surrogate", "q=%ED%A0%80"),
    ("page not a number", "q=" + urllib.parse.quote("社保") + "&page=abc"),
    ("page negative", "q=" + urllib.parse.quote("社保") + "&page=-1"),
    ("page far past the end", "q=" + urllib.parse.quote("社保") + "&page=100000"),
    ("page_size too large", "q=" + urllib.parse.quote("社保") + "&page_size=100000"),
    ("unknown type", "q=" + urllib.parse.quote("社保") + "&type=nonsense"),
    ("site not a number", "q=" + urllib.parse.quote("社保") + "&site=x"),
    ("year out of range", "q=" + urllib.parse.quote("社保") + "&year=99999"),
    ("repeated q", "q=a&q=b&q=" + urllib.parse.quote("社保")),
    ("SQL-looking", "q=" + urllib.parse.quote("' OR 1=1; DROP TABLE search_querystatistic; --")),
    ("HTML", "q=" + urllib.parse.quote("<script>alert(1)</script>")),
    ("a 文号 with odd brackets", "q=" + urllib.parse.quote("示政〔2024【12]号")),
)


# ---------------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------------


def _environment(var_dir: Path, index_root: Path, secret_key: str,
                 database_url: str | None) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    environment.update({
        "DJANGO_SETTINGS_MODULE": "chuangkou.settings.production",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback; TLS is the proxy's
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
        "CHUANGKOU_VAR_DIR": str(var_dir),
        "SEARCH_INDEX_DIR": str(index_root),
        # Production refuses to start without them; nothing personal is stored here.
        "PERSONAL_DATA_KEYS": f"bench:{secrets.token_hex(16)}",
        "PERSONAL_DATA_INDEX_KEY": secrets.token_hex(16),
    })
    if database_url:
        environment["DATABASE_URL"] = database_url
    return environment


class Client:
    """One keep-alive connection, reopened when the server closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection: http.client.HTTPConnection | None = None

    def get(self, path: str, timeout: float = 30.0) -> tuple[int, bytes, float]:
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port,
                                                             timeout=timeout)
            started = time.perf_counter()
            try:
                self.connection.request("GET", path, headers={
                    "Host": HOST, "Accept": "application/json"})
                response = self.connection.getresponse()
                body = response.read()
            except (http.client.HTTPException, OSError):
                self.close()
                if attempt:
                    raise
                continue
            elapsed = time.perf_counter() - started
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return response.status, body, elapsed
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def wait_until_serving(port: int, process, log: Path, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    client = Client(port)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"granian exited with {process.returncode}:\n"
                               f"{page_delivery.tail(log)}")
        try:
            status, body, _elapsed = client.get(f"{API_PATH}?q=%E7%A4%BE%E4%BF%9D", timeout=10)
        except OSError:
            time.sleep(0.3)
            continue
        if status == 200:
            client.close()
            return
        raise RuntimeError(f"the search API answered {status}: {body[:300]!r}\n"
                           f"{page_delivery.tail(log)}")
    raise RuntimeError(f"granian not answering after {timeout:.0f} s:\n{page_delivery.tail(log)}")


# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HttpLatency:
    name: str
    timings_ms: tuple[float, ...]
    statuses: dict[int, int]
    mean_total: float
    target_p95_ms: float

    @property
    def p95(self) -> float:
        return search_engine.percentile(self.timings_ms, 0.95)

    @property
    def met(self) -> bool:
        return self.p95 <= self.target_p95_ms and set(self.statuses) == {200}


def measure(client: Client, name: str, queries: Sequence[str], *,
            target_p95_ms: float) -> HttpLatency:
    """Each query once, in order."""
    timings: list[float] = []
    statuses: dict[int, int] = {}
    totals: list[int] = []
    for query in queries:
        status, body, elapsed = client.get(f"{API_PATH}?q={urllib.parse.quote(query)}")
        timings.append(elapsed * 1000)
        statuses[status] = statuses.get(status, 0) + 1
        if status == 200:
            totals.append(json.loads(body).get("total", 0))
    return HttpLatency(name, tuple(timings), statuses,
                       statistics.fmean(totals) if totals else 0.0, target_p95_ms)


def check_bad_input(client: Client) -> list[tuple[str, int, float, str]]:
    rows = []
    for label, query in BAD_INPUT:
        path = f"{API_PATH}?{query}" if query else API_PATH
        try:
            status, body, elapsed = client.get(path, timeout=30)
            detail = body[:80].decode("utf-8", "replace").replace("\n", " ")
        except (OSError, http.client.HTTPException) as error:
            status, elapsed, detail = 0, float("nan"), f"no answer: {error}"
        rows.append((label, status, elapsed, detail))
    return rows


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=int(os.environ.get(
        "BENCH_SEARCH_DOCUMENTS", search_corpus.DEFAULT_DOCUMENTS)))
    parser.add_argument("--seed", type=int, default=search_corpus.DEFAULT_SEED)
    parser.add_argument("--workers", type=int, default=2, help="granian workers")
    parser.add_argument("--two-term-queries", type=int, default=200)
    parser.add_argument("--var-dir", type=Path, default=None,
                        help="the server's CHUANGKOU_VAR_DIR (default $BENCH_DIR/search-http-var)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="PostgreSQL instead of SQLite (default $BENCH_DATABASE_URL)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    var_dir = args.var_dir or search_corpus.bench_dir() / "search-http-var"
    var_dir.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGTERM, _raise_interrupt)

    print(f"Search HTTP benchmark (窗口 Chuangkou), {args.documents:,} documents", flush=True)
    busy_before = search_engine.busy_share()
    chunks = search_corpus.corpus_chunks(args.documents, seed=args.seed)
    index_root = search_corpus.bench_dir() / f"search-index-{args.documents}"
    store = IndexStore(index_root)
    if not (index_root / IndexStore.LINK).exists():
        print("  no index for this size yet: rebuilding (as search_engine.py does) ...",
              flush=True)
        search_engine.rebuild(store, chunks, workers=len(os.sched_getaffinity(0)),
                              writer_threads=1, heap_bytes=256 * 2**20,
                              progress=lambda line: print(line, flush=True))
    index = store.current()
    vocabulary = search_engine.Vocabulary(index.path / search_engine.VOCABULARY_FILE)
    two_term, one_term, _frequency = search_engine.pick_queries(
        index, chunks, two_term_count=args.two_term_queries + WARM_UP_QUERIES, seed=args.seed)
    warm_up, two_term_queries = (two_term.queries[:WARM_UP_QUERIES],
                                 two_term.queries[WARM_UP_QUERIES:])
    vocabulary.close()
    documents = index.count()
    del index, store

    environment = _environment(var_dir, index_root, secrets.token_urlsafe(64),
                               args.database_url)
    processes = page_delivery.Processes()
    log = var_dir / "granian.log"
    results: list[HttpLatency] = []
    bad_rows: list[tuple[str, int, float, str]] = []
    try:
        started = time.perf_counter()
        migrated = processes.run([sys.executable, "manage.py", "migrate", "--noinput"],
                                 env=environment, timeout=1800)
        if migrated.returncode != 0:
            raise SystemExit(f"migrate failed:\n{migrated.stdout[-2000:]}{migrated.stderr[-3000:]}")
        print(f"  database migrated in {time.perf_counter() - started:.1f} s", flush=True)
        port = page_delivery.free_port()
        granian = str(page_delivery.BIN_DIR / "granian")
        process = processes.start(
            [granian, "--interface", "wsgi", "chuangkou.wsgi:application", "--workers",
             str(args.workers), "--blocking-threads", "1", "--host", "127.0.0.1", "--port",
             str(port)],
            env=environment, log=log)
        wait_until_serving(port, process, log)
        client = Client(port)
        for query in warm_up:
            client.get(f"{API_PATH}?q={urllib.parse.quote(query)}")
        results.append(measure(client, two_term.name, two_term_queries,
                               target_p95_ms=TARGET_TWO_TERM_P95_MS))
        results.append(measure(client, f"{one_term.name}", one_term.queries,
                               target_p95_ms=TARGET_ONE_TERM_P95_MS))
        results.append(measure(client, f"{one_term.name}, again", one_term.queries,
                               target_p95_ms=TARGET_ONE_TERM_P95_MS))
        bad_rows = check_bad_input(client)
        client.close()
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        return 130
    finally:
        processes.stop_all()
    busy_after = search_engine.busy_share()

    lines = [
        "",
        "Search HTTP benchmark (窗口 Chuangkou)",
        "=" * 40,
        f"data:     {documents:,} documents in {index_root}; database "
        f"{'PostgreSQL' if args.database_url else 'SQLite in ' + str(var_dir)}",
        "machine:  " + ", ".join(f"{key} {value}" for key, value in
                                 search_engine.machine().items()),
        f"load:     CPUs {busy_before:.0%} busy before the run, {busy_after:.0%} after",
        f"method:   GET {API_PATH}?q=… (facets, direct answers, statistics), granian "
        f"--workers {args.workers} --blocking-threads 1, production settings; one client, one "
        f"keep-alive connection, after {WARM_UP_QUERIES} warm-up queries",
        "",
        f"  {'queries':<29} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'max ms':>8} {'mean hits':>10}  target p95",
    ]
    for result in results:
        lines.append(
            f"  {result.name:<29} {len(result.timings_ms):>6} "
            f"{statistics.median(result.timings_ms):>8.2f} {result.p95:>8.2f} "
            f"{search_engine.percentile(result.timings_ms, 0.99):>8.2f} "
            f"{max(result.timings_ms):>8.2f} {result.mean_total:>10,.0f}  "
            f"<= {result.target_p95_ms:.0f} ms: {'meets' if result.met else 'MISSES'}"
            + ("" if set(result.statuses) == {200} else f"  statuses {result.statuses}"))
    bad_failures = [row for row in bad_rows
                    if not 200 <= row[1] < 500 or not row[2] < BAD_INPUT_SECONDS]
    lines += ["", f"Bad input ({len(bad_rows)} requests; never a 5xx, each within "
                  f"{BAD_INPUT_SECONDS:.0f} s): "
                  f"{'all pass' if not bad_failures else f'{len(bad_failures)} FAIL'}"]
    lines += [f"  {label:<32} {status:>4} {elapsed * 1000:>8.1f} ms  {detail[:60]}"
              for label, status, elapsed, detail in bad_rows]
    if args.documents < search_corpus.FULL_DOCUMENTS:
        lines += ["", f"The issue's size: .venv/bin/python benchmarks/search_http.py "
                      f"--documents {search_corpus.FULL_DOCUMENTS}"]
    print("\n".join(lines), flush=True)
    all_met = all(result.met for result in results) and not bad_failures
    return 1 if args.strict and not all_met else 0


if __name__ == "__main__":
    sys.exit(main())
