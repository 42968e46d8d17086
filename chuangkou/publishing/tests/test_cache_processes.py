"""The full-page cache across real worker processes: granian with two workers, each with its
own in-memory cache, must stop serving a page within one second of its publication."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from chuangkou.core.testing import database_url
from chuangkou.publishing import freshness

VISIBLE_WITHIN = 1.0

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(port: int, path: str) -> tuple[int, dict, str]:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        client.request("GET", quote(path), headers={"Host": "localhost"})
        response = client.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        client.close()


@pytest.fixture
def two_workers(cluster, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.REDIS_URL = ""
    freshness.reset_generation_clock()
    port = free_port()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "chuangkou.settings.test",
        "DATABASE_URL": database_url(),
        "CHUANGKOU_VAR_DIR": str(tmp_path),
        "PAGE_CACHE_ENABLED": "1",
        "REDIS_URL": "",
    }
    granian = Path(sys.executable).with_name("granian")
    log = (tmp_path / "granian.log").open("w")
    process = subprocess.Popen(
        [str(granian), "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "2", "--blocking-threads", "1", "--no-ws", "chuangkou.wsgi:application"],
        env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if fetch(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("granian did not start: " + (tmp_path / "granian.log").read_text())
            time.sleep(0.1)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
        log.close()
        freshness.reset_generation_clock()


def test_publication_is_fresh_in_every_worker_within_one_second(cluster, two_workers):
    article = cluster.education_article
    path = article.get_url_parts()[2]
    old_title = article.title
    # Warm the cache of both workers (connections are spread over them).
    hits = 0
    for _ in range(40):
        status, headers, body = fetch(two_workers, path)
        assert status == 200 and old_title in body
        hits += headers.get("x-page-cache") == "hit"
    assert hits >= 30, "the workers cache the page"

    article.title = "示例市教育局部署冬季校园安全工作"
    article.save_revision().publish()
    published_at = time.monotonic()

    while True:
        status, _headers, body = fetch(two_workers, path)
        if article.title in body:
            break
        assert time.monotonic() - published_at < VISIBLE_WITHIN, "stale page after one second"
        time.sleep(0.01)
    assert time.monotonic() - published_at < VISIBLE_WITHIN
    # From now on no worker serves the old version.
    for _ in range(40):
        _status, _headers, body = fetch(two_workers, path)
        assert article.title in body and old_title not in body
