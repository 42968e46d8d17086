"""The auditor exports what a search found, as a streamed CSV; nobody else gets in."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.db.models.query import QuerySet
from django.http import StreamingHttpResponse

from chuangkou.core import audit_export
from chuangkou.core.audit import record_event
from chuangkou.core.choices import AuditOutcome
from chuangkou.core.context import client_address
from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role
from chuangkou.organizations.permissions import BODY_ROLES, CLUSTER_ROLES
from chuangkou.organizations.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INDEX = "/admin/audit_events/"
RESULTS = "/admin/audit_events/results/"
EXPORT = "/admin/audit_events/?export=csv"
MORNING = datetime(2026, 11, 20, 1, 30, 5, tzinfo=UTC)  # 09:30:05 in Beijing


@pytest.fixture
def auditor(cluster):
    return cluster.user("city", Role.AUDITOR)


@pytest.fixture
def trail(cluster):
    AuditEvent.objects.all().delete()  # only what the test writes
    zhang = UserFactory(username="zhangsan")
    token = client_address.set("10.1.2.3")
    try:
        published = record_event("wagtail.publish", actor=zhang, target=cluster.education_article,
                                 data={"label": "秋季开学", "revision_id": 7},
                                 occurred_at=MORNING)
        record_event("wagtail.move", actor=zhang, target=cluster.health_article,
                     occurred_at=MORNING + timedelta(minutes=5))
    finally:
        client_address.reset(token)
    return {"published": published, "actor": zhang}


def exported(response) -> tuple[str, list[list[str]]]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    return text, list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_export_is_utf8_csv_with_a_bom_and_every_column(client, auditor, trail, cluster):
    client.force_login(auditor)
    response = client.get(INDEX, {"export": "csv", "action": "wagtail.publish"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-events-')
    text, rows = exported(response)
    assert text.startswith("\ufeff时间,")
    assert rows[0] == ["时间", "操作人", "操作", "对象类型", "对象编号", "对象", "来源地址",
                       "结果", "详情"]
    article = cluster.education_article
    assert rows[1:] == [[
        "2026-11-20T09:30:05+08:00", "zhangsan", "wagtail.publish", "sitecluster.articlepage",
        str(article.pk), article.title, "10.1.2.3", "成功",
        json.dumps({"label": "秋季开学", "revision_id": 7}, ensure_ascii=False, sort_keys=True),
    ]]


def test_the_export_follows_the_search_and_is_itself_recorded(client, auditor, trail):
    client.force_login(auditor)
    response = client.get(INDEX, {"export": "csv", "q": "zhangsan",
                                  "occurred_at_from": "2026-11-20 09:31"},
                          REMOTE_ADDR="172.16.0.8")
    _, rows = exported(response)
    assert [row[2] for row in rows[1:]] == ["wagtail.move"]
    record = AuditEvent.objects.get(action="audit.export")
    assert (record.actor, record.client_address) == (auditor, "172.16.0.8")
    assert record.data == {"filter": {"q": "zhangsan", "occurred_at_from": "2026-11-20 09:31"},
                           "rows": 1, "format": "csv"}


def test_the_export_holds_what_existed_when_it_began_newest_first(client, auditor, trail):
    client.force_login(auditor)
    _, rows = exported(client.get(EXPORT))
    assert [row[2] for row in rows[1:]] == ["wagtail.move", "wagtail.publish"]
    assert AuditEvent.objects.filter(action="audit.export").count() == 1


def test_the_export_is_streamed_from_a_database_cursor_in_chunks(client, auditor, trail,
                                                                 monkeypatch):
    for number in range(25):
        record_event(f"test.bulk.{number:02d}")
    sizes = []
    real_iterator = QuerySet.iterator

    def spy(self, chunk_size=None):
        sizes.append(chunk_size)
        return real_iterator(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    monkeypatch.setattr(audit_export, "ROWS_PER_CHUNK", 10)
    client.force_login(auditor)
    response = client.get(EXPORT)
    chunks = list(response.streaming_content)
    assert sizes == [audit_export.FETCH_SIZE]
    assert len(chunks) == 1 + 3  # the heading, then 27 rows by tens
    assert sum(chunk.count(b"\n") for chunk in chunks) == 1 + 27


def test_cells_a_spreadsheet_would_run_as_formulas_are_quoted(client, auditor, trail, cluster):
    record_event("=cmd|' /C calc'!A0", actor=trail["actor"])
    client.force_login(auditor)
    _, rows = exported(client.get(INDEX, {"export": "csv", "q": "calc"}))
    assert rows[1][2] == "'=cmd|' /C calc'!A0"


def test_a_bad_filter_refuses_the_export_and_names_the_field(client, auditor, trail):
    client.force_login(auditor)
    response = client.get(INDEX, {"export": "csv", "occurred_at_from": "2026-02-30",
                                  "outcome": "unknown"})
    assert response.status_code == 400
    assert not isinstance(response, StreamingHttpResponse)
    errors = dict(response.context["filter_errors"])
    assert set(errors) == {"时间从", "结果"}
    assert "<strong>时间从</strong>" in response.content.decode()
    assert not AuditEvent.objects.filter(action="audit.export").exists()


def test_the_export_button_carries_the_search(client, auditor, trail):
    client.force_login(auditor)
    html = client.get(INDEX, {"action": "wagtail.move", "p": 1}).content.decode()
    assert "/admin/audit_events/?action=wagtail.move&amp;export=csv" in html


STAFF_ROLES = [("education", role) for role in BODY_ROLES] + [
    ("city", role) for role in CLUSTER_ROLES if role != Role.AUDITOR]


def test_the_role_table_is_fully_covered():
    assert {role for _, role in STAFF_ROLES} | {Role.AUDITOR} == set(Role.values)


@pytest.mark.parametrize("body_slug, role", STAFF_ROLES)
def test_every_role_but_the_auditor_is_refused_search_and_export(client, cluster, trail,
                                                                 body_slug, role):
    user = cluster.user(body_slug, role)
    client.force_login(user)
    for url in (INDEX, RESULTS, EXPORT, f"{INDEX}?q=zhangsan", f"{RESULTS}?action=wagtail.move"):
        response = client.get(url, REMOTE_ADDR="10.7.7.7")
        assert response.status_code == 403, url
        assert not isinstance(response, StreamingHttpResponse)
        assert "zhangsan" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="audit.export").exists()
    refusals = AuditEvent.objects.filter(action="audit.access_denied", actor=user)
    assert refusals.count() == 5
    assert {(r.outcome, r.client_address) for r in refusals} == {(AuditOutcome.DENIED,
                                                                  "10.7.7.7")}


def test_the_auditor_may_search_and_export(client, auditor, trail):
    client.force_login(auditor)
    for url in (INDEX, RESULTS, f"{INDEX}?q=zhangsan"):
        assert client.get(url).status_code == 200
    assert client.get(EXPORT).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, trail):
    for url in (INDEX, EXPORT):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response.url
