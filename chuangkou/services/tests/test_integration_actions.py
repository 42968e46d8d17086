"""Actions of 业务系统对接: registering systems, keys and webhook secrets (shown once, stored as
a digest / kept for signing), editing, retrying a failed webhook and the external case
number a system stores on its applications. System administrators only (三员分立)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role

from .. import actions
from ..choices import ApplicationEventKind, WebhookDeliveryStatus
from ..exceptions import ServicesRuleViolation
from ..models import ApplicationEvent, BackOfficeSystem, WebhookDelivery
from ..webhooks import notify_back_offices
from .factories import make_application, make_item
from .integration_support import Receiver, administrator, register

pytestmark = pytest.mark.django_db

OTHER_ROLES = [Role.SERVICE_ITEM_MANAGER, Role.SERVICE_HANDLER, Role.SERVICE_SUPERVISOR,
               Role.AUDITOR, Role.SITE_ADMINISTRATOR]


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# --------------------------------------------------------------------------- registering


def test_registering_returns_the_key_once_and_stores_only_its_digest(cluster):
    system, key = register(cluster, webhook_url="https://jyj.example.gov.cn/hook")
    assert key.startswith("ck_" + system.key_prefix) and len(key) > 40
    assert key not in system.key_digest and system.key_digest == actions.back_office_key_digest(
        key)
    stored = BackOfficeSystem.objects.get()
    assert key not in {stored.key_prefix, stored.key_digest, stored.webhook_secret}
    assert len(stored.webhook_secret) == 64 and stored.is_active
    assert (stored.name, stored.body, stored.webhook_url) == (
        "教育审批系统", cluster.education, "https://jyj.example.gov.cn/hook")
    event = AuditEvent.objects.get(action="services.back_office_system.registered")
    assert key not in str(event.data) and stored.webhook_secret not in str(event.data)
    assert event.actor == administrator(cluster)


def test_two_systems_get_different_keys_and_secrets(cluster):
    first, first_key = register(cluster)
    second, second_key = register(cluster, name="第二个系统")
    assert first_key != second_key and first.webhook_secret != second.webhook_secret


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_only_system_administrators_register_systems(cluster, role):
    with pytest.raises(PermissionDenied):
        actions.register_back_office_system(actor=cluster.user("city", role), name="x",
                                            body=cluster.education)
    assert not BackOfficeSystem.objects.exists()


def test_registering_without_an_actor_is_refused(cluster):
    with pytest.raises(PermissionDenied):
        actions.register_back_office_system(actor=None, name="x", body=cluster.education)


@pytest.mark.parametrize(("name", "message"), [("  ", "请填写系统名称"), ("系" * 101, "不能超过100")])
def test_a_missing_or_long_name_is_refused_on_the_name(cluster, name, message):
    with pytest.raises(ServicesRuleViolation) as refused:
        register(cluster, name=name)
    assert message in refused.value.errors["name"][0]


def test_a_missing_body_is_refused_on_the_body(cluster):
    with pytest.raises(ServicesRuleViolation) as refused:
        actions.register_back_office_system(actor=administrator(cluster), name="x", body=None)
    assert "body" in refused.value.errors


@pytest.mark.parametrize(("url", "message"), [
    ("ftp://files.example.cn/hook", "https://"),
    ("javascript:alert(1)", "https://"),
    ("https://", "https://"),
    ("https://user:pass@jyj.example.cn/hook", "用户名或密码"),
    ("https://jyj.example.cn:99999/hook", "https://"),
    ("https://jyj.example.cn/a b", "空格"),
    ("https://jyj.example.cn/" + "a" * 200, "200"),
])
def test_a_bad_webhook_url_is_refused_on_the_field(cluster, url, message):
    with pytest.raises(ServicesRuleViolation) as refused:
        register(cluster, webhook_url=url)
    assert message in refused.value.errors["webhook_url"][0]


@override_settings(SERVICES_WEBHOOK_ALLOW_HTTP=False)
def test_plain_http_is_refused_where_the_setting_forbids_it(cluster):
    with pytest.raises(ServicesRuleViolation) as refused:
        register(cluster, webhook_url="http://jyj.example.cn/hook")
    assert "https" in refused.value.errors["webhook_url"][0]
    system, _key = register(cluster, webhook_url="https://jyj.example.cn/hook")
    assert system.webhook_url.startswith("https://")


def test_plain_http_is_allowed_in_development_and_test(cluster):
    system, _key = register(cluster, webhook_url="http://127.0.0.1:8080/hook")
    assert system.webhook_url == "http://127.0.0.1:8080/hook"


# --------------------------------------------------------------------------- keys and secrets


def test_rotating_the_key_invalidates_the_old_one(cluster):
    system, old_key = register(cluster)
    new_key = actions.rotate_back_office_key(actor=administrator(cluster), system=system)
    system.refresh_from_db()
    assert new_key != old_key and new_key.startswith("ck_" + system.key_prefix)
    assert system.key_digest == actions.back_office_key_digest(new_key)
    assert not BackOfficeSystem.objects.filter(
        key_digest=actions.back_office_key_digest(old_key)).exists()
    assert events("services.back_office_system.key_rotated") == 1


def test_rotating_the_webhook_secret_returns_the_new_one_and_is_audited(cluster):
    system, _key = register(cluster)
    old = system.webhook_secret
    secret = actions.rotate_webhook_secret(actor=administrator(cluster), system=system)
    system.refresh_from_db()
    assert secret == system.webhook_secret != old
    event = AuditEvent.objects.get(action="services.back_office_system.webhook_secret_rotated")
    assert secret not in str(event.data)


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_only_system_administrators_rotate_keys_and_secrets_or_edit(cluster, role):
    system, _key = register(cluster)
    user = cluster.user("education", role)
    with pytest.raises(PermissionDenied):
        actions.rotate_back_office_key(actor=user, system=system)
    with pytest.raises(PermissionDenied):
        actions.rotate_webhook_secret(actor=user, system=system)
    with pytest.raises(PermissionDenied):
        actions.update_back_office_system(actor=user, system=system, name="x", webhook_url="",
                                          is_active=False)


def test_editing_changes_name_url_and_active_and_records_the_changes(cluster):
    system, _key = register(cluster)
    actions.update_back_office_system(actor=administrator(cluster), system=system,
                                      name="教育审批系统（新）",
                                      webhook_url="https://jyj.example.cn/v2/hook",
                                      is_active=False)
    system.refresh_from_db()
    assert (system.name, system.webhook_url, system.is_active) == (
        "教育审批系统（新）", "https://jyj.example.cn/v2/hook", False)
    event = AuditEvent.objects.get(action="services.back_office_system.updated")
    assert event.data["changes"]["is_active"] == [True, False]


def test_editing_with_a_bad_url_changes_nothing(cluster):
    system, _key = register(cluster, webhook_url="https://jyj.example.cn/hook")
    with pytest.raises(ServicesRuleViolation):
        actions.update_back_office_system(actor=administrator(cluster), system=system,
                                          name="新名称", webhook_url="ftp://x", is_active=True)
    system.refresh_from_db()
    assert system.name == "教育审批系统" and system.webhook_url == "https://jyj.example.cn/hook"


# --------------------------------------------------------------------------- retrying


@pytest.fixture
def failed_delivery(cluster):
    receiver = Receiver(answers=[200]).start()
    _system, _key = register(cluster, webhook_url=receiver.url)
    application = make_application(item=make_item(body=cluster.education))
    notify_back_offices(application=application, event_kind=ApplicationEventKind.ACCEPTED)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDeliveryStatus.FAILED, attempts=8, next_attempt_at=None,
        last_error="HTTP 500")
    yield delivery, receiver
    receiver.stop()


def test_retrying_a_failed_delivery_sends_it_after_commit(cluster, failed_delivery,
                                                          django_capture_on_commit_callbacks):
    delivery, receiver = failed_delivery
    with django_capture_on_commit_callbacks(execute=True):
        actions.retry_webhook_delivery(actor=administrator(cluster), delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.status == WebhookDeliveryStatus.DELIVERED and delivery.attempts == 1
    assert len(receiver.requests) == 1
    assert events("services.webhook_delivery.retried") == 1


def test_only_a_failed_delivery_can_be_retried(cluster, failed_delivery):
    delivery, _receiver = failed_delivery
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDeliveryStatus.DELIVERED)
    with pytest.raises(ServicesRuleViolation) as refused:
        actions.retry_webhook_delivery(actor=administrator(cluster), delivery=delivery)
    assert "失败" in refused.value.errors["__all__"][0]


def test_a_delivery_of_a_switched_off_system_cannot_be_retried(cluster, failed_delivery):
    delivery, _receiver = failed_delivery
    BackOfficeSystem.objects.update(is_active=False)
    with pytest.raises(ServicesRuleViolation):
        actions.retry_webhook_delivery(actor=administrator(cluster), delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.status == WebhookDeliveryStatus.FAILED


def test_a_handler_cannot_retry_a_delivery(cluster, failed_delivery):
    delivery, _receiver = failed_delivery
    with pytest.raises(PermissionDenied):
        actions.retry_webhook_delivery(
            actor=cluster.user("education", Role.SERVICE_HANDLER), delivery=delivery)


# --------------------------------------------------------------------------- external reference


def test_a_system_stores_its_case_number_on_its_application(cluster):
    system, _key = register(cluster)
    application = make_application(item=make_item(body=cluster.education))
    actions.set_external_reference(application=application, via_system=system,
                                   reference=" JY-2026-0042 ")
    application.refresh_from_db()
    assert application.external_reference == "JY-2026-0042"
    event = ApplicationEvent.objects.get(application=application)
    assert event.kind == ApplicationEventKind.BACK_OFFICE and not event.visible_to_applicant
    assert "JY-2026-0042" in event.internal_note
    assert events("services.application.external_reference_set") == 1
    actions.set_external_reference(application=application, via_system=system,
                                   reference="JY-2026-0042")
    assert events("services.application.external_reference_set") == 1  # unchanged: no-op


def test_a_system_cannot_annotate_another_bodys_application(cluster):
    system, _key = register(cluster, body=cluster.health)
    application = make_application(item=make_item(body=cluster.education))
    with pytest.raises(PermissionDenied):
        actions.set_external_reference(application=application, via_system=system,
                                       reference="X-1")
    application.refresh_from_db()
    assert application.external_reference == ""


@pytest.mark.parametrize(("reference", "message"), [("X" * 65, "64"), ("A\x00B", "控制字符")])
def test_a_bad_case_number_is_refused_on_the_field(cluster, reference, message):
    system, _key = register(cluster)
    application = make_application(item=make_item(body=cluster.education))
    with pytest.raises(ServicesRuleViolation) as refused:
        actions.set_external_reference(application=application, via_system=system,
                                       reference=reference)
    assert message in refused.value.errors["external_reference"][0]


def test_last_use_is_noted_at_most_once_a_minute(cluster):
    from datetime import timedelta

    from django.utils import timezone

    system, _key = register(cluster)
    now = timezone.now()
    actions.record_back_office_use(system=system, now=now)
    actions.record_back_office_use(system=system, now=now + timedelta(seconds=30))
    system.refresh_from_db()
    assert system.last_used_at == now
    actions.record_back_office_use(system=system, now=now + timedelta(seconds=61))
    system.refresh_from_db()
    assert system.last_used_at == now + timedelta(seconds=61)
