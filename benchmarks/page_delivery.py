"""Page delivery benchmark: requests per second and latency for three public pages.

With 100,000 articles in the cluster (built by ``build_large_cluster.py`` when missing), the
portal home, a column listing and an article are requested with ``wrk`` through:

  (a) nginx with the production configuration (``manage.py render_nginx_config``) in front of
      the application, answering from the static pages ``manage.py write_static_pages`` wrote;
  (b) the application server alone (granian, 2 workers, 1 blocking thread each, production
      settings, DEBUG off) with its full-page cache (PAGE_CACHE_ENABLED=1);
  (c) the same server uncached (PAGE_CACHE_ENABLED=0), and at one connection for the median;
  (d) nginx serving a plain static file of the same byte size (the physical limit).

Targets (issue "Page delivery"): (a) >= 90 % of (d); (b) >= 2,500 req/s; (c) article median
<= 30 ms at one connection. The figures are printed with the data size, the machine and the
versions. Every process started here is stopped again, also on Ctrl-C.

    .venv/bin/python benchmarks/page_delivery.py [--articles 100000] [--duration 10]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
PYTHON = sys.executable
BIN_DIR = Path(sys.executable).parent
DEFAULT_ARTICLES = 100_000
DEFAULT_VAR_DIR = Path("/tmp/bench-var")  # noqa: S108 - scratch directory by design
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HOST = "localhost"  # the portal's hostname (Wagtail Site and ALLOWED_HOSTS)

TARGET_NGINX_SHARE = 0.90
TARGET_CACHED_RPS = 2_500
TARGET_UNCACHED_ARTICLE_MEDIAN_MS = 30.0


# ---------------------------------------------------------------------------------------------
# Processes: each in its own process group, all stopped in the end
# ---------------------------------------------------------------------------------------------


class Processes:
    def __init__(self) -> None:
        self.running: list[subprocess.Popen] = []

    def start(
        self,
        command: list[str],
        *,
        env: dict | None = None,
        log: Path | None = None,
        cwd: Path = REPO_DIR,
    ) -> subprocess.Popen:
        # No log: the output goes to this script's own standard output.
        output = open(log, "ab") if log else None  # noqa: SIM115
        try:
            process = subprocess.Popen(
                command,
                env=env,
                cwd=cwd,
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        finally:
            if log:
                output.close()
        self.running.append(process)
        return process

    def run(
        self,
        command: list[str],
        *,
        env: dict | None = None,
        timeout: float | None = None,
        cwd: Path = REPO_DIR,
    ) -> subprocess.CompletedProcess:
        """Run to completion in its own process group (stopped with the others on Ctrl-C)."""
        process = subprocess.Popen(
            command,
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            text=True,
        )
        self.running.append(process)
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop(process)
            stdout, stderr = process.communicate()
            return subprocess.CompletedProcess(command, -9, stdout, stderr + "\n(timed out)")
        finally:
            if process in self.running and process.poll() is not None:
                self.running.remove(process)
        return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)

    def stop(self, process: subprocess.Popen, grace: float = 10.0) -> None:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        # Workers left behind by a master that exited on its own.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        if process in self.running:
            self.running.remove(process)

    def stop_all(self) -> None:
        for process in reversed(list(self.running)):
            self.stop(process)


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(
    port: int, path: str, host: str = HOST, timeout: float = 120.0
) -> tuple[int, bytes, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def wait_until_serving(
    port: int, process: subprocess.Popen, log: Path | None, timeout: float = 90.0
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{tail(log)}")
        try:
            fetch(port, "/", timeout=5)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server not answering on port {port} after {timeout:.0f} s:\n{tail(log)}")


def tail(path: Path | None, lines: int = 15) -> str:
    if path is None or not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


# ---------------------------------------------------------------------------------------------
# wrk
# ---------------------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        return float("nan")
    return float(match[1]) * UNITS[match[2]]


@dataclass
class WrkResult:
    rps: float = 0.0
    p50_ms: float = float("nan")
    p99_ms: float = float("nan")
    requests: int = 0
    non_2xx: int = 0
    socket_errors: int = 0
    raw: str = ""

    @property
    def ok(self) -> bool:
        return self.requests > 0 and self.non_2xx == 0 and self.socket_errors == 0


def parse_wrk(output: str) -> WrkResult:
    result = WrkResult(raw=output)
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result.rps = float(match[1])
    if match := re.search(r"^\s*50%\s+(\S+)", output, re.M):
        result.p50_ms = _ms(match[1])
    if match := re.search(r"^\s*99%\s+(\S+)", output, re.M):
        result.p99_ms = _ms(match[1])
    if match := re.search(r"(\d+) requests in", output):
        result.requests = int(match[1])
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        result.non_2xx = int(match[1])
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        # Read errors are what wrk counts when a server closes a keep-alive connection.
        result.socket_errors = int(match[1]) + int(match[3]) + int(match[4])
    return result


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass
class Row:
    config: str
    page: str
    path: str
    bytes: int | None = None
    result: WrkResult | None = None
    connections: int = 0
    served: str = ""
    target: str = ""
    passed: bool | None = None
    note: str = ""


@dataclass
class Run:
    args: argparse.Namespace
    processes: Processes
    work_dir: Path
    info: dict = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pages: dict[str, bytes] = field(default_factory=dict)

    def wrk(
        self,
        url: str,
        *,
        connections: int,
        threads: int,
        duration: float,
        host: str | None = HOST,
        warmup: float = 0.0,
    ) -> WrkResult:
        command = ["wrk", f"-t{threads}", f"-c{connections}", "--timeout", "10s"]
        if host:
            command += ["-H", f"Host: {host}"]
        if warmup:
            self.processes.run([*command, f"-d{warmup:g}s", url], timeout=warmup + 60)
        completed = self.processes.run(
            [*command, "--latency", f"-d{duration:g}s", url], timeout=duration + 60
        )
        result = parse_wrk(completed.stdout)
        if completed.returncode != 0 and not result.requests:
            result.raw += completed.stderr
        return result


# ---------------------------------------------------------------------------------------------
# Configurations
# ---------------------------------------------------------------------------------------------


def app_environment(run: Run, *, page_cache: bool, extra: dict | None = None) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(run.info["env"])
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "chuangkou.settings.production",
            "SECRET_KEY": run.info["secret_key"],
            "ALLOWED_HOSTS": f"{HOST},.{HOST},127.0.0.1",
            "DEBUG": "0",
            # Plain HTTP on the loopback: no redirect to HTTPS (a TLS proxy would be in front).
            "SECURE_SSL_REDIRECT": "0",
            "PAGE_CACHE_ENABLED": "1" if page_cache else "0",
            "LOG_LEVEL": "WARNING",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    env.update(extra or {})
    return env


def start_granian(
    run: Run, *, page_cache: bool, name: str, extra_env: dict | None = None
) -> tuple[subprocess.Popen, int]:
    port = free_port()
    log = run.work_dir / f"granian-{name}.log"
    granian = str(BIN_DIR / "granian") if (BIN_DIR / "granian").exists() else "granian"
    process = run.processes.start(
        [
            granian,
            "--interface",
            "wsgi",
            "chuangkou.wsgi:application",
            "--workers",
            str(run.args.workers),
            "--blocking-threads",
            "1",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=app_environment(run, page_cache=page_cache, extra=extra_env),
        log=log,
    )
    wait_until_serving(port, process, log)
    return process, port


def measure_urls(
    run: Run,
    config: str,
    port: int,
    *,
    host: str | None = HOST,
    paths: dict[str, str] | None = None,
    target=None,
    keep_pages: bool = False,
    connections: int | None = None,
    threads: int | None = None,
) -> list[Row]:
    args = run.args
    connections = connections or args.connections
    threads = threads or args.threads
    rows = []
    for page, path in (paths or run.info["urls"]).items():
        row = Row(config, page, path, connections=connections)
        try:
            status, body, _ = fetch(port, path, host=host or HOST)
        except OSError as error:
            row.note = f"fetch failed: {error}"
            rows.append(row)
            continue
        row.bytes = len(body)
        if status != 200:
            row.note = f"HTTP {status}"
            rows.append(row)
            continue
        if keep_pages:
            run.pages[page] = body
        row.result = run.wrk(
            f"http://127.0.0.1:{port}{path}",
            connections=connections,
            threads=threads,
            duration=args.duration,
            host=host,
            warmup=args.warmup,
        )
        if not row.result.requests:
            row.note = "no request completed (raise --duration)"
        elif not row.result.ok:
            row.note = f"errors: non-2xx {row.result.non_2xx}, socket {row.result.socket_errors}"
        with contextlib.suppress(OSError):
            row.served = served_by(fetch(port, path, host=host or HOST)[2])
        if target:
            target(row)
        rows.append(row)
        print(
            f"  {config:<26} {page:<15} {fmt_rps(row)} req/s  p99 {fmt_ms(row, 'p99_ms')}",
            flush=True,
        )
    run.rows.extend(rows)
    return rows


def served_by(headers: dict) -> str:
    """Who answered, from the platform's own headers."""
    lowered = {name.lower(): value for name, value in headers.items()}
    if delivery := lowered.get("x-chuangkou-delivery"):
        return f"nginx {delivery}"
    if cache := lowered.get("x-page-cache"):
        return f"app, cache {cache}"
    return "nginx" if "nginx" in lowered.get("server", "") else "app"


def measure_uncached(run: Run) -> None:
    print("(c) application alone, uncached", flush=True)
    process, port = start_granian(run, page_cache=False, name="uncached")
    try:
        measure_urls(run, "(c) granian, uncached", port, keep_pages=True)

        def article_target(row: Row) -> None:
            if row.page == "article":
                row.target = f"median <= {TARGET_UNCACHED_ARTICLE_MEDIAN_MS:g} ms"
                row.passed = (
                    row.result.ok and row.result.p50_ms <= TARGET_UNCACHED_ARTICLE_MEDIAN_MS
                )

        measure_urls(
            run, "(c) granian, uncached, c=1", port, connections=1, threads=1, target=article_target
        )
    finally:
        run.processes.stop(process)


def measure_cached(run: Run) -> None:
    print("(b) application alone, full-page cache", flush=True)
    process, port = start_granian(run, page_cache=True, name="cached")

    def target(row: Row) -> None:
        row.target = f">= {TARGET_CACHED_RPS:,} req/s"
        row.passed = row.result.ok and row.result.rps >= TARGET_CACHED_RPS

    try:
        measure_urls(run, "(b) granian, page cache", port, target=target)
    finally:
        run.processes.stop(process)


NGINX_STATIC_CONF = """\
worker_processes {workers};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 10000;
    types {{ text/html html; }}
    default_type application/octet-stream;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    server {{
        listen 127.0.0.1:{port} reuseport backlog=4096;
        root {prefix}/html;
        location / {{ }}
    }}
}}
"""


def start_nginx(run: Run, prefix: Path, conf: Path, port: int, name: str) -> subprocess.Popen:
    text = conf.read_text()
    globals_ = ["daemon off;"]
    if not re.search(r"^\s*pid\s", text, re.M):
        globals_.append(f"pid {prefix}/nginx.pid;")
    command = [
        NGINX,
        "-p",
        f"{prefix}/",
        "-e",
        f"{prefix}/error.log",
        "-c",
        str(conf),
        "-g",
        " ".join(globals_),
    ]
    test = run.processes.run([*command, "-t"], timeout=30)
    if test.returncode != 0:
        raise RuntimeError(f"nginx -t failed for {conf}:\n{test.stderr}")
    log = run.work_dir / f"nginx-{name}.log"
    process = run.processes.start(command, log=log)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited:\n{tail(log)}\n{tail(prefix / 'error.log')}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return process
        time.sleep(0.1)
    raise RuntimeError(f"nginx not listening on {port}")


def fetch_pages(run: Run) -> None:
    """The application's HTML of the measured pages (when (c) did not run)."""
    process, port = start_granian(run, page_cache=False, name="pages")
    try:
        for page, path in run.info["urls"].items():
            status, body, _ = fetch(port, path)
            if status == 200:
                run.pages[page] = body
    finally:
        run.processes.stop(process)


def measure_static(run: Run) -> None:
    print("(d) nginx, plain static file of the same size", flush=True)
    prefix = run.work_dir / "nginx-static"
    (prefix / "html").mkdir(parents=True, exist_ok=True)
    (prefix / "tmp").mkdir(exist_ok=True)
    if any(page not in run.pages for page in run.info["urls"]):
        fetch_pages(run)
    paths = {}
    for page in run.info["urls"]:
        name = re.sub(r"\W+", "-", page) + ".html"
        body = run.pages.get(page)
        if body is None:  # the application's page was not fetched: a file of its usual size
            size = next((r.bytes for r in run.rows if r.page == page and r.bytes), 10_000)
            body = ("政" * (size // 3) + "x" * (size % 3)).encode()
        (prefix / "html" / name).write_bytes(body)
        (prefix / "html" / name).chmod(0o644)
        paths[page] = f"/{name}"
    for directory in (prefix, prefix / "html"):
        directory.chmod(0o755)
    port = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_STATIC_CONF.format(workers=run.args.workers, prefix=prefix, port=port))
    process = start_nginx(run, prefix, conf, port, "static")
    try:
        measure_urls(run, "(d) nginx static file", port, paths=paths)
    finally:
        run.processes.stop(process)


def manage(run: Run, *arguments: str, env: dict, timeout: float | None = None):
    return run.processes.run([PYTHON, "manage.py", *arguments], env=env, timeout=timeout)


def production_commands_available(run: Run, env: dict) -> str:
    """'' when both commands exist, else what is missing."""
    missing = []
    for command in ("render_nginx_config", "write_static_pages"):
        if manage(run, "help", command, env=env, timeout=120).returncode != 0:
            missing.append(command)
    return ", ".join(missing)


WRAPPER_CONF = """\
worker_processes {workers};
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    include {site_conf};
}}
"""


REFRESH_SCRIPT = """
import json, sys
import django
django.setup()
from chuangkou.publishing.static_pages import refresh_static_pages
report = refresh_static_pages(page_ids=json.loads(sys.argv[1]))
print(json.dumps({"written": report.written, "pages": report.pages, "skipped": report.skipped}))
"""


def write_static_files(run: Run, published: Path, env: dict) -> bool:
    """The static pages nginx answers from: by default only the three measured pages (what
    publication writes for a page, ``refresh_static_pages``); the full
    ``write_static_pages`` renders every page of the cluster, so 100,000 articles take a
    long time, and only with --write-all-static-pages."""
    if not run.args.write_all_static_pages:
        published.mkdir(parents=True, exist_ok=True)
        ids = list(run.info["page_ids"].values())
        completed = run.processes.run(
            [PYTHON, "-c", REFRESH_SCRIPT, json.dumps(ids)], env=env, timeout=600
        )
        if completed.returncode != 0:
            message = f"(a) failed: refresh_static_pages: {completed.stderr[-800:]}"
            print(message, flush=True)
            run.notes.append(message)
            return False
        report = json.loads(completed.stdout.strip().splitlines()[-1])
        run.notes.append(
            f"(a) static files: the {report['pages']} measured pages written with "
            f"refresh_static_pages ({report['written']} files, page + feeds); the full "
            "write_static_pages rebuild was not run (--write-all-static-pages)"
        )
        return True

    marker = published / ".bench-build.json"
    stamp = json.dumps({k: run.info[k] for k in ("articles", "pages", "database_name")})
    if marker.exists() and marker.read_text() == stamp:
        return True
    shutil.rmtree(published, ignore_errors=True)
    published.mkdir(parents=True)
    print(f"  write_static_pages into {published} ({run.info['pages']:,} pages) ...", flush=True)
    started = time.monotonic()
    completed = manage(run, "write_static_pages", env=env, timeout=run.args.static_timeout)
    seconds = time.monotonic() - started
    if completed.returncode != 0:
        message = (
            f"(a) failed: write_static_pages exited with {completed.returncode}: "
            f"{(completed.stderr or completed.stdout)[-800:]}"
        )
        print(message, flush=True)
        run.notes.append(message)
        return False
    files = sum(1 for _ in published.rglob("index.html"))
    run.notes.append(f"(a) write_static_pages: {files:,} pages written in {seconds:.0f} s")
    print(f"  {files:,} static pages written in {seconds:.0f} s", flush=True)
    marker.write_text(stamp)
    return True


def measure_production(run: Run, static_rows: list[Row] | None = None) -> None:
    print("(a) production nginx configuration", flush=True)
    var_dir = Path(run.info["env"]["CHUANGKOU_VAR_DIR"])
    published = var_dir / "published"
    env = app_environment(
        run,
        page_cache=True,
        extra={
            "PUBLISHED_PAGES_ROOT": str(published),
            "TRUSTED_PROXY_COUNT": "1",
        },
    )
    if missing := production_commands_available(run, env):
        message = f"(a) skipped: {missing} not available"
        print(message, flush=True)
        run.notes.append(message)
        run.rows.extend(
            Row("(a) nginx production", page, path, note="skipped: not available")
            for page, path in run.info["urls"].items()
        )
        return

    if not write_static_files(run, published, env):
        return

    upstream_process, upstream_port = start_granian(
        run,
        page_cache=True,
        name="upstream",
        extra_env={"PUBLISHED_PAGES_ROOT": str(published), "TRUSTED_PROXY_COUNT": "1"},
    )
    # The production default, then the opt-in descriptor cache (publications may show up to
    # one more second later: render_nginx_config --open-file-cache-valid).
    variants = ((0, "(a) nginx production"), (1, "(a') nginx, open_file_cache_valid 1s"))
    try:
        for valid, label in variants:
            prefix = run.work_dir / f"nginx-production-{valid}"
            (prefix / "tmp").mkdir(parents=True, exist_ok=True)
            port = free_port()
            site_conf = prefix / "chuangkou.conf"
            rendered = manage(
                run,
                "render_nginx_config",
                "--listen",
                f"127.0.0.1:{port}",
                "--upstream",
                f"127.0.0.1:{upstream_port}",
                "--published-root",
                str(published),
                "--static-root",
                str(var_dir / "static"),
                "--media-root",
                str(var_dir / "media"),
                "--output",
                str(site_conf),
                "--open-file-cache-valid",
                str(valid),
                env=env,
                timeout=120,
            )
            nginx_process = None
            try:
                if rendered.returncode != 0 or not site_conf.exists():
                    raise RuntimeError(f"render_nginx_config failed: {rendered.stderr[-800:]}")
                text = site_conf.read_text()
                if re.search(r"^\s*http\s*\{", text, re.M):
                    conf = site_conf  # a complete nginx.conf
                else:  # server blocks (and upstreams) to include in an http block
                    conf = prefix / "nginx.conf"
                    conf.write_text(
                        WRAPPER_CONF.format(workers=run.args.workers, prefix=prefix, site_conf=site_conf)
                    )
                nginx_process = start_nginx(run, prefix, conf, port, f"production-{valid}")

                def target(row: Row) -> None:
                    limit = next((r for r in static_rows or [] if r.page == row.page and r.result), None)
                    row.target = f">= {TARGET_NGINX_SHARE:.0%} of (d)"
                    if limit is None:
                        row.target += " (no (d))"
                        return
                    share = row.result.rps / limit.result.rps if limit.result.rps else 0
                    row.target = f">= 90% of (d): {share:.0%}"
                    row.passed = row.result.ok and share >= TARGET_NGINX_SHARE

                measure_urls(run, label, port, target=target)
            finally:
                if nginx_process is not None:
                    run.processes.stop(nginx_process)
    finally:
        run.processes.stop(upstream_process)


# ---------------------------------------------------------------------------------------------
# Machine, versions, report
# ---------------------------------------------------------------------------------------------


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    memory = next(
        (
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable cores": len(os.sched_getaffinity(0)),
        "memory": f"{memory / 1024 / 1024:.1f} GiB",
        "kernel": platform.release(),
    }


def busy_share(seconds: float = 1.0) -> float:
    """Share of the CPUs busy over ``seconds`` (others' work before the benchmark starts)."""

    def sample():
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        idle = values[3] + values[4]
        return sum(values), idle

    total1, idle1 = sample()
    time.sleep(seconds)
    total2, idle2 = sample()
    return 1 - (idle2 - idle1) / max(total2 - total1, 1)


def versions() -> dict:
    found = {"python": platform.python_version()}
    for package in ("Django", "wagtail", "granian"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    try:
        found["nginx"] = (
            subprocess.run([NGINX, "-v"], capture_output=True, text=True, check=False)
            .stderr.strip()
            .replace("nginx version: ", "")
        )
    except OSError:
        found["nginx"] = "not installed"
    try:
        found["wrk"] = (
            subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
            .stdout.split("\n")[0]
            .strip()
        )
    except OSError:
        found["wrk"] = "not installed"
    import sqlite3

    found["sqlite"] = sqlite3.sqlite_version
    return found


def fmt_rps(row: Row) -> str:
    return f"{row.result.rps:,.0f}" if row.result and row.result.requests else "-"


def fmt_ms(row: Row, attribute: str) -> str:
    value = getattr(row.result, attribute) if row.result else float("nan")
    if value != value:  # NaN
        return "-"
    return f"{value:.2f} ms" if value < 100 else f"{value:,.0f} ms"


def report(run: Run, started: dt.datetime, busy_before: float, busy_after: float) -> str:
    info, args = run.info, run.args
    lines = [
        "",
        "Page delivery benchmark (窗口 Chuangkou)",
        "=" * 40,
        f"date:     {started.isoformat(timespec='seconds')}",
        f"data:     {info['articles']:,} articles ({info['bulk_articles']:,} bulk-built), "
        f"{info['columns']} columns, {info['pages']:,} pages; {info['database']} "
        f"({info['database_name']})",
        "machine:  " + ", ".join(f"{k} {v}" for k, v in machine().items()),
        "versions: " + ", ".join(f"{k} {v}" for k, v in versions().items()),
        f"load:     CPUs {busy_before:.0%} busy before the run, {busy_after:.0%} after; "
        f"load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"method:   wrk {args.threads} threads, {args.connections} connections, "
        f"{args.duration:g} s per figure after a {args.warmup:g} s warm-up; granian "
        f"--workers {args.workers} --blocking-threads 1, production settings, DEBUG off, "
        f"{info['database']} on this machine, Django cache in local memory; Host: localhost",
        f"page cache middleware: {info.get('page_cache_middleware') or 'none installed'}",
        "",
    ]
    header = (
        "configuration",
        "page",
        "URL",
        "served by",
        "bytes",
        "conns",
        "req/s",
        "p99",
        "median",
        "target",
        "result",
    )
    table = [header]
    for row in sorted(run.rows, key=lambda row: row.config[:3]):
        result = "" if row.passed is None else ("PASS" if row.passed else "FAIL")
        if row.note:
            result = (result + " " + row.note).strip()
        table.append(
            (
                row.config,
                row.page,
                row.path,
                row.served or "-",
                f"{row.bytes:,}" if row.bytes else "-",
                str(row.connections or "-"),
                fmt_rps(row),
                fmt_ms(row, "p99_ms"),
                fmt_ms(row, "p50_ms"),
                row.target or "-",
                result or "-",
            )
        )
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for index, row in enumerate(table):
        lines.append(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    lines.append("")
    lines.append(
        f"targets: (a) >= {TARGET_NGINX_SHARE:.0%} of (d) req/s; (b) >= "
        f"{TARGET_CACHED_RPS:,} req/s; (c) article median <= "
        f"{TARGET_UNCACHED_ARTICLE_MEDIAN_MS:g} ms at one connection"
    )
    lines.extend(run.notes)
    if busy_before > 0.10 or busy_after > 0.10:
        lines.append("NOTE: other work was running on this machine; the figures are low.")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def ensure_tools(run: Run) -> None:
    missing = [
        tool
        for tool in ("wrk", "nginx")
        if not shutil.which(tool) and not (tool == "nginx" and Path(NGINX).exists())
    ]
    if not missing:
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"installing {' '.join(missing)} with apt-get ...", flush=True)
        run.processes.run(
            ["apt-get", "install", "-y", "wrk", "nginx"],
            timeout=600,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    if not shutil.which("wrk"):
        raise SystemExit("wrk is required (Debian package wrk).")


def build_cluster(run: Run) -> None:
    describe = run.work_dir / "cluster.json"
    command = [
        PYTHON,
        str(BENCH_DIR / "build_large_cluster.py"),
        "--articles",
        str(run.args.articles),
        "--var-dir",
        str(run.args.var_dir),
        "--describe",
        str(describe),
    ]
    if run.args.database_url:
        command += ["--database-url", run.args.database_url]
    print(f"building/checking the benchmark cluster in {run.args.var_dir} ...", flush=True)
    # Prints its progress; stopped with the rest on Ctrl-C.
    process = run.processes.start(command)
    while process.poll() is None:
        time.sleep(0.5)
    run.processes.stop(process)
    if process.returncode != 0:
        raise SystemExit("building the benchmark cluster failed")
    run.info.update(json.loads(describe.read_text()))
    run.info["env"] = {"CHUANGKOU_VAR_DIR": str(run.args.var_dir)}
    if run.args.database_url:
        run.info["env"]["DATABASE_URL"] = run.args.database_url
    run.info["secret_key"] = secrets.token_urlsafe(64)
    probe = run.processes.run(
        [
            PYTHON,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(','.join(m for m in settings.MIDDLEWARE if 'cache' in m.lower()))",
        ],
        env=app_environment(run, page_cache=True),
        timeout=120,
    )
    run.info["page_cache_middleware"] = probe.stdout.strip()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per figure")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before each figure")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections")
    parser.add_argument(
        "--workers", type=int, default=2, help="granian workers and nginx worker processes"
    )
    parser.add_argument(
        "--var-dir",
        type=Path,
        default=None,
        help=f"benchmark CHUANGKOU_VAR_DIR (default $CHUANGKOU_VAR_DIR, or "
        f"{DEFAULT_VAR_DIR} for 100000 articles, {DEFAULT_VAR_DIR}-N "
        "otherwise)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="PostgreSQL for the benchmark data (default $BENCH_DATABASE_URL)",
    )
    parser.add_argument("--only", default="abcd", help="configurations to run, e.g. 'cd'")
    parser.add_argument(
        "--write-all-static-pages",
        action="store_true",
        help="(a): run the full write_static_pages instead of writing the measured pages only",
    )
    parser.add_argument(
        "--static-timeout", type=float, default=3600, help="seconds allowed for write_static_pages"
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a target is missed"
    )
    parser.add_argument(
        "--keep-logs",
        action="store_true",
        help="keep the temporary directory with the servers' logs",
    )
    args = parser.parse_args(argv)
    if args.var_dir is None:
        env_dir = os.environ.get("CHUANGKOU_VAR_DIR")
        if env_dir and Path(env_dir).resolve() != (REPO_DIR / "var").resolve():
            args.var_dir = Path(env_dir)
        elif args.articles == DEFAULT_ARTICLES:
            args.var_dir = DEFAULT_VAR_DIR
        else:
            args.var_dir = Path(f"{DEFAULT_VAR_DIR}-{args.articles}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    signal.signal(signal.SIGHUP, _raise_interrupt)
    processes = Processes()
    work_dir = Path(tempfile.mkdtemp(prefix="chuangkou-bench-"))
    work_dir.chmod(0o755)  # nginx workers (nobody) read the static files below it
    run = Run(args=args, processes=processes, work_dir=work_dir)
    started = dt.datetime.now().astimezone()
    interrupted = False
    try:
        ensure_tools(run)
        build_cluster(run)
        busy_before = busy_share()
        print(f"CPUs {busy_before:.0%} busy before the run", flush=True)
        static_rows = None
        if "c" in args.only:
            measure_uncached(run)
        if "b" in args.only:
            measure_cached(run)
        if "d" in args.only:
            measure_static(run)
            static_rows = [r for r in run.rows if r.config.startswith("(d)")]
        if "a" in args.only:
            try:
                measure_production(run, static_rows)
            except RuntimeError as error:
                run.notes.append(f"(a) failed: {error}")
                print(f"(a) failed: {error}", flush=True)
        busy_after = busy_share()
        print(report(run, started, busy_before, busy_after), flush=True)
    except KeyboardInterrupt:
        interrupted = True
        print("\ninterrupted: stopping the servers", file=sys.stderr, flush=True)
    finally:
        processes.stop_all()
        if args.keep_logs or interrupted:
            print(f"logs kept in {work_dir}", file=sys.stderr)
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
    failed = [row for row in run.rows if row.passed is False]
    if interrupted:
        return 130
    # The benchmark reports; a missed target is a finding, not a crash of `make bench`.
    return 0 if not failed or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main())
