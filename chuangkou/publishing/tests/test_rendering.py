"""In-process anonymous rendering: the application's own answer, without cookies or signals."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection

from chuangkou.publishing.rendering import BYPASS_PAGE_CACHE, anonymous_environ, render_anonymous


def test_a_public_article_renders_as_an_anonymous_visitor_sees_it(cluster):
    article = cluster.education_article
    rendered = render_anonymous(url=article.full_url)
    assert rendered.status == 200
    assert rendered.content_type.startswith("text/html")
    assert article.title in rendered.body.decode()
    assert not rendered.header("Set-Cookie")


def test_a_site_on_its_own_host_is_rendered_for_that_host(cluster):
    column = cluster.district_news
    assert column.full_url.startswith("http://dongcheng.localhost/")
    rendered = render_anonymous(url=column.full_url)
    assert rendered.status == 200
    assert "东城动态" in rendered.body.decode()
    assert 'content="dongcheng.localhost"' in rendered.body.decode()


def test_an_unpublished_page_renders_not_found(cluster):
    url = cluster.health_article.full_url
    cluster.health_article.unpublish()
    assert render_anonymous(url=url).status == 404


def test_the_environ_carries_no_credentials_and_bypasses_the_page_cache():
    environ = anonymous_environ("https://dongcheng.localhost/news/%E6%96%87/?page=2")
    assert environ["HTTP_HOST"] == "dongcheng.localhost"
    assert environ["SERVER_PORT"] == "443"
    assert environ["wsgi.url_scheme"] == "https"
    assert environ["PATH_INFO"] == "/news/文/".encode().decode("latin-1")
    assert environ["QUERY_STRING"] == "page=2"
    assert environ[BYPASS_PAGE_CACHE] is True
    assert not any(key in environ for key in ("HTTP_COOKIE", "HTTP_AUTHORIZATION"))


def test_a_non_default_port_is_kept_in_the_host_header():
    assert anonymous_environ("http://localhost:8080/")["HTTP_HOST"] == "localhost:8080"


@pytest.mark.parametrize("url", ["/relative/", "ftp://localhost/", "http:///nohost/"])
def test_only_absolute_http_urls_are_rendered(url):
    with pytest.raises(ValueError):
        anonymous_environ(url)


def test_rendering_inside_a_transaction_leaves_the_callers_connection_alone(cluster):
    fired = []

    def record(**kwargs):
        fired.append(kwargs)

    request_started.connect(record)
    request_finished.connect(record)
    try:
        assert connection.in_atomic_block
        render_anonymous(url=cluster.education_article.full_url)
        assert connection.in_atomic_block and not connection.needs_rollback
        assert fired == []
    finally:
        request_started.disconnect(record)
        request_finished.disconnect(record)
