"""Actions of 业务系统对接 (back-office integration): registering department approval systems,
their API keys and webhook secrets, retrying a webhook, and what a system records on an
application besides the handling steps (its own case number).

Keys and secrets are system administrators' business (``services.manage_back_office_systems``);
they never see applications (三员分立). A system acts on applications of its own body only.
"""

import hashlib
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangkou.organizations.models import Body

from ..choices import ApplicationEventKind, WebhookDeliveryStatus
from ..exceptions import ServicesRuleViolation
from ..models import ApplicationEvent, BackOfficeSystem, ServiceApplication, WebhookDelivery
from ..webhooks import send_after_commit
from ._common import _audit

__all__ = [
    "API_KEY_PREFIX",
    "back_office_key_digest",
    "record_back_office_use",
    "record_system_viewed_applicant",
    "register_back_office_system",
    "retry_webhook_delivery",
    "rotate_back_office_key",
    "rotate_webhook_secret",
    "set_external_reference",
    "system_may_act_on",
    "update_back_office_system",
]

API_KEY_PREFIX = "ck_"
KEY_PREFIX_LENGTH = 8
NAME_MAX_LENGTH = 100
URL_MAX_LENGTH = 200
REFERENCE_MAX_LENGTH = 64
# last_used_at is a hint for administrators ("is this key still in use?"); writing it on every
# call would turn each read into a write.
LAST_USED_RESOLUTION_SECONDS = 60


def back_office_key_digest(key: str) -> str:
    return hashlib.sha256((key or "").strip().encode()).hexdigest()


def _require_administrator(actor) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.is_active
            and actor.has_perm("services.manage_back_office_systems")):
        raise PermissionDenied(_("只有系统管理员可以管理业务系统对接。"))


def _new_key() -> tuple[str, str]:
    """(the key shown once, its recognisable prefix)."""
    prefix = secrets.token_hex(KEY_PREFIX_LENGTH // 2)
    return f"{API_KEY_PREFIX}{prefix}{secrets.token_urlsafe(32)}", prefix


def _new_webhook_secret() -> str:
    return secrets.token_hex(32)


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ServicesRuleViolation({"name": [_("请填写系统名称。")]})
    if len(name) > NAME_MAX_LENGTH:
        raise ServicesRuleViolation({"name": [
            _("系统名称不能超过%(count)d个字。") % {"count": NAME_MAX_LENGTH}]})
    return name


def _clean_webhook_url(url: str) -> str:
    """An http(s) address without credentials; plain http only where the setting allows it
    (development and test), because webhooks carry applications' contents."""
    url = (url or "").strip()
    if not url:
        return ""
    problem = None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a malformed port)
    except ValueError:
        parts = None
    allow_http = getattr(settings, "SERVICES_WEBHOOK_ALLOW_HTTP", True)
    if len(url) > URL_MAX_LENGTH:
        problem = _("回调地址不能超过%(count)d个字符。") % {"count": URL_MAX_LENGTH}
    elif parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        problem = _("回调地址必须是以 https:// 开头的完整网址。")
    elif parts.username is not None or parts.password is not None:
        problem = _("回调地址不能包含用户名或密码；接收方请用签名（X-Chuangkou-Signature）核验来源。")
    elif parts.scheme == "http" and not allow_http:
        problem = _("回调地址必须使用 https：回调内容含办件信息，不得明文传输。")
    elif any(character.isspace() for character in url):
        problem = _("回调地址不能包含空格。")
    if problem:
        raise ServicesRuleViolation({"webhook_url": [problem]})
    return url


def _body(body) -> Body:
    if not isinstance(body, Body):
        raise ServicesRuleViolation({"body": [_("请选择所属单位。")]})
    return body


@transaction.atomic
def register_back_office_system(*, actor, name: str, body: Body,
                                webhook_url: str = "") -> tuple[BackOfficeSystem, str]:
    """Register a department's approval system. Returns the system and its API key, which is
    shown this once: only its SHA-256 digest and prefix are stored. The webhook secret is on
    the returned system (shown at registration, then only when regenerated)."""
    _require_administrator(actor)
    name, body, webhook_url = _clean_name(name), _body(body), _clean_webhook_url(webhook_url)
    key, prefix = _new_key()
    system = BackOfficeSystem.objects.create(
        name=name, body=body, webhook_url=webhook_url, key_prefix=prefix,
        key_digest=back_office_key_digest(key), webhook_secret=_new_webhook_secret())
    _audit("services.back_office_system.registered", actor=actor, target=system, data={
        "name": name, "body": body.slug, "webhook_url": webhook_url, "key_prefix": prefix})
    return system, key


def _locked(system: BackOfficeSystem) -> BackOfficeSystem:
    return BackOfficeSystem.objects.select_for_update().select_related("body").get(pk=system.pk)


@transaction.atomic
def rotate_back_office_key(*, actor, system: BackOfficeSystem) -> str:
    """Issue a new API key; the old one stops working at once. Returns the new key (shown once)."""
    _require_administrator(actor)
    system = _locked(system)
    key, prefix = _new_key()
    old_prefix = system.key_prefix
    system.key_prefix, system.key_digest = prefix, back_office_key_digest(key)
    system.save(update_fields=["key_prefix", "key_digest"])
    _audit("services.back_office_system.key_rotated", actor=actor, target=system,
           data={"old_key_prefix": old_prefix, "key_prefix": prefix})
    return key


@transaction.atomic
def rotate_webhook_secret(*, actor, system: BackOfficeSystem) -> str:
    """重新生成回调密钥: a new signing secret, returned to be shown once and given to the
    department; webhooks sent from now on are signed with it."""
    _require_administrator(actor)
    system = _locked(system)
    system.webhook_secret = _new_webhook_secret()
    system.save(update_fields=["webhook_secret"])
    _audit("services.back_office_system.webhook_secret_rotated", actor=actor, target=system,
           data={"name": system.name})
    return system.webhook_secret


@transaction.atomic
def update_back_office_system(*, actor, system: BackOfficeSystem, name: str, webhook_url: str,
                              is_active: bool) -> BackOfficeSystem:
    """Rename, change the webhook address, or switch the system off (its key is refused and
    no webhooks are queued for it while inactive)."""
    _require_administrator(actor)
    name, webhook_url = _clean_name(name), _clean_webhook_url(webhook_url)
    system = _locked(system)
    before = {"name": system.name, "webhook_url": system.webhook_url,
              "is_active": system.is_active}
    system.name, system.webhook_url, system.is_active = name, webhook_url, bool(is_active)
    system.save(update_fields=["name", "webhook_url", "is_active"])
    after = {"name": system.name, "webhook_url": system.webhook_url,
             "is_active": system.is_active}
    _audit("services.back_office_system.updated", actor=actor, target=system, data={
        "changes": {key: [before[key], after[key]] for key in after if before[key] != after[key]}})
    return system


@transaction.atomic
def retry_webhook_delivery(*, actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """立即重试: put a given-up delivery back in the queue with fresh attempts and send it
    once this transaction commits."""
    _require_administrator(actor)
    delivery = (WebhookDelivery.objects.select_for_update().select_related("system")
                .get(pk=delivery.pk))
    if delivery.status != WebhookDeliveryStatus.FAILED:
        raise ServicesRuleViolation({"__all__": [_("只有发送失败的回调可以重试。")]})
    if not delivery.system.is_active or not delivery.system.webhook_url:
        raise ServicesRuleViolation({"__all__": [
            _("该业务系统已停用或没有回调地址，不能重试。")]})
    delivery.status = WebhookDeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    _audit("services.webhook_delivery.retried", actor=actor, target=delivery,
           data={"event_id": str(delivery.event_id), "system": delivery.system.name})
    send_after_commit([delivery.pk])
    return delivery


def system_may_act_on(system: BackOfficeSystem, application: ServiceApplication) -> bool:
    """A system sees and annotates the applications of its body: now at it, or implemented by
    it (while a proxy application is still on its way up)."""
    return bool(system.is_active and system.body_id in (
        application.current_body_id, application.item.implementing_body_id))


def record_back_office_use(*, system: BackOfficeSystem, now=None) -> None:
    """Note that the key was used, at most once a minute. Bookkeeping, not a change anyone
    decided, so it is not audited (each call that reads personal data is, separately)."""
    now = now or timezone.now()
    last = system.last_used_at
    if last is None or (now - last).total_seconds() >= LAST_USED_RESOLUTION_SECONDS:
        BackOfficeSystem.objects.filter(pk=system.pk).update(last_used_at=now)
        system.last_used_at = now


def record_system_viewed_applicant(*, application: ServiceApplication,
                                   system: BackOfficeSystem) -> None:
    """Personal data handed to a back-office system is a staff view like any other: audited."""
    _audit("services.applicant.viewed_by_system", target=application, data={
        "system": system.name, "system_id": system.pk, "body": system.body.slug})


@transaction.atomic
def set_external_reference(*, application: ServiceApplication, via_system: BackOfficeSystem,
                           reference: str) -> ServiceApplication:
    """Store the department system's own case number (业务系统办件号) on the application."""
    reference = (reference or "").strip()
    if len(reference) > REFERENCE_MAX_LENGTH:
        raise ServicesRuleViolation({"external_reference": [
            _("业务系统办件号不能超过%(count)d个字符。") % {"count": REFERENCE_MAX_LENGTH}]})
    if any(not character.isprintable() for character in reference):
        raise ServicesRuleViolation({"external_reference": [
            _("业务系统办件号不能包含控制字符。")]})
    application = (ServiceApplication.objects.select_for_update()
                   .select_related("item").get(pk=application.pk))
    if not system_may_act_on(via_system, application):
        raise PermissionDenied(_("该办件不属于本业务系统所属单位。"))
    if application.external_reference == reference:
        return application
    previous = application.external_reference
    application.external_reference = reference
    application.save(update_fields=["external_reference", "updated_at"])
    ApplicationEvent.objects.create(
        application=application, kind=ApplicationEventKind.BACK_OFFICE,
        occurred_at=timezone.now(), body=via_system.body, visible_to_applicant=False,
        internal_note=_("业务系统“%(system)s”登记办件号：%(reference)s") % {
            "system": via_system.name, "reference": reference or "—"})
    _audit("services.application.external_reference_set", target=application, data={
        "system": via_system.name, "system_id": via_system.pk, "previous": previous,
        "reference": reference})
    return application
