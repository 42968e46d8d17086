"""Signed webhooks to department back-office systems (业务系统对接: 网站受理—后台办理—网站反馈).

Every change to an application queues one ``WebhookDelivery`` per active system of the
application's bodies, inside the action's transaction; the deliveries are sent once it commits
(a rolled-back action sends nothing) and retried with exponential backoff by
``deliver_due_webhooks`` (the ``deliver_service_webhooks`` command on a timer).

What a department's receiver gets (document this to them)::

    POST <webhook_url>
    Content-Type: application/json; charset=utf-8
    X-Chuangkou-Event: accepted                       (an ApplicationEventKind value)
    X-Chuangkou-Delivery: 6f1c…-uuid                  (= payload["event_id"]; repeats share it)
    X-Chuangkou-Timestamp: 1767225600                 (Unix seconds, when this attempt was signed)
    X-Chuangkou-Signature: sha256=<hex HMAC-SHA256(secret, f"{timestamp}.{raw body}")>

The receiver recomputes the signature over the raw body with its webhook secret (see
``verify_signature``), refuses stale timestamps, answers 2xx once it has stored the event and
ignores an ``event_id`` it has seen (a delivery may arrive more than once). The payload holds no
applicant's personal data: the receiver fetches it over the authenticated API
(``application.api_url``), where each view is audited.
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .choices import FormFieldKind, WebhookDeliveryStatus
from .models import BackOfficeSystem, ServiceApplication, WebhookDelivery

__all__ = [
    "SIGNATURE_TOLERANCE_SECONDS",
    "DeliveryRunResult",
    "api_url",
    "application_payload",
    "back_office_systems",
    "deliver_due_webhooks",
    "notify_back_offices",
    "recent_deliveries",
    "send_after_commit",
    "send_delivery",
    "send_queued_deliveries",
    "sign_payload",
    "verify_signature",
]

logger = logging.getLogger(__name__)

SIGNATURE_TOLERANCE_SECONDS = 300
USER_AGENT = "Chuangkou-Webhooks/1"
# Form answers of these kinds are personal data: they go over the audited API only.
WITHHELD_FIELD_KINDS = (FormFieldKind.RESIDENT_ID, FormFieldKind.PHONE, FormFieldKind.EMAIL)
# A claimed delivery is left alone by other workers this long past the HTTP timeout; a worker
# that died mid-send is retried after it (the receiver drops the repeat by event_id).
CLAIM_MARGIN_SECONDS = 60


# --------------------------------------------------------------------------- signatures


def _as_bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode()


def sign_payload(secret: str, timestamp: int | str, body: str | bytes) -> str:
    """Hex HMAC-SHA256 of ``f"{timestamp}.{body}"`` under the system's webhook secret."""
    message = _as_bytes(str(timestamp)) + b"." + _as_bytes(body)
    return hmac.new(_as_bytes(secret), message, hashlib.sha256).hexdigest()


def verify_signature(*, secret: str, timestamp: int | str, body: str | bytes, signature: str,
                     tolerance_seconds: int = SIGNATURE_TOLERANCE_SECONDS,
                     now: float | None = None) -> bool:
    """For receivers: whether ``signature`` (the ``X-Chuangkou-Signature`` header, with or
    without ``sha256=``) signs ``body`` at ``timestamp``, and the timestamp is recent (a replayed
    old request fails)."""
    try:
        moment = int(str(timestamp).strip())
    except (TypeError, ValueError):
        return False
    current = time.time() if now is None else now
    if abs(current - moment) > tolerance_seconds:
        return False
    given = (signature or "").strip()
    if given.startswith("sha256="):
        given = given[len("sha256="):]
    return hmac.compare_digest(given.lower(), sign_payload(secret, moment, body))


# --------------------------------------------------------------------------- payloads


def api_url(name: str, **kwargs) -> str:
    """An absolute URL of the back-office API (the receiver is another machine)."""
    base = getattr(settings, "SERVICES_API_BASE_URL", "") or getattr(
        settings, "WAGTAILADMIN_BASE_URL", "")
    return base.rstrip("/") + reverse(f"api:{name}", kwargs=kwargs)


def _body_ref(body) -> dict:
    return {"slug": body.slug, "name": body.name}


def application_payload(application: ServiceApplication) -> dict:
    """What a webhook says about an application: state, dates, answers and where to fetch the
    rest. Expects ``item__implementing_body``, ``current_body``, ``uploads`` and
    ``item__form_fields`` fetched."""
    withheld = {field.name for field in application.item.form_fields.all()
                if field.kind in WITHHELD_FIELD_KINDS}
    number = application.number
    return {
        "number": number,
        "status": application.status,
        "item": {"code": application.item.code, "name": application.item.name},
        "implementing_body": _body_ref(application.item.implementing_body),
        "current_body": _body_ref(application.current_body),
        "channel": application.channel,
        "submitted_at": application.submitted_at,
        "acceptance_due_on": application.acceptance_due_on,
        "accepted_on": application.accepted_on,
        "due_on": application.due_on,
        "decided_on": application.decided_on,
        "external_reference": application.external_reference,
        "answers": {name: value for name, value in (application.answers or {}).items()
                    if name not in withheld},
        "withheld_answers": sorted(withheld & set(application.answers or {})),
        "uploads": [{
            "id": upload.pk, "name": upload.original_name, "content_type": upload.content_type,
            "size": upload.size, "is_supplement": upload.is_supplement,
            "url": api_url("services-backoffice-upload", number=number, pk=upload.pk),
        } for upload in application.uploads.all()],
        "api_url": api_url("services-backoffice-application", number=number),
    }


def _payload(*, application, event_kind: str, event_id: uuid.UUID, occurred_at: datetime,
             details: dict) -> dict:
    return json.loads(json.dumps({
        "event_id": str(event_id), "event": event_kind, "occurred_at": occurred_at,
        "application": details,
    }, cls=DjangoJSONEncoder))


def notify_back_offices(*, application: ServiceApplication, event_kind: str) -> None:
    """Queue a webhook about ``application`` for every active system with a webhook address
    at its implementing body (and its current body, when an application is on its way up),
    and send them once the calling transaction commits."""
    bodies = {application.item.implementing_body_id, application.current_body_id}
    systems = list(BackOfficeSystem.objects.filter(is_active=True, body_id__in=bodies)
                   .exclude(webhook_url="").order_by("pk"))
    if not systems:
        return
    fresh = (ServiceApplication.objects
             .select_related("item__implementing_body", "current_body")
             .prefetch_related("uploads", "item__form_fields").get(pk=application.pk))
    details = application_payload(fresh)
    now = timezone.now()
    created = []
    for system in systems:
        event_id = uuid.uuid4()
        created.append(WebhookDelivery.objects.create(
            event_id=event_id, system=system, application=fresh, event_kind=event_kind,
            payload=_payload(application=fresh, event_kind=event_kind, event_id=event_id,
                             occurred_at=now, details=details),
            next_attempt_at=now))
    send_after_commit([delivery.pk for delivery in created])


def send_after_commit(delivery_ids: list[int]) -> None:
    """Send these deliveries by a background task enqueued when the current transaction
    commits; a failure leaves them due for the next ``deliver_due_webhooks`` run, never fails
    the action that queued them."""
    from .tasks import send_webhook_deliveries

    ids = list(delivery_ids)
    transaction.on_commit(lambda: send_webhook_deliveries.enqueue(ids), robust=True)


def send_queued_deliveries(delivery_ids: list[int]) -> None:
    for pk in delivery_ids:
        try:
            send_delivery(pk)
        except Exception:  # the periodic run retries; the citizen's or staff's action stands
            logger.exception("webhook delivery %s could not be sent", pk)


# --------------------------------------------------------------------------- sending


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect would resend the signed body somewhere the administrator did not register.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """(HTTP status or None, error text) of one POST."""
    if not url.lower().startswith(("http://", "https://")):
        return None, "回调地址不是 http(s) 网址"
    # The scheme is checked just above (and by the action that stored the address).
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    timeout = getattr(settings, "SERVICES_WEBHOOK_TIMEOUT_SECONDS", 5)
    try:
        with _opener.open(request, timeout=timeout) as response:
            response.read(1024)
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code} {error.reason}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return None, f"{type(error).__name__}: {reason}"


def _backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the 1st, 2nd, 3rd, 4th … failed attempt."""
    return timedelta(minutes=2 ** max(attempts - 1, 0))


def _claim(pk: int, now: datetime) -> WebhookDelivery | None:
    """Lock the delivery, check it is still pending and due, and push its next attempt past
    the send so that no other worker takes it meanwhile. The row lock is not held during the
    HTTP request (that could take the whole timeout)."""
    lease = timedelta(seconds=getattr(settings, "SERVICES_WEBHOOK_TIMEOUT_SECONDS", 5)
                      + CLAIM_MARGIN_SECONDS)
    with transaction.atomic():
        rows = WebhookDelivery.objects.select_related("system")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        else:
            rows = rows.select_for_update()
        delivery = rows.filter(pk=pk, status=WebhookDeliveryStatus.PENDING).filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)).first()
        if delivery is None:
            return None
        # Compare-and-set as well: SQLite has no row locks (its IMMEDIATE transactions
        # serialise writers, but this keeps the claim correct under any isolation).
        claimed = WebhookDelivery.objects.filter(
            pk=pk, status=WebhookDeliveryStatus.PENDING,
            next_attempt_at=delivery.next_attempt_at,
        ).update(next_attempt_at=now + lease)
        return delivery if claimed == 1 else None


def send_delivery(pk: int, *, now: datetime | None = None) -> str | None:
    """Send one due, pending delivery and record the outcome. Returns its new status, or None
    when it was not due, not pending, or taken by another worker."""
    now = now or timezone.now()
    delivery = _claim(pk, now)
    if delivery is None:
        return None
    system = delivery.system
    attempts = delivery.attempts + 1
    if not system.is_active or not system.webhook_url:
        status_code, error = None, "业务系统已停用或没有回调地址"
    else:
        body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = int(time.time())
        status_code, error = _post(system.webhook_url, body, {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Chuangkou-Event": delivery.event_kind,
            "X-Chuangkou-Delivery": str(delivery.event_id),
            "X-Chuangkou-Timestamp": str(timestamp),
            "X-Chuangkou-Signature": "sha256=" + sign_payload(system.webhook_secret, timestamp,
                                                              body),
        })
    finished = timezone.now()
    values = {"attempts": attempts, "last_status_code": status_code,
              "last_error": error[:300]}
    if status_code is not None and 200 <= status_code < 300:
        values.update(status=WebhookDeliveryStatus.DELIVERED, delivered_at=finished,
                      next_attempt_at=None, last_error="")
    elif attempts >= getattr(settings, "SERVICES_WEBHOOK_MAX_ATTEMPTS", 8):
        values.update(status=WebhookDeliveryStatus.FAILED, next_attempt_at=None)
    else:
        values.update(next_attempt_at=max(now, finished) + _backoff(attempts))
    if not values["last_error"] and status_code is not None and not 200 <= status_code < 300:
        values["last_error"] = f"HTTP {status_code}"
    WebhookDelivery.objects.filter(pk=pk).update(**values)
    return values.get("status", WebhookDeliveryStatus.PENDING)


@dataclass(frozen=True)
class DeliveryRunResult:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0

    def __str__(self) -> str:
        return (f"delivered {self.delivered}, retrying {self.retrying}, failed {self.failed}, "
                f"skipped {self.skipped}")


def deliver_due_webhooks(*, now: datetime | None = None, limit: int = 100) -> DeliveryRunResult:
    """Send up to ``limit`` pending deliveries that are due, oldest first. Safe to run in
    several workers at once: each delivery is claimed under a lock before it is sent."""
    now = now or timezone.now()
    due = list(WebhookDelivery.objects.filter(status=WebhookDeliveryStatus.PENDING)
               .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
               .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    counts = {"delivered": 0, "retrying": 0, "failed": 0, "skipped": 0}
    for pk in due:
        status = send_delivery(pk, now=now)
        key = {WebhookDeliveryStatus.DELIVERED: "delivered",
               WebhookDeliveryStatus.PENDING: "retrying",
               WebhookDeliveryStatus.FAILED: "failed"}.get(status, "skipped")
        counts[key] += 1
    return DeliveryRunResult(**counts)


# --------------------------------------------------------------------------- reads (admin)


def back_office_systems():
    return BackOfficeSystem.objects.select_related("body").order_by("body__path", "name", "pk")


def recent_deliveries(system: BackOfficeSystem, *, limit: int = 100):
    return (WebhookDelivery.objects.filter(system=system)
            .select_related("application").order_by("-created_at", "-pk")[:limit])
