"""The anonymous full-page cache: validators, what is cached, and freshness on publication."""

import pytest
from django.core.cache import caches

from chuangkou.organizations.choices import Role
from chuangkou.publishing import freshness
from chuangkou.sitecluster.tests.factories import make_article


@pytest.fixture
def page_cache_on(settings, tmp_path):
    settings.PAGE_CACHE_ENABLED = True
    settings.VAR_DIR = tmp_path
    settings.REDIS_URL = ""
    freshness.reset_generation_clock()
    yield
    freshness.reset_generation_clock()


def get(client, url, **headers):
    return client.get(url, HTTP_HOST="localhost", **headers)


def publish_new_title(article, title):
    article.title = title
    article.save_revision().publish()


def test_anonymous_page_is_cached_with_validators(cluster, client, page_cache_on):
    url = cluster.education_article.url
    first = get(client, url)
    second = get(client, url)
    assert first.status_code == second.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert first["ETag"] == second["ETag"] == freshness.entity_tag(first.content)
    assert first["Last-Modified"].endswith("GMT")
    assert "no-cache" in first["Cache-Control"]


def test_matching_etag_answers_not_modified(cluster, client, page_cache_on):
    url = cluster.education_article.url
    etag = get(client, url)["ETag"]
    revalidated = get(client, url, HTTP_IF_NONE_MATCH=etag)
    assert revalidated.status_code == 304
    assert revalidated.content == b""
    assert revalidated["ETag"] == etag
    assert get(client, url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_if_modified_since_answers_not_modified(cluster, client, page_cache_on):
    url = cluster.education_article.url
    last_modified = get(client, url)["Last-Modified"]
    assert get(client, url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert get(client, url, HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT").status_code == 200


def test_validators_are_sent_when_the_cache_is_off(cluster, client, settings):
    settings.PAGE_CACHE_ENABLED = False
    response = get(client, cluster.education_article.url)
    assert response["ETag"] == freshness.entity_tag(response.content)
    assert "X-Page-Cache" not in response
    assert get(client, cluster.education_article.url,
               HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_publication_makes_article_column_and_home_fresh(
    cluster, client, page_cache_on, django_capture_on_commit_callbacks
):
    article = cluster.education_article
    column_url = cluster.education_news.url
    home_url = cluster.education_site.home_page.url
    for url in (article.url, column_url, home_url):
        get(client, url)
        assert get(client, url)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        publish_new_title(article, "示例市教育局部署春季开学工作")

    for url in (article.url, column_url, home_url):
        response = get(client, url)
        assert response["X-Page-Cache"] == "miss", url
        assert "示例市教育局部署春季开学工作" in response.content.decode(), url


def test_new_article_appears_in_cached_listing(
    cluster, client, page_cache_on, django_capture_on_commit_callbacks
):
    column_url = cluster.education_news.url
    assert "开展校园安全大检查" not in get(client, column_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        make_article(column=cluster.education_news, title="开展校园安全大检查")
    assert "开展校园安全大检查" in get(client, column_url).content.decode()


def test_unpublished_article_is_gone_from_cache(
    cluster, client, page_cache_on, django_capture_on_commit_callbacks
):
    article = cluster.education_article
    assert get(client, article.url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert get(client, article.url).status_code == 404


def test_rolled_back_change_leaves_generation_alone(cluster, page_cache_on,
                                                    django_capture_on_commit_callbacks):
    before = freshness.generation_clock().current()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish_new_title(cluster.education_article, "未提交的标题")
    assert callbacks, "publication schedules an advance after commit"
    assert freshness.generation_clock().current() == before


def test_signed_in_staff_bypass_the_cache(cluster, client, page_cache_on):
    url = cluster.education_article.url
    get(client, url)
    client.force_login(cluster.user("education", Role.EDITOR))
    response = get(client, url)
    assert response.status_code == 200
    assert "X-Page-Cache" not in response


@pytest.mark.parametrize("query", ["?q=教育", "?page=1&utm=x", "?nocache=1"])
def test_unknown_query_parameters_bypass_the_cache(cluster, client, page_cache_on, query):
    url = cluster.education_news.url + query
    get(client, url)
    assert "X-Page-Cache" not in get(client, url)


def test_pagination_is_cached_per_page(cluster, client, page_cache_on):
    url = cluster.education_news.url
    get(client, url + "?page=2")
    assert get(client, url + "?page=2")["X-Page-Cache"] == "hit"
    assert get(client, url)["X-Page-Cache"] == "miss"


def test_hosts_do_not_share_entries(cluster, client, page_cache_on):
    get(client, "/")
    other = client.get("/", HTTP_HOST="dongcheng.localhost")
    assert other["X-Page-Cache"] == "miss"
    assert "东城" in other.content.decode()


@pytest.mark.parametrize("path", ["/admin/login/", "/api/v1/sites/", "/zhaocuo/"])
def test_admin_api_and_forms_are_never_cached(cluster, client, page_cache_on, path):
    get(client, path)
    assert "X-Page-Cache" not in get(client, path)


def test_response_setting_a_cookie_is_not_stored(cluster, client, page_cache_on):
    # The error-report form sets the CSRF cookie; such a page must never be replayed.
    assert not freshness.is_cacheable_request(method="POST", path="/", query={}, cookies={})
    response = client.get("/zhaocuo/", HTTP_HOST="localhost")
    assert response.cookies
    assert not caches["pages"]._cache


def test_file_clock_is_shared_between_instances(tmp_path):
    one = freshness.FileGenerationClock(tmp_path / "generation")
    two = freshness.FileGenerationClock(tmp_path / "generation")
    start = one.current()
    assert two.current() == start
    advanced = two.advance()
    assert advanced != start
    assert one.current() == advanced


def test_redis_clock_is_shared(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django_redis.cache.RedisCache",
                    "LOCATION": "redis://127.0.0.1:6379/0",
                    "KEY_PREFIX": "chuangkou-test-generation"},
    }
    caches["default"].delete(freshness.GENERATION_KEY)
    one = freshness.CacheGenerationClock()
    two = freshness.CacheGenerationClock()
    start = one.current()
    assert two.current() == start
    assert one.advance() != start
    assert two.current() == one.current()
    caches["default"].delete(freshness.GENERATION_KEY)


def test_redis_page_cache_and_clock_keep_pages_fresh(
    cluster, client, settings, django_capture_on_commit_callbacks
):
    redis = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:6379/0"}
    settings.CACHES = {
        "default": {**redis, "KEY_PREFIX": "chuangkou-test-freshness"},
        "pages": {**redis, "KEY_PREFIX": "chuangkou-test-freshness-pages"},
    }
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    settings.PAGE_CACHE_ENABLED = True
    freshness.reset_generation_clock()
    try:
        assert isinstance(freshness.generation_clock(), freshness.CacheGenerationClock)
        # A new generation instead of clear(): django-redis clears by flushing the database.
        freshness.advance_generation()
        url = cluster.education_article.url
        get(client, url)
        assert get(client, url)["X-Page-Cache"] == "hit"
        with django_capture_on_commit_callbacks(execute=True):
            publish_new_title(cluster.education_article, "示例市教育局部署寒假安全工作")
        fresh = get(client, url)
        assert fresh["X-Page-Cache"] == "miss"
        assert "示例市教育局部署寒假安全工作" in fresh.content.decode()
    finally:
        caches["default"].delete(freshness.GENERATION_KEY)
        freshness.reset_generation_clock()


def test_lost_redis_counter_never_reuses_an_old_generation(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django_redis.cache.RedisCache",
                    "LOCATION": "redis://127.0.0.1:6379/0",
                    "KEY_PREFIX": "chuangkou-test-lost-generation"},
    }
    clock = freshness.CacheGenerationClock()
    try:
        caches["default"].delete(freshness.GENERATION_KEY)
        first = clock.current()
        clock.advance()
        caches["default"].delete(freshness.GENERATION_KEY)  # evicted, or Redis restarted
        assert clock.current() not in {first, str(int(first) + 1)}
        caches["default"].delete(freshness.GENERATION_KEY)
        assert int(clock.advance()) > int(first) + 1
    finally:
        caches["default"].delete(freshness.GENERATION_KEY)
