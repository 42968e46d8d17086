"""Delivery through Debian's nginx with the repository's configuration (deploy/nginx).

nginx runs for real in front of the live server, answering anonymous pages from the files
static publishing writes; publications must be visible through it within one second.
"""

import http.client
import os
import pwd
import signal
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

from chuangkou.publishing import static_pages
from chuangkou.publishing.management.commands.render_nginx_config import render_nginx_config
from chuangkou.sitecluster import actions

NGINX = "/usr/sbin/nginx"
VISIBLE_WITHIN = 1.0

pytestmark = [
    pytest.mark.nginx,
    # The live server needs committed data; serialized rollback restores what Wagtail's
    # migrations created, for the tests that run afterwards.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not os.path.exists(NGINX),
                       reason="Debian's nginx is not installed (.ci/run installs the package)"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"nginx exited with {process.returncode}: {log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    pytest.fail(f"nginx did not listen on {port} within {timeout} s: {log.read_text()}")


class Nginx:
    def __init__(self, port: int, root: Path):
        self.port = port
        self.root = root

    def get(self, path: str, *, host: str = "localhost", method: str = "GET",
            headers: dict | None = None, body: bytes | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body=body,
                               headers={"Host": f"{host}:{self.port}", **(headers or {})})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()


@pytest.fixture
def nginx(cluster, live_server, settings, tmp_path):
    published = tmp_path / "published"
    settings.PUBLISHED_PAGES_ROOT = str(published)
    static_pages.write_all_static_pages()
    prefix = tmp_path / "nginx"
    (prefix / "logs").mkdir(parents=True)
    port = free_port()
    upstream_port = live_server.thread.port
    conf = prefix / "nginx.conf"
    conf.write_text(render_nginx_config(
        listen=f"127.0.0.1:{port}", upstream=f"127.0.0.1:{upstream_port}",
        published_root=str(published), static_root=str(tmp_path / "static"),
        media_root=str(tmp_path / "media"),
        # Workers of a root master would otherwise run as nobody, who cannot enter tmp_path.
        user=pwd.getpwuid(os.geteuid()).pw_name if os.geteuid() == 0 else None,
        error_log="logs/error.log",
    ))
    log = prefix / "logs" / "error.log"
    process = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(conf), "-e", "stderr", "-g", "daemon off;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process, log)
        yield Nginx(port, published)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def path_of(page) -> str:
    return page.get_url_parts()[2]


def wait_until(check, *, timeout: float = VISIBLE_WITHIN * 3) -> float:
    """Poll ``check`` until it is true; returns the seconds it took (fails after timeout)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return time.monotonic() - started
        time.sleep(0.01)
    pytest.fail(f"not visible through nginx within {timeout} s")


def test_an_anonymous_page_is_answered_from_the_published_file(nginx, cluster):
    status, headers, body = nginx.get(path_of(cluster.education_article))
    assert status == 200
    assert headers["X-Chuangkou-Delivery"] == "static"
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"]
    assert "ETag" in headers
    assert cluster.education_article.title in body.decode()
    status, headers, _body = nginx.get(path_of(cluster.education_article),
                                       headers={"Accept-Encoding": "gzip"})
    assert headers.get("Content-Encoding") == "gzip"


def test_a_publication_is_visible_through_nginx_within_one_second(nginx, cluster):
    title = f"示例市卫健委发布秋冬季健康提示{uuid.uuid4().hex[:6]}"
    path = cluster.health_news.get_url_parts()[2] + "autumn-health/"
    seen = {}

    def poll():  # a visitor reloading the new URL while the editor publishes
        while "at" not in seen and time.monotonic() - started < VISIBLE_WITHIN * 3:
            status, headers, body = nginx.get(path)
            if (status == 200 and headers.get("X-Chuangkou-Delivery") == "static"
                    and title in body.decode()):
                seen["at"] = time.monotonic() - started
            time.sleep(0.005)

    visitor = threading.Thread(target=poll)
    started = time.monotonic()
    visitor.start()
    article = actions.create_article(column=cluster.health_news, title=title, slug="autumn-health",
                                     body="<p>请注意防寒保暖，按时接种疫苗。</p>")
    returned = time.monotonic() - started
    visitor.join()
    assert path_of(article) == path
    assert "at" in seen, "the new article never appeared through nginx"
    print(f"\npublication visible through nginx {seen['at']:.3f} s after the action started "
          f"(the action, listings and feeds included, returned after {returned:.3f} s)")
    assert seen["at"] < VISIBLE_WITHIN
    _status, headers, body = nginx.get(path_of(cluster.health_news))
    assert headers.get("X-Chuangkou-Delivery") == "static" and title in body.decode()


def test_a_revision_published_later_replaces_the_page_within_one_second(nginx, cluster):
    article = cluster.education_article.specific
    article.title = "示例市教育局调整秋季开学时间"
    revision = article.save_revision()
    _status, _headers, body = nginx.get(path_of(article))
    assert "示例市教育局调整秋季开学时间" not in body.decode()  # a draft changes nothing public
    started = time.monotonic()
    revision.publish()
    wait_until(lambda: "示例市教育局调整秋季开学时间" in nginx.get(path_of(article))[2].decode())
    assert time.monotonic() - started < VISIBLE_WITHIN


def test_an_unpublished_page_disappears_through_nginx_within_one_second(nginx, cluster):
    article = cluster.health_article
    path = path_of(article)
    assert nginx.get(path)[0] == 200
    started = time.monotonic()
    article.unpublish()
    wait_until(lambda: nginx.get(path)[0] == 404)
    assert time.monotonic() - started < VISIBLE_WITHIN
    assert article.title not in nginx.get(path_of(cluster.health_news))[2].decode()


def mark_published_file(nginx, page) -> str:
    """Put a marker into the published copy: whoever answers with it is nginx's file."""
    location = static_pages.location_for(page)
    file = nginx.root / location.host / location.path.strip("/") / "index.html"
    marker = f"<!-- static-{uuid.uuid4().hex} -->"
    file.write_text(file.read_text() + marker)
    file.with_name("index.html.gz").unlink()
    return marker


def test_signed_in_visitors_query_strings_and_posts_reach_the_application(nginx, cluster):
    path = path_of(cluster.education_article)
    marker = mark_published_file(nginx, cluster.education_article)
    status, headers, body = nginx.get(path)
    assert marker in body.decode()

    for request in (
        {"headers": {"Cookie": "sessionid=abc123"}},
        {"headers": {"Cookie": "theme=dark; csrftoken=xyz"}},
        {"path": path + "?from=search"},
    ):
        status, headers, body = nginx.get(request.get("path", path),
                                          headers=request.get("headers"))
        assert status == 200
        assert "X-Chuangkou-Delivery" not in headers
        assert marker not in body.decode()
        assert cluster.education_article.title in body.decode()

    status, headers, _body = nginx.get(path, method="POST", body=b"x=1",
                                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert "X-Chuangkou-Delivery" not in headers
    status, headers, _body = nginx.get("/admin/")
    assert status == 302 and "X-Chuangkou-Delivery" not in headers
    # A cookie that is neither the session nor CSRF cookie keeps the static answer.
    assert marker in nginx.get(path, headers={"Cookie": "theme=dark"})[2].decode()


def test_each_host_is_answered_from_its_own_directory_and_unknown_hosts_get_the_portal(nginx, cluster):
    status, headers, body = nginx.get("/news/", host="dongcheng.localhost")
    assert status == 200 and headers["X-Chuangkou-Delivery"] == "static"
    assert "东城动态" in body.decode()
    status, headers, body = nginx.get("/", host="unknown.example")
    assert status == 200 and headers["X-Chuangkou-Delivery"] == "static"
    assert cluster.portal.name in body.decode()
    # Unknown hosts reach the application as the portal, too.
    status, headers, body = nginx.get("/?x=1", host="unknown.example")
    assert status == 200 and cluster.portal.name in body.decode()


def test_a_page_without_a_file_and_a_path_without_its_slash_go_to_the_application(nginx, cluster):
    path = path_of(cluster.education_news)
    status, headers, _body = nginx.get(path.rstrip("/"))
    assert status == 301 and headers["Location"].endswith(path)
    location = static_pages.location_for(cluster.education_news)
    static_pages.remove_static_tree(host=location.host, path=location.path)
    status, headers, body = nginx.get(path)
    assert status == 200 and "X-Chuangkou-Delivery" not in headers
    assert "教育动态" in body.decode()


def test_feeds_are_answered_with_their_media_types(nginx, cluster):
    directory = nginx.root / "localhost" / "jyj" / "news" / "feed"
    (directory / "rss").mkdir(parents=True, exist_ok=True)
    (directory / "atom").mkdir(parents=True, exist_ok=True)
    (directory / "rss" / "index.rss").write_text("<rss version='2.0'></rss>")
    (directory / "atom" / "index.atom").write_text("<feed xmlns='http://www.w3.org/2005/Atom'/>")
    status, headers, _body = nginx.get("/jyj/news/feed/rss/")
    assert status == 200 and headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    status, headers, _body = nginx.get("/jyj/news/feed/atom/")
    assert status == 200 and headers["Content-Type"] == "application/atom+xml; charset=utf-8"


def test_unicode_paths_are_served_from_decoded_file_names(nginx, cluster):
    column = actions.create_column(parent=cluster.education_site.home_page, title="通知公告",
                                   slug="通知公告")
    path = path_of(column)
    assert quote("通知公告") in path
    status, headers, body = nginx.get(path)
    assert status == 200 and headers["X-Chuangkou-Delivery"] == "static"
    assert "通知公告" in body.decode()
