"""The auditor searches the audit trail: free text, filters, a time range in Beijing time."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangkou.core.audit import record_event
from chuangkou.core.choices import AuditOutcome
from chuangkou.core.context import client_address
from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role
from chuangkou.organizations.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INDEX = "/admin/audit_events/"
RESULTS = "/admin/audit_events/results/"
# 2026-11-20 09:30:05 in Beijing.
MORNING = datetime(2026, 11, 20, 1, 30, 5, tzinfo=UTC)


def event(action, *, actor=None, target=None, outcome=AuditOutcome.SUCCESS, address=None,
          at=MORNING):
    token = client_address.set(address)
    try:
        return record_event(action, actor=actor, target=target, outcome=outcome, occurred_at=at)
    finally:
        client_address.reset(token)


@pytest.fixture
def auditor_client(client, cluster):
    client.force_login(cluster.user("city", Role.AUDITOR))
    return client


@pytest.fixture
def trail(cluster):
    """A small trail: who did what to which object, from where, when (and nothing else: the
    records setting up the cluster wrote are cleared first)."""
    AuditEvent.objects.all().delete()
    zhang, li = UserFactory(username="zhangsan"), UserFactory(username="lisi")
    return {
        "publish": event("wagtail.publish", actor=zhang, target=cluster.education_article,
                         address="10.1.2.3"),
        "move": event("wagtail.move", actor=li, target=cluster.health_article,
                      address="10.1.9.9", at=MORNING + timedelta(hours=1)),
        "denied": event("audit.access_denied", actor=li, outcome=AuditOutcome.DENIED,
                        address="203.0.113.5", at=MORNING + timedelta(days=1)),
        "body": event("body.updated", actor=zhang, target=cluster.education,
                      address="2001:db8::1", at=MORNING - timedelta(days=1)),
    }


def found(client, **params) -> set[str]:
    response = client.get(RESULTS, params)
    assert response.status_code == 200
    return {e.action for e in response.context["object_list"]}


def test_free_text_matches_the_operator_the_object_or_the_action(auditor_client, trail):
    assert found(auditor_client, q="ZHANGSAN") == {"wagtail.publish", "body.updated"}
    assert found(auditor_client, q="秋季开学") == {"wagtail.publish"}
    assert found(auditor_client, q="wagtail.mo") == {"wagtail.move"}


def test_filters_by_action_operator_target_type_outcome_and_address(auditor_client, trail,
                                                                    cluster):
    assert found(auditor_client, action="wagtail.move") == {"wagtail.move"}
    assert found(auditor_client, actor="lisi") == {"wagtail.move", "audit.access_denied"}
    article_type = ContentType.objects.get_for_model(cluster.education_article)
    assert found(auditor_client, target_type=article_type.pk) == {"wagtail.publish",
                                                                  "wagtail.move"}
    assert found(auditor_client, outcome="denied") == {"audit.access_denied"}
    assert found(auditor_client, client_address="10.1.2.3") == {"wagtail.publish"}
    assert found(auditor_client, client_address="10.1.") == {"wagtail.publish", "wagtail.move"}
    assert found(auditor_client, client_address="2001:DB8:0::1") == {"body.updated"}


def test_the_action_and_target_type_choices_are_what_the_trail_holds(auditor_client, trail):
    response = auditor_client.get(INDEX)
    form = response.context["filters"].form
    actions = {value for value, _ in form.fields["action"].choices if value}
    assert {"wagtail.publish", "wagtail.move", "audit.access_denied"} <= actions
    labels = [label for _, label in form.fields["target_type"].choices]
    assert any("sitecluster.articlepage" in str(label) for label in labels)


def test_a_time_range_is_read_in_beijing_time_to_the_minute_or_the_whole_day(auditor_client,
                                                                           trail):
    between = {"occurred_at_from": "2026-11-20 09:30", "occurred_at_to": "2026-11-20 10:00"}
    assert found(auditor_client, **between) == {"wagtail.publish"}
    assert found(auditor_client, occurred_at_from="2026-11-20 09:31") == {
        "wagtail.move", "audit.access_denied"}
    whole_day = {"occurred_at_from": "2026-11-20", "occurred_at_to": "2026-11-20"}
    assert found(auditor_client, **whole_day) == {"wagtail.publish", "wagtail.move"}
    with_offset = {"occurred_at_to": "2026-11-20T01:30:05+00:00"}
    assert found(auditor_client, **with_offset) == {"wagtail.publish", "body.updated"}


def test_times_are_shown_in_beijing_time_with_the_offset(auditor_client, trail):
    html = auditor_client.get(INDEX).content.decode()
    assert "2026-11-20 09:30:05 +08:00" in html
    assert "2026-11-20 10:30:05 +08:00" in html


@pytest.mark.parametrize("params, field_label", [
    ({"occurred_at_from": "2026-13-45"}, "时间从"),
    ({"occurred_at_to": "昨天"}, "时间至"),
    ({"outcome": "maybe"}, "结果"),
    ({"client_address": "not-an-address"}, "来源地址"),
    ({"target_type": "999999"}, "对象类型"),
    ({"occurred_at_from": "2026-11-21", "occurred_at_to": "2026-11-20"}, "时间至"),
])
def test_bad_filter_input_is_named_on_the_form_and_shows_nothing(auditor_client, trail, params,
                                                                field_label):
    for url in (INDEX, RESULTS):
        response = auditor_client.get(url, params)
        assert response.status_code == 200
        assert list(response.context["object_list"]) == []
        errors = dict(response.context["filter_errors"])
        assert field_label in errors, errors
        html = response.content.decode()
        assert "筛选条件有误" in html and f"<strong>{field_label}</strong>" in html


def test_the_list_is_paginated_newest_first(auditor_client):
    for number in range(55):
        event(f"test.page.{number:02d}", at=MORNING + timedelta(seconds=number))
    first = auditor_client.get(INDEX, {"q": "test.page"}).context["object_list"]
    second = auditor_client.get(INDEX, {"q": "test.page", "p": 2}).context["object_list"]
    assert [e.action for e in first][:2] == ["test.page.54", "test.page.53"]
    assert len(first) == 50 and len(second) == 5


def test_the_list_takes_the_same_number_of_queries_for_5_or_60_records(auditor_client,
                                                                       cluster):
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert auditor_client.get(INDEX).status_code == 200
        return len(context.captured_queries)

    targets = [cluster.education_article, cluster.education, cluster.portal, None]
    actors = [UserFactory(), UserFactory(), None]
    for number in range(5):
        event(f"test.few.{number}", actor=actors[number % 3], target=targets[number % 4])
    few = queries()
    for number in range(55):
        event(f"test.many.{number}", actor=actors[number % 3], target=targets[number % 4],
              address=f"10.0.0.{number}")
    assert queries() == few
