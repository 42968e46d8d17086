"""检索统计 and 索引状态 in the admin: figures for the chosen period (a period not offered is
refused with 400), citizens' queries shown escaped, a constant number of queries however many
rows; the status of this machine's replica, also when its index cannot be read; both screens
for the system administrator only (real 403 for other staff), and the role table that grants
the search permissions."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chuangkou.organizations.choices import Role
from chuangkou.organizations.permissions import MODEL_PERMISSIONS, SEARCH_PERMISSIONS
from chuangkou.search import actions
from chuangkou.search.admin_views import percentage
from chuangkou.search.models import IndexChange, QueryStatistic
from chuangkou.sitecluster.tests.factories import make_article

pytestmark = pytest.mark.django_db

STATISTICS = reverse("search_statistics:index")
STATUS = reverse("search_index_status:index")
LOGIN = reverse("wagtailadmin_login")


@pytest.fixture
def administrator(cluster, client):
    user = cluster.user("city", Role.SYSTEM_ADMINISTRATOR)
    client.force_login(user)
    return user


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def count(query: str, *, day: datetime.date, searches: int, zero: int = 0,
          clicks: int = 0) -> None:
    QueryStatistic.objects.create(day=day, query=query, searches=searches,
                                  zero_result_searches=zero, clicks=clicks)


@pytest.fixture
def statistics():
    """Searches of the last three months as the search page counted them."""
    count("养老保险", day=days_ago(0), searches=8, clicks=3)
    count("养老保险", day=days_ago(5), searches=2, clicks=1)
    count("社保卡挂失", day=days_ago(1), searches=4, zero=4)
    count("公积金", day=days_ago(20), searches=6, zero=1, clicks=2)
    count("户口迁移", day=days_ago(60), searches=5, zero=5)
    count("很久以前", day=days_ago(120), searches=50)


def table_rows(response, name: str) -> list:
    return [(row.query, row.searches, row.zero_result_searches, row.clicks, row.click_through)
            for row in response.context[name]]


# -- who gets in ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [STATISTICS, STATUS])
def test_the_system_administrator_opens_the_screen(client, administrator, search_index, url):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", [STATISTICS, STATUS])
@pytest.mark.parametrize("body, role", [
    ("city", Role.AUDITOR),
    ("education", Role.SITE_ADMINISTRATOR),
    ("health", Role.EDITOR),
])
def test_other_staff_get_a_real_403(client, cluster, statistics, url, body, role):
    client.force_login(cluster.user(body, role))
    response = client.get(url)
    assert response.status_code == 403
    assert "养老保险" not in response.content.decode()


@pytest.mark.parametrize("url", [STATISTICS, STATUS])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_every_search_permission_named_in_the_role_table_exists():
    # sync_body_role_groups skips names it cannot find, so a misspelt one would grant nothing.
    for name in SEARCH_PERMISSIONS:
        app_label, codename = name.split(".")
        assert Permission.objects.filter(content_type__app_label=app_label,
                                         codename=codename).exists(), name


def test_only_the_system_administrator_holds_the_search_permissions(cluster):
    user = cluster.user("city", Role.SYSTEM_ADMINISTRATOR)
    assert user.has_perms(SEARCH_PERMISSIONS)
    for role, names in MODEL_PERMISSIONS.items():
        if role != Role.SYSTEM_ADMINISTRATOR:
            assert not [name for name in names if name.startswith("search.")], role
    assert not cluster.user("city", Role.AUDITOR).has_perm("search.view_querystatistic")


# -- 检索统计 ------------------------------------------------------------------------------------


def test_the_last_30_days_are_shown_by_default(client, administrator, statistics):
    response = client.get(STATISTICS)
    assert response.status_code == 200
    assert response.context["days"] == 30
    assert response.context["totals"] == {
        "searches": 20, "zero_result_searches": 5, "clicks": 6,
        "click_through": pytest.approx(0.3), "zero_result_rate": pytest.approx(0.25)}
    assert (response.context["zero_result_rate"], response.context["click_through"]) == (
        "25.0%", "30.0%")
    assert table_rows(response, "top_queries") == [
        ("养老保险", 10, 0, 4, "40.0%"),
        ("公积金", 6, 1, 2, "33.3%"),
        ("社保卡挂失", 4, 4, 0, "0.0%"),
    ]
    assert [(row["query"], row["total_zero"]) for row in
            response.context["zero_result_queries"]] == [("社保卡挂失", 4), ("公积金", 1)]
    html = response.content.decode()
    assert "30.0%" in html and "社保卡挂失" in html and "很久以前" not in html


@pytest.mark.parametrize("days, searches, queries", [
    ("7", 14, ["养老保险", "社保卡挂失"]),
    ("90", 25, ["养老保险", "公积金", "户口迁移", "社保卡挂失"]),
])
def test_the_period_can_be_chosen(client, administrator, statistics, days, searches, queries):
    response = client.get(STATISTICS, {"days": days})
    assert response.context["totals"]["searches"] == searches
    assert sorted(row.query for row in response.context["top_queries"]) == sorted(queries)


@pytest.mark.parametrize("days", ["365", "0", "abc", "30天", "7" * 500])
def test_a_period_not_offered_is_refused_with_its_message(client, administrator, statistics,
                                                         days):
    response = client.get(STATISTICS, {"days": days})
    assert response.status_code == 400
    assert "统计期间只能是最近 7 天、30 天或 90 天" in response.content.decode()
    assert "top_queries" not in response.context


def test_a_period_without_searches_shows_dashes_not_a_division_by_zero(client, administrator):
    response = client.get(STATISTICS, {"days": "7"})
    assert response.status_code == 200
    assert (response.context["zero_result_rate"], response.context["click_through"]) == (
        "—", "—")
    assert "这段时间没有检索记录" in response.content.decode()


def test_a_query_clicked_but_not_searched_in_the_period_is_no_server_error(client,
                                                                          administrator):
    # A click counted after midnight lands on a day without a search for the query.
    count("夜间办理", day=days_ago(0), searches=0, clicks=1)
    count("养老保险", day=days_ago(0), searches=4, clicks=1)
    response = client.get(STATISTICS)
    assert response.status_code == 200
    assert ("夜间办理", 0, 0, 1, "—") in table_rows(response, "top_queries")


def test_queries_typed_by_citizens_are_shown_escaped(client, administrator):
    actions.record_search(query='<script>alert("x")</script>', found=0)
    html = client.get(STATISTICS).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_counts_recorded_by_the_search_page_appear(client, administrator):
    for found in (3, 0, 5):
        actions.record_search(query="不动产登记", found=found)
    actions.record_result_click(query="不动产登记")
    response = client.get(STATISTICS, {"days": "7"})
    assert table_rows(response, "top_queries") == [("不动产登记", 3, 1, 1, "33.3%")]


def test_the_report_costs_the_same_queries_for_few_rows_as_for_many(client, administrator):
    def queries_for_report() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(STATISTICS, {"days": "90"}).status_code == 200
        return len(captured)

    for number in range(3):
        count(f"检索词{number}", day=days_ago(number), searches=number + 1, zero=1, clicks=1)
    client.get(STATISTICS)
    few = queries_for_report()
    for number in range(3, 80):
        count(f"检索词{number}", day=days_ago(number % 90), searches=number + 1, zero=1,
              clicks=1)
    assert queries_for_report() == few


def test_percentages_are_shown_to_one_decimal():
    assert [percentage(rate) for rate in (None, 0.0, 1 / 3, 1.0)] == [
        "—", "0.0%", "33.3%", "100.0%"]


# -- 索引状态 ------------------------------------------------------------------------------------


def test_the_status_shows_the_replica_before_and_after_applying_the_change_log(
        client, administrator, cluster, search_index):
    make_article(column=cluster.health_news, title="医疗保险异地就医备案办法",
                 body="<p>参保人员异地就医须先备案。</p>")
    latest = IndexChange.objects.order_by("-id").values_list("id", flat=True).first()
    status = client.get(STATUS).context["status"]
    assert status.problem == ""
    assert status.documents == 0
    assert status.pending_changes == IndexChange.objects.count() > 0
    assert (status.applied_through, status.latest_change) == (0, latest)
    search_index.apply()
    response = client.get(STATUS)
    status = response.context["status"]
    assert status.pending_changes == 0 and status.applied_through == latest
    assert status.documents == search_index.index.count() > 0
    assert status.root == search_index.root
    html = response.content.decode()
    assert "python manage.py rebuild_search_index" in html
    assert str(search_index.root) in html


def test_an_index_that_cannot_be_read_is_reported_not_a_server_error(client, administrator,
                                                                     settings, tmp_path):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("这里应当是索引目录", encoding="utf-8")
    settings.SEARCH_INDEX_DIR = blocked
    response = client.get(STATUS)
    assert response.status_code == 200
    status = response.context["status"]
    assert status.problem and status.documents is None and status.pending_changes is None
    assert "本机的检索索引无法读取" in response.content.decode()
