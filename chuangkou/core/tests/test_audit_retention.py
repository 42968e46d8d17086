"""Audit records are kept at least 180 days (网络安全法 第二十一条) and never changed or deleted
from the admin."""

import io
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from chuangkou.core.admin_views import audit_permission_policy
from chuangkou.core.audit import record_event
from chuangkou.core.checks import audit_retention_is_at_least_six_months
from chuangkou.core.exceptions import AuditRecordImmutable
from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role
from chuangkou.organizations.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def aged(action: str, days: int) -> AuditEvent:
    return record_event(action, occurred_at=timezone.now() - timedelta(days=days))


def test_the_retention_setting_defaults_to_180_days():
    assert django_settings.AUDIT_RETENTION_DAYS >= 180


@pytest.mark.parametrize("days, errors", [(180, 0), (365, 0), (179, 1), (30, 1)])
def test_a_retention_shorter_than_six_months_fails_the_system_check(settings, days, errors):
    settings.AUDIT_RETENTION_DAYS = days
    found = audit_retention_is_at_least_six_months()
    assert len(found) == errors
    if errors:
        assert found[0].id == "core.E001"
        assert "网络安全法 第二十一条" in found[0].hint


def test_the_purge_refuses_a_period_shorter_than_the_retention(settings):
    settings.AUDIT_RETENTION_DAYS = 365
    old = aged("test.old", 200)
    with pytest.raises(CommandError, match="shorter than the retention period of 365 days"):
        call_command("purge_audit_events", "--older-than-days", "200")
    with pytest.raises(CommandError, match="网络安全法"):
        call_command("purge_audit_events", "--older-than-days", "90")
    assert AuditEvent.objects.filter(pk=old.pk).exists()
    assert not AuditEvent.objects.filter(action="audit.purge").exists()


def test_the_purge_never_goes_below_180_days_whatever_the_setting(settings):
    settings.AUDIT_RETENTION_DAYS = 30  # refused by the system check too
    with pytest.raises(CommandError):
        call_command("purge_audit_events", "--older-than-days", "100")


def test_the_purge_deletes_only_older_records_and_records_itself(settings, monkeypatch):
    from chuangkou.core.management.commands import purge_audit_events

    monkeypatch.setattr(purge_audit_events, "BATCH_SIZE", 2)  # several batches
    settings.AUDIT_RETENTION_DAYS = 180
    expired = [aged(f"test.expired.{n}", 181 + n) for n in range(5)]
    kept = [aged("test.kept.179", 179), aged("test.kept.0", 0)]
    out = io.StringIO()
    call_command("purge_audit_events", "--older-than-days", "180", stdout=out)
    assert "Deleted 5 audit records" in out.getvalue()
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in expired]).exists()
    assert AuditEvent.objects.filter(pk__in=[e.pk for e in kept]).count() == 2
    purge = AuditEvent.objects.get(action="audit.purge")
    assert purge.data["deleted"] == 5 and purge.data["older_than_days"] == 180
    assert purge.actor is None


def test_a_dry_run_deletes_nothing(capsys):
    aged("test.expired", 400)
    call_command("purge_audit_events", "--older-than-days", "180", "--dry-run")
    assert "1 audit records" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="test.expired").exists()


def test_a_single_record_still_refuses_to_be_deleted():
    event = aged("test.expired", 400)
    with pytest.raises(AuditRecordImmutable):
        event.delete()


def test_nobody_may_add_change_or_delete_records_through_the_admin_policy(cluster):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    auditor = cluster.user("city", Role.AUDITOR)
    for user in (superuser, auditor):
        for action in ("add", "change", "delete"):
            assert not audit_permission_policy.user_has_permission(user, action)
        assert audit_permission_policy.user_has_permission(user, "view")
        assert not audit_permission_policy.user_has_any_permission(user, ["change", "delete"])
    assert not audit_permission_policy.users_with_any_permission(["delete"]).exists()


def test_a_superuser_finds_no_route_to_change_or_delete_a_record(client):
    event = record_event("test.fixed")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for url in (f"/admin/audit_events/edit/{event.pk}/", f"/admin/audit_events/delete/{event.pk}/",
                f"/admin/audit_events/inspect/{event.pk}/", f"/admin/audit_events/history/{event.pk}/",
                "/admin/snippets/core/auditevent/", "/admin/bulk/core/auditevent/delete/?id="
                f"{event.pk}"):
        assert client.post(url, {"action": "tampered"}).status_code == 404, url
    event.refresh_from_db()
    assert event.action == "test.fixed"
