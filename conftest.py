"""Shared fixtures: a small real cluster (portal, two department sites, a district site)
with staff in every role, built through the actions."""

import itertools
import shutil
from dataclasses import dataclass, field

import pytest

from chuangkou.organizations.choices import BodyKind
from chuangkou.organizations.tests.factories import make_body, make_staff
from chuangkou.sitecluster.choices import ColumnKind
from chuangkou.sitecluster.tests.factories import make_article, make_column, make_site

_index_numbers = itertools.count(1)


@dataclass
class Cluster:
    city: object
    education: object
    health: object
    district: object
    portal: object
    education_site: object
    health_site: object
    district_site: object
    portal_news: object
    education_news: object
    health_news: object
    district_news: object
    education_article: object
    health_article: object
    staff: dict = field(default_factory=dict)

    def user(self, body_slug: str, role: str):
        """The staff member holding ``role`` in the body ``body_slug``, created on first use:
        a test pays only for the staff it names (building all 80 cost ~3,000 queries)."""
        key = (body_slug, role)
        if key not in self.staff:
            body = {"city": self.city, "education": self.education, "health": self.health,
                    "dongcheng": self.district}[body_slug]
            self.staff[key] = make_staff(body=body, role=role, username=f"{body_slug}-{role}")
        return self.staff[key]


def build_cluster() -> Cluster:
    city = make_body(name="示例市人民政府", short_name="市政府", slug="city",
                     kind=BodyKind.CITY_GOVERNMENT)
    education = make_body(parent=city, name="示例市教育局", short_name="市教育局", slug="education")
    health = make_body(parent=city, name="示例市卫生健康委员会", short_name="市卫健委", slug="health")
    district = make_body(parent=city, name="示例市东城区人民政府", short_name="东城区",
                         slug="dongcheng", kind=BodyKind.DISTRICT_GOVERNMENT,
                         division_code="330102")
    portal = make_site(owner_body=city, is_portal=True, name="示例市人民政府门户网站",
                       slug="portal", identification_code="3301000001", hostname="localhost")
    education_site = make_site(owner_body=education, name="示例市教育局", slug="jyj",
                               identification_code="3301000002")
    health_site = make_site(owner_body=health, name="示例市卫生健康委员会", slug="wjw",
                            identification_code="3301000003")
    district_site = make_site(owner_body=district, name="示例市东城区人民政府", slug="dongcheng",
                              identification_code="3301020001", hostname="dongcheng.localhost")
    portal_news = make_column(parent=portal.home_page, title="政务动态", slug="news",
                              kind=ColumnKind.NEWS, responsible_body=city)
    education_news = make_column(parent=education_site.home_page, title="教育动态", slug="news",
                                 responsible_body=education)
    health_news = make_column(parent=health_site.home_page, title="卫健动态", slug="news",
                              responsible_body=health)
    district_news = make_column(parent=district_site.home_page, title="东城动态", slug="news",
                                responsible_body=district)
    result = Cluster(
        city=city, education=education, health=health, district=district, portal=portal,
        education_site=education_site, health_site=health_site, district_site=district_site,
        portal_news=portal_news, education_news=education_news, health_news=health_news,
        district_news=district_news,
        education_article=make_article(column=education_news, title="示例市教育局部署秋季开学工作"),
        health_article=make_article(column=health_news, title="示例市卫健委发布健康提示"),
    )
    return result


def _reloaded(cluster: Cluster) -> Cluster:
    """The same rows as fresh Python objects, so what one test changes in memory (or saved
    and rolled back) never leaks into the next."""
    from django.contrib.auth import get_user_model

    values = {}
    for name in Cluster.__dataclass_fields__:
        if name == "staff":
            continue
        obj = getattr(cluster, name)
        values[name] = type(obj)._default_manager.get(pk=obj.pk)
    users = get_user_model()._default_manager.in_bulk(
        [user.pk for user in cluster.staff.values()]
    )
    staff = {key: users[user.pk] for key, user in cluster.staff.items()}
    return Cluster(**values, staff=staff)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or (
        "transactional_db" in getattr(item, "fixturenames", ())
        or "live_server" in getattr(item, "fixturenames", ())
    )


@pytest.fixture(scope="module")
def _cluster_snapshot(request, django_db_setup, django_db_blocker):
    """Build the cluster once per test module inside a transaction that every test of the
    module nests its own transaction in, and roll it back after the module.

    Building it costs about 1,500 queries; per test that was a third of the suite's time.
    A module holding any transactional test gets no snapshot (those tests commit, which an
    outer transaction would swallow): its tests build the cluster each time instead.
    """
    module_items = [item for item in request.session.items
                    if getattr(item, "module", None) is request.module]
    if any(_is_transactional(item) for item in module_items):
        yield None
        return
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        with django_db_blocker.unblock():
            snapshot = build_cluster()
        yield snapshot
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def cluster(_cluster_snapshot, db):
    if _cluster_snapshot is None:
        return build_cluster()
    return _reloaded(_cluster_snapshot)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put back the data migrations created (Wagtail's root page, root collection, locale)
    after a test that ran with serialized rollback.

    Django restores it only when the *next* such test starts; under pytest-xdist an ordinary
    test may run in between and would find the database flushed.
    """
    yield
    marker = item.get_closest_marker("django_db")
    if nextitem is None or marker is None or not marker.kwargs.get("serialized_rollback"):
        return  # after the last test the test database is already gone
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        for connection in connections.all(initialized_only=True):
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with an empty anonymous page cache when it lives in process memory
    (a Redis cache is never cleared here: django-redis clears by flushing the database)."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["pages"], LocMemCache):
        caches["pages"].clear()
    yield


@pytest.fixture(autouse=True)
def _search_index_per_test(tmp_path_factory):
    """Each test gets its own (lazily created) search index directory: the database rolls back
    after a test, an index on disk would not."""
    from django.conf import settings

    from chuangkou.search.engine import forget_stores
    from chuangkou.search.wagtail_backend import forget_admin_stores

    previous = settings.SEARCH_INDEX_DIR
    directory = tmp_path_factory.getbasetemp() / "search" / f"t{next(_index_numbers)}"
    settings.SEARCH_INDEX_DIR = directory
    try:
        yield
    finally:
        settings.SEARCH_INDEX_DIR = previous
        forget_stores(directory)
        forget_admin_stores(directory)
        shutil.rmtree(directory, ignore_errors=True)
