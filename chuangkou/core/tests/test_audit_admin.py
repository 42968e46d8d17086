"""审计记录 in the admin: read-only, for auditors only (三员分立)."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.admin.menu import admin_menu

from chuangkou.core.audit import record_event
from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role
from chuangkou.organizations.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INDEX = "/admin/audit_events/"


@pytest.fixture
def auditor(cluster):
    return cluster.user("city", Role.AUDITOR)


def listed_actions(response) -> list[str]:
    return [event.action for event in response.context["object_list"]]


def test_the_auditor_sees_every_event_newest_first(client, cluster, auditor):
    record_event("test.latest", actor=cluster.user("education", Role.EDITOR),
                 target=cluster.education)
    client.force_login(auditor)
    response = client.get(reverse("audit_events:index"))
    assert response.status_code == 200
    events = list(response.context["object_list"])
    assert events[0].action == "test.latest"
    times = [event.occurred_at for event in events]
    assert times == sorted(times, reverse=True)
    html = response.content.decode()
    assert "test.latest" in html and "education-editor" in html


def test_the_list_is_paginated(client, cluster, auditor):
    for number in range(60):
        record_event(f"test.bulk.{number:02d}")
    client.force_login(auditor)
    first = client.get(INDEX)
    second = client.get(INDEX, {"p": 2})
    assert len(first.context["object_list"]) == 50
    assert second.status_code == 200
    assert not {e.pk for e in first.context["object_list"]} & {
        e.pk for e in second.context["object_list"]}


def test_filters_by_action_actor_and_date_range(client, cluster, auditor):
    someone = UserFactory(username="someone")
    old = record_event("test.old", actor=someone)
    AuditEvent.objects.filter(pk=old.pk).update(occurred_at=timezone.now() - timedelta(days=40))
    record_event("test.recent", actor=someone)
    record_event("test.recent", actor=auditor)
    client.force_login(auditor)

    response = client.get(INDEX, {"action": "test.recent"})
    assert set(listed_actions(response)) == {"test.recent"}
    assert len(listed_actions(response)) == 2

    response = client.get(INDEX, {"actor": "someone"})
    assert sorted(listed_actions(response)) == ["test.old", "test.recent"]

    today = timezone.localdate()
    response = client.get(INDEX, {"actor": "someone",
                                  "occurred_at_from": (today - timedelta(days=1)).isoformat(),
                                  "occurred_at_to": today.isoformat()})
    assert listed_actions(response) == ["test.recent"]


@pytest.mark.parametrize("body_slug, role", [
    ("city", Role.SYSTEM_ADMINISTRATOR),
    ("education", Role.SITE_ADMINISTRATOR),
    ("education", Role.REVIEWER),
])
def test_nobody_but_the_auditor_opens_the_audit_list(client, cluster, body_slug, role):
    record_event("test.secret-ish", actor=cluster.user("education", Role.EDITOR))
    client.force_login(cluster.user(body_slug, role))
    for url in (INDEX, "/admin/audit_events/results/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "test.secret-ish" not in response.content.decode()


def test_there_is_no_way_to_add_change_or_delete_records(client, cluster, auditor):
    event = record_event("test.fixed")
    for name, args in (("add", []), ("edit", [event.pk]), ("delete", [event.pk]),
                       ("history", [event.pk]), ("copy", [event.pk])):
        with pytest.raises(NoReverseMatch):
            reverse(f"audit_events:{name}", args=args)
    client.force_login(auditor)
    count = AuditEvent.objects.count()
    for url in ("/admin/audit_events/new/", f"/admin/audit_events/edit/{event.pk}/",
                f"/admin/audit_events/delete/{event.pk}/"):
        assert client.post(url, {"action": "tampered"}).status_code == 404
    assert client.post(INDEX, {"action": "tampered"}).status_code in (200, 405)
    assert AuditEvent.objects.count() == count
    event.refresh_from_db()
    assert event.action == "test.fixed"
    html = client.get(INDEX).content.decode()
    assert "/admin/audit_events/new/" not in html


def test_the_menu_shows_the_audit_list_to_the_auditor_only(cluster, auditor):
    def names(user):
        request = RequestFactory().get("/admin/")
        request.user = user
        return {item.name for item in admin_menu.menu_items_for_request(request)}

    assert "audit-events" in names(auditor)
    assert "audit-events" not in names(cluster.user("city", Role.SYSTEM_ADMINISTRATOR))
