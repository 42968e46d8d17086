"""State changes of 依申请公开 (政府信息公开条例 第二十七条至第四十二条).

Every terminal state (answered, closed, transferred) creates exactly one ``ApplicationResponse``
whose ``responded_on`` equals the application's ``closed_on``: the annual report counts
responses by kind and year from it.
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangkou.accounts.choices import IdentityLevel
from chuangkou.accounts.queries import is_citizen
from chuangkou.core.audit import json_safe, record_event
from chuangkou.core.calendar import WorkingCalendar, working_calendar, working_days_between
from chuangkou.core.serials import next_serial
from chuangkou.notifications.actions import notify
from chuangkou.organizations.choices import Role
from chuangkou.organizations.models import Body

from .. import deadlines, fees
from ..choices import (
    ApplicantKind,
    ApplicationChannel,
    ApplicationEventKind,
    ApplicationStatus,
    ReminderKind,
    ResponseKind,
)
from ..exceptions import DisclosureRuleViolation
from ..models import (
    ApplicantDetails,
    ApplicationEvent,
    ApplicationResponse,
    DeadlineReminder,
    DisclosureApplication,
    ResponseAttachment,
)
from ..queries.applications import (
    application_ordinal_in_month,
    may_approve_extension,
    may_handle_applications,
    pending_extension_request,
    query_code_digest,
    response_letter_draft,
    staff_emails,
)
from ..queries.citizens import application_identity_shortfall
from ..response_kinds import RESPONSE_KINDS

__all__ = [
    "answer_application",
    "assign_handler",
    "close_for_missing_correction",
    "close_for_unpaid_fee",
    "confirm_application_receipt",
    "decide_extension",
    "end_consultation",
    "enter_staff_application",
    "issue_fee_notice",
    "process_disclosure_deadlines",
    "receive_correction",
    "record_applicant_details_viewed",
    "record_fee_payment",
    "request_correction",
    "request_extension",
    "send_deadline_reminder",
    "start_consultation",
    "submit_online_application",
    "transfer_application",
]

QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
QUERY_CODE_LENGTH = 8
ATTACHMENT_EXTENSIONS = {
    "pdf": (b"%PDF-",),
    "ofd": (b"PK\x03\x04",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
DEFAULT_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
# Kinds with their own path: reached only through the closing actions or a transfer.
KINDS_WITH_THEIR_OWN_ACTION = (ResponseKind.OTHER_NO_CORRECTION, ResponseKind.OTHER_UNPAID_FEE)
STAFF_ENTRY_CHANNELS = (ApplicationChannel.IN_PERSON, ApplicationChannel.REGISTERED_POST,
                        ApplicationChannel.ORDINARY_POST, ApplicationChannel.FAX)


@dataclass(frozen=True, kw_only=True)
class ApplicantInput:
    """申请人信息 as entered (条例 第二十九条第二款第（一）项)."""

    name: str
    identity_document_kind: str
    identity_document_number: str
    phone: str
    legal_representative: str = ""
    contact_person: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""


@dataclass(frozen=True, kw_only=True)
class InformationRequest:
    """What is asked for and how (条例 第二十九条第二款第（二）（三）项)."""

    applicant_kind: str
    information_description: str
    wanted_form: str
    delivery_method: str
    organisation_kind: str = ""
    information_title: str = ""
    information_document_number: str = ""


@dataclass(frozen=True, kw_only=True)
class DeadlineRunResult:
    corrections_closed: list[str] = field(default_factory=list)
    fees_closed: list[str] = field(default_factory=list)
    due_soon_reminders: list[str] = field(default_factory=list)
    overdue_reminders: list[str] = field(default_factory=list)


def _today() -> date:
    return timezone.localdate()


def applicant_key(document_kind: str, document_number: str) -> str:
    """The digest the monthly fee count groups by: kind and normalised number."""
    normalised = "".join(document_number.split()).upper()
    return hashlib.sha256(f"{document_kind}:{normalised}".encode()).hexdigest()


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def _audit(action: str, *, actor=None, target=None, data: dict | None = None) -> None:
    record_event(action, actor=actor, target=target, data=json_safe(data or {}))


def _require_handler(actor, body: Body) -> None:
    if not may_handle_applications(actor, body):
        raise PermissionDenied


def _require_status(application: DisclosureApplication, *statuses: str, field: str = "__all__"):
    if application.status not in statuses:
        raise DisclosureRuleViolation({field: [
            _("该申请当前状态为“%(status)s”，不能办理此事项。")
            % {"status": application.get_status_display()}]})


def _locked(application: DisclosureApplication) -> DisclosureApplication:
    # Re-read under a row lock: two staff acting at once must not both pass the checks.
    return (DisclosureApplication.objects.select_for_update().select_related("body")
            .get(pk=application.pk))


def _add_event(application, kind: str, *, actor=None, public_note: str = "",
               internal_note: str = "", visible: bool = True, data: dict | None = None,
               at: datetime | None = None) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application, kind=kind, occurred_at=at or timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        public_note=public_note, internal_note=internal_note, visible_to_applicant=visible,
        data=data or {},
    )


def _recompute_due(application: DisclosureApplication, calendar: WorkingCalendar) -> None:
    application.due_on = deadlines.reply_due(deadlines.ApplicationTimeline(
        clock_started_on=application.clock_started_on,
        paused_working_days=application.paused_working_days,
        extension_working_days=application.extension_working_days,
    ), calendar=calendar)


def _notify_applicant(application: DisclosureApplication, notification: str, **context) -> None:
    """Tell the applicant (外网反馈): a citizen who applied while signed in through their account
    (their addresses, channels and inbox), anyone else at the e-mail address on the
    application. Each kind happens once in an application's life, hence the dedupe key."""
    context = {"number": application.number, "body": application.body.name, **context}
    if application.user_id is not None and is_citizen(application.user):
        notify(kind=notification, context={**context, "signed_in": True}, user=application.user,
               url=reverse("disclosure:my_application", args=[application.number]),
               dedupe_key=application.number)
        return
    email = (ApplicantDetails.objects.filter(application=application)
             .values_list("email", flat=True).first())
    if email:
        notify(kind=notification, context={**context, "signed_in": False}, email=email,
               url=reverse("disclosure:application_lookup"), dedupe_key=application.number)


def _notify_staff(application: DisclosureApplication, notification: str, emails: list[str],
                  **context) -> None:
    """Tell staff by e-mail, one delivery per address (each retried on its own)."""
    url = reverse("disclosure_application_detail", args=[application.pk])
    for email in sorted(set(emails)):
        notify(kind=notification, context={"number": application.number, **context}, email=email,
               url=url)


def _create_application(*, body: Body, applicant: ApplicantInput, request: InformationRequest,
                        channel: str, status: str, submitted_at: datetime, form_token: str | None,
                        user=None, entered_by=None, received_on: date | None = None,
                        transferred_from: DisclosureApplication | None = None,
                        ) -> tuple[DisclosureApplication, str]:
    if request.applicant_kind == ApplicantKind.LEGAL_PERSON and not request.organisation_kind:
        raise DisclosureRuleViolation({"organisation_kind": [
            _("法人或其他组织申请人须选择组织类型（政府信息公开工作年度报告表三的分类）。")]})
    year = timezone.localdate(submitted_at).year
    # The serial is taken last so the counter row is locked for as short a time as possible.
    sequence = next_serial(scope=f"disclosure.application.{body.pk}", year=year)
    number = f"YSQ{year}-{body.slug.upper()}-{sequence:05d}"
    code = new_query_code()
    application = DisclosureApplication(
        number=number, body=body, year=year, sequence=sequence,
        query_code_hash=query_code_digest(number, code), form_token=form_token,
        channel=channel, applicant_kind=request.applicant_kind,
        organisation_kind=(request.organisation_kind
                           if request.applicant_kind == ApplicantKind.LEGAL_PERSON else ""),
        applicant_key=applicant_key(applicant.identity_document_kind,
                                    applicant.identity_document_number),
        user=user if getattr(user, "is_authenticated", False) else None,
        information_title=request.information_title,
        information_document_number=request.information_document_number,
        information_description=request.information_description,
        wanted_form=request.wanted_form, delivery_method=request.delivery_method,
        submitted_at=submitted_at, status=status, entered_by=entered_by,
        transferred_from=transferred_from,
    )
    if received_on is not None:
        application.received_on = received_on
        application.clock_started_on = received_on
        _recompute_due(application, working_calendar())
    application.save()
    ApplicantDetails.objects.create(
        application=application, name=applicant.name,
        identity_document_kind=applicant.identity_document_kind,
        identity_document_number="".join(applicant.identity_document_number.split()).upper(),
        legal_representative=applicant.legal_representative,
        contact_person=applicant.contact_person, phone=applicant.phone, email=applicant.email,
        address=applicant.address, postcode=applicant.postcode,
    )
    return application, code


@transaction.atomic
def submit_online_application(*, body: Body, applicant: ApplicantInput,
                              request: InformationRequest, form_token: str,
                              user=None) -> tuple[DisclosureApplication, str | None]:
    """网上申请 (条例 第二十九条): register the application with its number and query code.

    It waits for staff to confirm receipt (第三十一条: online applications are received the
    day both sides confirm). A repeated form token returns the first application and no code
    (the code was shown once, on the first receipt). When the form asks for an identity level
    (``DISCLOSURE_APPLICATION_REQUIRED_IDENTITY``), only a citizen at that level may apply.
    """
    if earlier := DisclosureApplication.objects.filter(form_token=form_token).first():
        return earlier, None
    if needed := application_identity_shortfall(user):
        raise DisclosureRuleViolation({"__all__": [
            _("网上申请须登录公众账号并达到“%(level)s”身份等级。") % {
                "level": IdentityLevel(needed).label}]})
    try:
        with transaction.atomic():
            application, code = _create_application(
                body=body, applicant=applicant, request=request,
                channel=ApplicationChannel.ONLINE,
                status=ApplicationStatus.AWAITING_CONFIRMATION, submitted_at=timezone.now(),
                form_token=form_token, user=user)
    except IntegrityError:
        # The same token committed by a parallel request while this one waited for the
        # counter; its savepoint (number included) is rolled back, so no gap is left.
        earlier = DisclosureApplication.objects.filter(form_token=form_token).first()
        if earlier is None:
            raise
        return earlier, None
    _add_event(application, ApplicationEventKind.SUBMITTED,
               public_note=_("已通过网上申请平台提交，等待受理机关确认收到。"))
    _audit("disclosure.application.submitted", actor=user, target=application,
                 data={"channel": application.channel, "body": body.slug})
    _notify_applicant(application, "disclosure.application_registered", online=True)
    return application, code


@transaction.atomic
def enter_staff_application(*, body: Body, applicant: ApplicantInput,
                            request: InformationRequest, channel: str, received_on: date,
                            actor) -> tuple[DisclosureApplication, str]:
    """Staff register an application that came in person, by post or by fax, with its receipt
    date under 条例 第三十一条 (in person: that day; registered post: the day signed for;
    ordinary post: the day confirmed with the applicant; fax: the day both sides confirm)."""
    _require_handler(actor, body)
    if channel not in STAFF_ENTRY_CHANNELS:
        raise DisclosureRuleViolation({"channel": [_("工作人员登记的申请只能是当面、邮寄或传真方式。")]})
    if received_on > _today():
        raise DisclosureRuleViolation({"received_on": [
            _("收到申请日期不能晚于今天（条例第三十一条）。")]})
    application, code = _create_application(
        body=body, applicant=applicant, request=request, channel=channel,
        status=ApplicationStatus.PROCESSING, submitted_at=timezone.now(), form_token=None,
        entered_by=actor, received_on=received_on)
    _add_event(application, ApplicationEventKind.SUBMITTED, actor=actor,
               public_note=_("申请已登记（%(channel)s）。") % {
                   "channel": application.get_channel_display()})
    _add_event(application, ApplicationEventKind.RECEIPT_CONFIRMED, actor=actor,
               public_note=_("收到申请日期：%(date)s，答复期限：%(due)s。") % {
                   "date": received_on.isoformat(), "due": application.due_on.isoformat()})
    _audit("disclosure.application.entered", actor=actor, target=application,
                 data={"channel": channel, "received_on": received_on})
    _notify_applicant(application, "disclosure.application_registered", online=False,
                      received_on=received_on.isoformat(), due_on=application.due_on.isoformat())
    return application, code


@transaction.atomic
def confirm_application_receipt(*, application: DisclosureApplication, actor,
                                received_on: date | None = None) -> DisclosureApplication:
    """确认收到: the day both sides confirm an online application is its receipt date
    (条例 第三十一条第（三）项); the 20 working days start from it."""
    application = _locked(application)
    _require_handler(actor, application.body)
    _require_status(application, ApplicationStatus.AWAITING_CONFIRMATION)
    received_on = received_on or _today()
    if received_on > _today():
        raise DisclosureRuleViolation({"received_on": [_("确认收到日期不能晚于今天。")]})
    if received_on < timezone.localdate(application.submitted_at):
        raise DisclosureRuleViolation({"received_on": [_("确认收到日期不能早于提交日期。")]})
    application.received_on = application.clock_started_on = received_on
    application.status = ApplicationStatus.PROCESSING
    _recompute_due(application, working_calendar())
    application.save()
    _add_event(application, ApplicationEventKind.RECEIPT_CONFIRMED, actor=actor,
               public_note=_("受理机关已确认收到申请，收到日期：%(date)s，答复期限：%(due)s。") % {
                   "date": received_on.isoformat(), "due": application.due_on.isoformat()})
    _audit("disclosure.application.receipt_confirmed", actor=actor, target=application,
                 data={"received_on": received_on})
    _notify_applicant(application, "disclosure.application_received",
                      received_on=received_on.isoformat(), due_on=application.due_on.isoformat())
    return application


@transaction.atomic
def assign_handler(*, application: DisclosureApplication, handler, actor) -> DisclosureApplication:
    """分派承办人: a disclosure officer or office head of the body."""
    application = _locked(application)
    _require_handler(actor, application.body)
    if not may_handle_applications(handler, application.body):
        raise DisclosureRuleViolation({"handler": [_("承办人须为本机关的政务公开工作人员或负责人。")]})
    application.handler = handler
    application.save(update_fields=["handler", "updated_at"])
    _add_event(application, ApplicationEventKind.ASSIGNED, actor=actor, visible=False,
               internal_note=_("承办人：%(name)s") % {"name": handler.get_username()})
    _audit("disclosure.application.assigned", actor=actor, target=application,
                 data={"handler": handler.get_username()})
    return application


@transaction.atomic
def request_correction(*, application: DisclosureApplication, actor, notice: str,
                       on: date | None = None) -> DisclosureApplication:
    """告知补正 (条例 第三十条): once, within 7 working days of receipt, saying everything to
    correct and by when. The reply clock stops until the corrected application arrives."""
    application = _locked(application)
    _require_handler(actor, application.body)
    _require_status(application, ApplicationStatus.PROCESSING)
    on = on or _today()
    if application.correction_requested_on is not None:
        raise DisclosureRuleViolation({"notice": [
            _("补正只能告知一次（条例第三十条：一次性告知需要补正的事项）。")]})
    calendar = working_calendar()
    if on > deadlines.correction_notice_deadline(application.received_on, calendar=calendar):
        raise DisclosureRuleViolation({"notice": [
            _("已超过收到申请之日起7个工作日，不能再告知补正（条例第三十条）。")]})
    if not notice.strip():
        raise DisclosureRuleViolation({"notice": [_("请写明需要补正的全部事项。")]})
    application.correction_requested_on = on
    application.correction_due_on = deadlines.correction_reply_due(on, calendar=calendar)
    application.status = ApplicationStatus.AWAITING_CORRECTION
    application.due_on = None
    application.save()
    _add_event(application, ApplicationEventKind.CORRECTION_REQUESTED, actor=actor,
               public_note=_("%(notice)s\n请于%(due)s前补正；逾期无正当理由不补正的，视为放弃申请。") % {
                   "notice": notice.strip(), "due": application.correction_due_on.isoformat()},
               data={"correction_due_on": application.correction_due_on.isoformat()})
    _notify_applicant(application, "disclosure.correction_requested", notice=notice.strip(),
                      correction_due_on=application.correction_due_on.isoformat())
    _audit("disclosure.application.correction_requested", actor=actor,
                 target=application, data={"correction_due_on": application.correction_due_on})
    return application


@transaction.atomic
def receive_correction(*, application: DisclosureApplication, actor, received_on: date,
                       information_description: str = "", note: str = "") -> DisclosureApplication:
    """收到补正: the reply period starts again from the day the corrected application
    arrives (条例 第三十条)."""
    application = _locked(application)
    _require_handler(actor, application.body)
    _require_status(application, ApplicationStatus.AWAITING_CORRECTION)
    if received_on > _today():
        raise DisclosureRuleViolation({"received_on": [_("收到补正日期不能晚于今天。")]})
    if received_on < application.correction_requested_on:
        raise DisclosureRuleViolation({"received_on": [_("收到补正日期不能早于告知补正日期。")]})
    if received_on > application.correction_due_on:
        raise DisclosureRuleViolation({"received_on": [
            _("收到补正日期晚于补正期限，应按逾期不补正处理。")]})
    application.correction_received_on = received_on
    application.clock_started_on = received_on
    application.paused_working_days = 0
    application.status = ApplicationStatus.PROCESSING
    if information_description.strip():
        application.information_description = information_description.strip()
    _recompute_due(application, working_calendar())
    application.save()
    _add_event(application, ApplicationEventKind.CORRECTION_RECEIVED, actor=actor,
               public_note=_("已收到补正材料（%(date)s），答复期限重新计算至%(due)s。") % {
                   "date": received_on.isoformat(), "due": application.due_on.isoformat()},
               internal_note=note)
    _audit("disclosure.application.correction_received", actor=actor,
                 target=application, data={"received_on": received_on})
    return application


def _close(application: DisclosureApplication, *, kind: str, status: str, on: date, actor,
           letter_text: str) -> ApplicationResponse:
    application.status = status
    application.closed_on = on
    application.paused_since = None
    application.save()
    return ApplicationResponse.objects.create(
        application=application, kind=kind, letter_text=letter_text, responded_on=on,
        responded_by=actor if getattr(actor, "is_authenticated", False) else None)


def _close_after_missed_deadline(application: DisclosureApplication, *, on: date, actor,
                                 waiting_status: str, deadline_field: str, not_yet: str,
                                 kind: str, event_kind: str, audit_action: str,
                                 ) -> ApplicationResponse:
    """Close an application whose applicant let a deadline pass (补正, 缴费): one response of
    ``kind`` dated ``on``, which the annual report counts under 其他处理."""
    application = _locked(application)
    if actor is not None:
        _require_handler(actor, application.body)
    _require_status(application, waiting_status)
    if on <= getattr(application, deadline_field):
        raise DisclosureRuleViolation({"__all__": [not_yet]})
    response = _close(application, kind=kind, status=ApplicationStatus.CLOSED, on=on,
                      actor=actor, letter_text=response_letter_draft(application, kind=kind, on=on))
    _add_event(application, event_kind, actor=actor,
               public_note=RESPONSE_KINDS[kind].letter_opening)
    _audit(audit_action, actor=actor, target=application)
    _notify_applicant(application, "disclosure.application_closed",
                      reason=RESPONSE_KINDS[kind].letter_opening)
    return response


@transaction.atomic
def close_for_missing_correction(*, application: DisclosureApplication, on: date,
                                 actor=None) -> ApplicationResponse:
    """逾期不补正 (条例 第三十条): the application counts as withdrawn; annual report row
    （六）其他处理 1."""
    return _close_after_missed_deadline(
        application, on=on, actor=actor, waiting_status=ApplicationStatus.AWAITING_CORRECTION,
        deadline_field="correction_due_on", not_yet=_("补正期限尚未届满。"),
        kind=ResponseKind.OTHER_NO_CORRECTION, event_kind=ApplicationEventKind.CORRECTION_EXPIRED,
        audit_action="disclosure.application.correction_expired")


@transaction.atomic
def start_consultation(*, application: DisclosureApplication, actor, third_party: str,
                       on: date | None = None) -> DisclosureApplication:
    """征求第三方意见 (条例 第三十二条): the third party has 15 working days; the time is not
    counted in the reply period."""
    application = _locked(application)
    _require_handler(actor, application.body)
    _require_status(application, ApplicationStatus.PROCESSING)
    on = on or _today()
    application.status = ApplicationStatus.CONSULTING
    application.paused_since = on
    application.save()
    third_party_due = deadlines.third_party_reply_due(on, calendar=working_calendar())
    _add_event(application, ApplicationEventKind.CONSULTATION_STARTED, actor=actor,
               public_note=_("本机关正在征求第三方意见，所需时间不计算在答复期限内（条例第三十二条）。"),
               internal_note=_("第三方：%(party)s；答复期限：%(due)s") % {
                   "party": third_party, "due": third_party_due.isoformat()})
    _audit("disclosure.application.consultation_started", actor=actor,
                 target=application)
    return application


def _resume(application: DisclosureApplication, on: date) -> int:
    calendar = working_calendar()
    paused = working_days_between(application.paused_since, on, calendar=calendar)
    application.paused_working_days += paused
    application.paused_since = None
    application.status = ApplicationStatus.PROCESSING
    _recompute_due(application, calendar)
    return paused


@transaction.atomic
def end_consultation(*, application: DisclosureApplication, actor, opinion: str = "",
                     on: date | None = None) -> DisclosureApplication:
    """第三方意见答复 (or its 15 days ran out): the clock runs again, the working days between
    not counted (条例 第三十二条)."""
    application = _locked(application)
    _require_handler(actor, application.body)
    _require_status(application, ApplicationStatus.CONSULTING)
    on = on or _today()
    if on < application.paused_since:
        raise DisclosureRuleViolation({"on": [_("结束日期不能早于征求意见开始日期。")]})
    paused = _resume(application, on)
    application.save()
    _add_event(application, ApplicationEventKind.CONSULTATION_ENDED, actor=actor,
               public_note=_("征求第三方意见结束，答复期限顺延至%(due)s。") % {
                   "due": application.due_on.isoformat()},
               internal_note=opinion, data={"paused_working_days": paused})
    _audit("disclosure.application.consultation_ended", actor=actor, target=application,
                 data={"paused_working_days": paused})
    return application


@transaction.atomic
def request_extension(*, application: DisclosureApplication, actor, working_days: int,
                      reason: str) -> ApplicationEvent:
    """申请延期答复: the handler asks the head of the disclosure office (条例 第三十三条)."""
    application = _locked(application)
    _require_handler(actor, application.body)
    _require_status(application, ApplicationStatus.PROCESSING, field="working_days")
    if application.extension_working_days:
        raise DisclosureRuleViolation({"working_days": [_("答复期限只能延长一次（条例第三十三条）。")]})
    if pending_extension_request(application):
        raise DisclosureRuleViolation({"working_days": [_("已有待审批的延期申请。")]})
    if not 1 <= working_days <= deadlines.EXTENSION_LIMIT.working_days:
        raise DisclosureRuleViolation({"working_days": [
            _("延长期限最长不超过20个工作日（条例第三十三条）。")]})
    if not reason.strip():
        raise DisclosureRuleViolation({"reason": [_("请说明延期理由。")]})
    event = _add_event(application, ApplicationEventKind.EXTENSION_REQUESTED, actor=actor,
                       visible=False, internal_note=reason.strip(),
                       data={"working_days": working_days})
    _audit("disclosure.application.extension_requested", actor=actor,
                 target=application, data={"working_days": working_days})
    return event


@transaction.atomic
def decide_extension(*, application: DisclosureApplication, actor, approve: bool,
                     note: str = "") -> DisclosureApplication:
    """审批延期: the head of the body's disclosure office, not the requester, approves or
    refuses; an approval extends the deadline once and the applicant is told (第三十三条)."""
    application = _locked(application)
    if not may_approve_extension(actor, application.body):
        raise PermissionDenied
    request = pending_extension_request(application)
    if request is None:
        raise DisclosureRuleViolation({"approve": [_("没有待审批的延期申请。")]})
    if request.actor_id == actor.pk:
        raise DisclosureRuleViolation({"approve": [
            _("延期申请须由政务公开工作机构负责人审批，申请人本人不能审批。")]})
    _require_status(application, ApplicationStatus.PROCESSING, field="approve")
    if approve:
        application.extension_working_days = request.data["working_days"]
        _recompute_due(application, working_calendar())
        application.save()
        _add_event(application, ApplicationEventKind.EXTENSION_APPROVED, actor=actor,
                   public_note=_("因%(reason)s，经政务公开工作机构负责人同意，答复期限延长%(days)d个"
                                 "工作日，至%(due)s（条例第三十三条）。") % {
                       "reason": note.strip() or _("需要进一步检索、核查相关信息"),
                       "days": application.extension_working_days,
                       "due": application.due_on.isoformat()},
                   data={"working_days": application.extension_working_days})
        _notify_applicant(application, "disclosure.application_extended",
                          due_on=application.due_on.isoformat())
    else:
        _add_event(application, ApplicationEventKind.EXTENSION_REFUSED, actor=actor,
                   visible=False, internal_note=note)
    _audit("disclosure.application.extension_decided", actor=actor, target=application,
                 data={"approved": approve})
    return application


@transaction.atomic
def issue_fee_notice(*, application: DisclosureApplication, actor,
                     on: date | None = None) -> DisclosureApplication:
    """收费通知 (条例 第四十二条; 国办函〔2020〕109号): the fee of this application by the
    applicant's count of the month; the time until payment is not counted."""
    application = _locked(application)
    _require_handler(actor, application.body)
    _require_status(application, ApplicationStatus.PROCESSING)
    if application.fee_amount is not None:
        raise DisclosureRuleViolation({"__all__": [_("该申请已发出过收费通知。")]})
    ordinal = application_ordinal_in_month(application)
    amount = fees.fee_for(ordinal)
    if amount == Decimal(0):
        raise DisclosureRuleViolation({"__all__": [
            _("该申请是申请人本月第%(n)d件，10件以内不收费（国办函〔2020〕109号）。") % {"n": ordinal}]})
    on = on or _today()
    application.fee_amount = amount
    application.fee_due_on = deadlines.fee_payment_due(on, calendar=working_calendar())
    application.paused_since = on
    application.status = ApplicationStatus.AWAITING_FEE
    application.save()
    _add_event(application, ApplicationEventKind.FEE_REQUESTED, actor=actor,
               public_note=_("本申请为您本月向本机关提出的第%(n)d件申请，依照国办函〔2020〕109号应缴纳"
                             "信息处理费%(amount)s元，请于%(due)s前缴纳；缴费期间不计算在答复期限内，"
                             "逾期未缴纳的，本机关不再处理该申请。") % {
                   "n": ordinal, "amount": amount, "due": application.fee_due_on.isoformat()},
               data={"ordinal": ordinal, "amount": str(amount)})
    _notify_applicant(application, "disclosure.fee_due", amount=str(amount),
                      fee_due_on=application.fee_due_on.isoformat())
    _audit("disclosure.application.fee_requested", actor=actor, target=application,
                 data={"ordinal": ordinal, "amount": amount})
    return application


@transaction.atomic
def record_fee_payment(*, application: DisclosureApplication, actor,
                       paid_on: date) -> DisclosureApplication:
    """缴费: the clock runs again, the days waiting for payment not counted."""
    application = _locked(application)
    _require_handler(actor, application.body)
    _require_status(application, ApplicationStatus.AWAITING_FEE)
    if paid_on > _today() or paid_on < application.paused_since:
        raise DisclosureRuleViolation({"paid_on": [_("缴费日期应在收费通知日期和今天之间。")]})
    if paid_on > application.fee_due_on:
        raise DisclosureRuleViolation({"paid_on": [_("缴费日期晚于缴费期限，应按逾期未缴费处理。")]})
    paused = _resume(application, paid_on)
    application.save()
    _add_event(application, ApplicationEventKind.FEE_PAID, actor=actor,
               public_note=_("已收到信息处理费，答复期限顺延至%(due)s。") % {
                   "due": application.due_on.isoformat()},
               data={"paused_working_days": paused})
    _audit("disclosure.application.fee_paid", actor=actor, target=application)
    return application


@transaction.atomic
def close_for_unpaid_fee(*, application: DisclosureApplication, on: date,
                         actor=None) -> ApplicationResponse:
    """逾期未缴费: the body no longer handles the application; annual report row
    （六）其他处理 2 (国办函〔2020〕109号)."""
    return _close_after_missed_deadline(
        application, on=on, actor=actor, waiting_status=ApplicationStatus.AWAITING_FEE,
        deadline_field="fee_due_on", not_yet=_("缴费期限尚未届满。"),
        kind=ResponseKind.OTHER_UNPAID_FEE, event_kind=ApplicationEventKind.FEE_EXPIRED,
        audit_action="disclosure.application.fee_expired")


def attachment_errors(upload: UploadedFile) -> list[str]:
    """What is wrong with a response attachment: its extension, its size, or first bytes
    that do not match the extension."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_EXTENSIONS:
        return [_("附件“%(name)s”的格式不允许，只能上传 pdf、ofd、docx、xlsx、jpg、png 文件。")
                % {"name": name}]
    limit = getattr(settings, "DISCLOSURE_ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX_BYTES)
    if upload.size > limit:
        return [_("附件“%(name)s”超过%(mb)d MB。") % {"name": name, "mb": limit // (1024 * 1024)}]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(ATTACHMENT_EXTENSIONS[extension]):
        return [_("附件“%(name)s”的内容与扩展名不符。") % {"name": name}]
    return []


@transaction.atomic
def answer_application(*, application: DisclosureApplication, actor, kind: str,
                       letter_text: str, attachments: list[UploadedFile] = (),
                       on: date | None = None) -> ApplicationResponse:
    """作出答复 (条例 第三十六条): one response of one kind, the letter as issued and its
    attachments (stored outside the public media root)."""
    application = _locked(application)
    _require_handler(actor, application.body)
    _require_status(application, ApplicationStatus.PROCESSING, field="kind")
    if kind not in RESPONSE_KINDS or kind in KINDS_WITH_THEIR_OWN_ACTION:
        raise DisclosureRuleViolation({"kind": [
            _("逾期不补正、逾期未缴费由系统按期限自动办结，不能手工选择。")]})
    if not letter_text.strip():
        raise DisclosureRuleViolation({"letter_text": [_("请填写答复书正文。")]})
    problems = [message for upload in attachments for message in attachment_errors(upload)]
    if problems:
        raise DisclosureRuleViolation({"attachments": problems})
    on = on or _today()
    response = _close(application, kind=kind, status=ApplicationStatus.ANSWERED, on=on,
                      actor=actor, letter_text=letter_text.strip())
    for upload in attachments:
        ResponseAttachment.objects.create(response=response, title=upload.name[:200],
                                          file=upload, size=upload.size)
    _add_event(application, ApplicationEventKind.ANSWERED, actor=actor,
               public_note=_("已作出答复：%(kind)s。") % {"kind": response.get_kind_display()},
               data={"kind": kind})
    _notify_applicant(application, "disclosure.application_answered",
                      kind=str(response.get_kind_display()))
    _audit("disclosure.application.answered", actor=actor, target=application,
                 data={"kind": kind, "attachments": len(attachments)})
    return response


@transaction.atomic
def transfer_application(*, application: DisclosureApplication, actor, target_body: Body,
                         note: str = "", on: date | None = None) -> DisclosureApplication:
    """转办 (条例 第三十六条第（五）项): answer that the information is not this body's, name
    the right body, and register the application there with its own number; the history stays
    with the original, and a lookup with the old number and code leads to the new one."""
    application = _locked(application)
    _require_handler(actor, application.body)
    _require_status(application, ApplicationStatus.AWAITING_CONFIRMATION,
                    ApplicationStatus.PROCESSING, field="target_body")
    if target_body.pk == application.body_id:
        raise DisclosureRuleViolation({"target_body": [_("不能转给本机关。")]})
    on = on or _today()
    if application.received_on is None:
        application.received_on = on
    details = application.applicant
    new_application, _code = _create_application(
        body=target_body,
        applicant=ApplicantInput(
            name=details.name, identity_document_kind=details.identity_document_kind,
            identity_document_number=details.identity_document_number, phone=details.phone,
            legal_representative=details.legal_representative,
            contact_person=details.contact_person, email=details.email,
            address=details.address, postcode=details.postcode),
        request=InformationRequest(
            applicant_kind=application.applicant_kind,
            organisation_kind=application.organisation_kind,
            information_title=application.information_title,
            information_document_number=application.information_document_number,
            information_description=application.information_description,
            wanted_form=application.wanted_form, delivery_method=application.delivery_method),
        channel=application.channel, status=ApplicationStatus.PROCESSING,
        submitted_at=timezone.now(), form_token=None, user=application.user,
        entered_by=actor, received_on=on, transferred_from=application)
    detail = _("该政府信息由%(body)s负责公开，本机关已将您的申请转交%(body)s办理，新的申请编号为"
               "%(number)s，您可凭原申请编号和查询码查询办理进展。") % {
        "body": target_body.name, "number": new_application.number}
    _close(application, kind=ResponseKind.NOT_HELD, status=ApplicationStatus.TRANSFERRED, on=on,
           actor=actor, letter_text=response_letter_draft(
               application, kind=ResponseKind.NOT_HELD, detail=detail, on=on))
    _add_event(application, ApplicationEventKind.TRANSFERRED, actor=actor, public_note=detail,
               internal_note=note, data={"to": new_application.number})
    _add_event(new_application, ApplicationEventKind.TRANSFERRED_IN, actor=actor,
               public_note=_("由%(body)s转来（原申请编号%(number)s），收到日期%(date)s。") % {
                   "body": application.body.name, "number": application.number,
                   "date": on.isoformat()},
               data={"from": application.number})
    _audit("disclosure.application.transferred", actor=actor, target=application,
                 data={"to": new_application.number, "target_body": target_body.slug})
    _notify_applicant(application, "disclosure.application_transferred",
                      target_body=target_body.name, new_number=new_application.number,
                      due_on=new_application.due_on.isoformat())
    return new_application


@transaction.atomic
def record_applicant_details_viewed(*, application: DisclosureApplication, actor) -> ApplicantDetails:
    """查看完整信息: staff see the applicant's unmasked personal data; every look is audited."""
    _require_handler(actor, application.body)
    _audit("disclosure.applicant.viewed", actor=actor, target=application)
    return application.applicant


@transaction.atomic
def send_deadline_reminder(*, application: DisclosureApplication, kind: str,
                           today: date) -> DeadlineReminder | None:
    """到期提醒 to the handler (or the body's disclosure officers) before the deadline; 超期
    提醒 to the body's office heads after it. Each once per deadline."""
    application = _locked(application)
    if application.due_on is None or DeadlineReminder.objects.filter(
            application=application, kind=kind, due_on=application.due_on).exists():
        return None
    if kind == ReminderKind.DUE_SOON:
        if application.handler and application.handler.email:
            recipients = [application.handler.email]
        else:
            recipients = staff_emails(application.body, roles=(Role.DISCLOSURE_OFFICER,))
        subject = _("依申请公开即将到期：%(number)s") % {"number": application.number}
        notification = "disclosure.application_due_soon"
    else:
        recipients = staff_emails(application.body, roles=(Role.DISCLOSURE_OFFICE_HEAD,))
        subject = _("依申请公开已超期：%(number)s") % {"number": application.number}
        notification = "disclosure.application_overdue"
    reminder = DeadlineReminder.objects.create(
        application=application, kind=kind, due_on=application.due_on,
        recipients=", ".join(recipients), sent_at=timezone.now())
    _add_event(application, ApplicationEventKind.REMINDER_SENT, visible=False,
               internal_note=subject, data={"kind": kind, "recipients": len(recipients)})
    _notify_staff(application, notification, recipients,
                  due_on=application.due_on.isoformat())
    _audit("disclosure.application.reminder_sent", target=application,
                 data={"kind": kind, "due_on": application.due_on})
    return reminder


def process_disclosure_deadlines(*, today: date) -> DeadlineRunResult:
    """The daily run: close expired corrections and unpaid fees, send due-soon and overdue
    reminders. Each application is its own transaction (each step is an atomic action), so
    one failure does not undo what was done for the others."""
    result = DeadlineRunResult()
    for application in DisclosureApplication.objects.filter(
            status=ApplicationStatus.AWAITING_CORRECTION, correction_due_on__lt=today):
        close_for_missing_correction(application=application, on=today)
        result.corrections_closed.append(application.number)
    for application in DisclosureApplication.objects.filter(
            status=ApplicationStatus.AWAITING_FEE, fee_due_on__lt=today):
        close_for_unpaid_fee(application=application, on=today)
        result.fees_closed.append(application.number)
    calendar = working_calendar()
    running = (DisclosureApplication.objects
               .filter(status=ApplicationStatus.PROCESSING, due_on__isnull=False)
               .select_related("body", "handler"))
    for application in running.filter(due_on__gte=today):
        if deadlines.reminder_date(application.due_on, calendar=calendar) <= today and (
                send_deadline_reminder(application=application, kind=ReminderKind.DUE_SOON,
                                       today=today)):
            result.due_soon_reminders.append(application.number)
    for application in running.filter(due_on__lt=today):
        if send_deadline_reminder(application=application, kind=ReminderKind.OVERDUE, today=today):
            result.overdue_reminders.append(application.number)
    return result
