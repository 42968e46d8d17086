"""Applications (办件): submission, proxy hand-in and passing on (代办, 逐级转报), acceptance
or refusal (受理/不予受理), one-time supplement notices (一次性告知补正), steps, decision,
fees, delivery and withdrawal.

Clocks: acceptance within five working days of receipt (行政许可法 第三十二条,
``rules.acceptance_due_on``); the decision within the item's promised working days from
acceptance (``rules.decision_due_on``), the days spent waiting for a supplement requested
after acceptance not counted.

Staff act at the body where the application now is (``current_body``); a back-office system
(``via_system``) acts for its own body in the same way.
"""

import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangkou.accounts import queries as account_queries
from chuangkou.core.calendar import working_calendar, working_days_between
from chuangkou.core.query_codes import new_query_code, query_code_digest
from chuangkou.core.serials import next_serial
from chuangkou.core.uploads import ATTACHMENT_TYPES, safe_upload_name, sniff_upload, upload_errors
from chuangkou.core.validators import is_valid_credit_code, resident_id_problem
from chuangkou.organizations.models import Body

from .. import payments, rules, webhooks
from ..choices import (
    OPEN_APPLICATION_STATUSES,
    ApplicationChannel,
    ApplicationEventKind,
    ApplicationStatus,
    Audience,
    DeliveryMethod,
    PaymentStatus,
    RequiredIdentity,
)
from ..exceptions import ApplicationRefused, ServicesRuleViolation
from ..models import (
    ApplicantDetails,
    ApplicationEvent,
    ApplicationUpload,
    BackOfficeSystem,
    Payment,
    ProxyHop,
    ServiceApplication,
    ServiceItem,
    ServiceStep,
)
from ..queries.access import may_handle_at
from ._common import _audit, _citizen_user, _notify_person, _user_or_none

__all__ = [
    "ApplicantInput",
    "accept_application",
    "body_chain",
    "complete_application_step",
    "confirm_payment",
    "decide_application",
    "deliver_result",
    "pass_on_application",
    "record_applicant_details_viewed",
    "refuse_application",
    "request_payment",
    "request_supplement",
    "submit_application",
    "submit_supplement",
    "withdraw_application",
]

MOBILE_PATTERN = re.compile(r"1[3-9]\d{9}")
REASON_MIN_CHARS = 4
MAX_FILES_PER_MATERIAL = 5
MAX_SUPPLEMENT_FILES = 10
NOTE_MAX_CHARS = 2000
DEFAULT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
SERIAL_SCOPE = "service_application"


@dataclass(frozen=True, kw_only=True)
class ApplicantInput:
    """申请人信息 as entered; kept apart from the application (``ApplicantDetails``)."""

    name: str
    phone: str
    resident_id: str = ""
    email: str = ""
    address: str = ""
    enterprise_name: str = ""
    credit_code: str = ""
    kind: str = Audience.PERSON


# --- Helpers ---------------------------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


def _line(value) -> str:
    return " ".join(str(value or "").split())


def _text(value) -> str:
    return "\n".join(line.rstrip() for line in str(value or "").strip().splitlines())


def _upload_max_bytes() -> int:
    return getattr(settings, "SERVICES_UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES)


def body_chain(body: Body) -> list[Body]:
    """The body's ancestors and the body itself, root first (for ``rules.proxy_route``)."""
    return [*body.get_ancestors(), body]


def _locked(application: ServiceApplication) -> ServiceApplication:
    # Re-read under a row lock: two staff (or a system and a person) acting at once must not
    # both pass the state checks.
    return (ServiceApplication.objects.select_for_update(of=("self",))
            .select_related("item", "item__implementing_body", "current_body")
            .get(pk=application.pk))


def _require_status(application: ServiceApplication, *statuses: str,
                    field: str = "__all__") -> None:
    if application.status not in statuses:
        raise ServicesRuleViolation({field: [
            _("该办件当前状态为“%(status)s”，不能办理此事项。")
            % {"status": application.get_status_display()}]})


def _require_text(value: str, *, field: str, what: str, min_chars: int = REASON_MIN_CHARS
                  ) -> str:
    value = _text(value)
    if len(value) < min_chars:
        raise ServicesRuleViolation({field: [
            _("请填写%(what)s，至少%(n)d个字。") % {"what": what, "n": min_chars}]})
    if len(value) > NOTE_MAX_CHARS:
        raise ServicesRuleViolation({field: [
            _("%(what)s不能超过%(n)d个字。") % {"what": what, "n": NOTE_MAX_CHARS}]})
    return value


def _optional_note(value: str, *, field: str = "note") -> str:
    value = _text(value)
    if len(value) > NOTE_MAX_CHARS:
        raise ServicesRuleViolation({field: [
            _("说明不能超过%(n)d个字。") % {"n": NOTE_MAX_CHARS}]})
    return value


def _require_handler(application: ServiceApplication, actor,
                     via_system: BackOfficeSystem | None, *, at_implementing: bool = False
                     ) -> None:
    """Staff of the body the application is at, or that body's own back-office system.
    ``at_implementing``: only once the application reached the implementing body."""
    if via_system is not None:
        allowed = (isinstance(via_system, BackOfficeSystem) and via_system.is_active
                   and via_system.body_id == application.current_body_id)
    else:
        allowed = may_handle_at(actor, application.current_body)
    if not allowed:
        raise PermissionDenied
    if at_implementing and application.current_body_id != application.item.implementing_body_id:
        raise ServicesRuleViolation({"__all__": [
            _("办件尚未转报至实施机关%(body)s，须由实施机关办理此事项。")
            % {"body": application.item.implementing_body.name}]})


def _require_applicant(application: ServiceApplication, user) -> None:
    """The applicant's own account, or a member of the enterprise it was made for, when the
    call names one (the views check the session's grant for applicants without an account)."""
    from ..queries.applications import may_see_as_enterprise_member

    user = _user_or_none(user)
    if (user is not None and application.user_id is not None and application.user_id != user.pk
            and not may_see_as_enterprise_member(user, application)):
        raise PermissionDenied


def _add_event(application: ServiceApplication, kind: str, *, actor=None,
               via_system: BackOfficeSystem | None = None, public_note: str = "",
               internal_note: str = "", visible: bool = True, step: ServiceStep | None = None,
               body: Body | None = None) -> ApplicationEvent:
    if via_system is not None:
        system_note = _("经业务系统“%(name)s”办理。") % {"name": via_system.name}
        internal_note = f"{system_note}{internal_note}" if internal_note else system_note
        body = body or via_system.body
    return ApplicationEvent.objects.create(
        application=application, kind=kind, occurred_at=timezone.now(),
        actor=_user_or_none(actor), body=body or application.current_body, step=step,
        public_note=public_note, internal_note=internal_note, visible_to_applicant=visible)


def _audit_action(verb: str, *, actor, application, via_system=None, data: dict | None = None
                  ) -> None:
    data = dict(data or {})
    if via_system is not None:
        data["system"] = {"pk": via_system.pk, "name": via_system.name}
    _audit(f"services.application.{verb}", actor=_user_or_none(actor), target=application,
           data=data)


def _application_url(application: ServiceApplication) -> str:
    return reverse("services:application", args=[application.number])


def _tell_applicant(application: ServiceApplication, kind: str, **context) -> None:
    """The applicant hears of a change: through the account that applied, or at the e-mail
    address in the applicant details when there is no account."""
    email = (ApplicantDetails.objects.filter(application=application)
             .values_list("email", flat=True).first() or "")
    _notify_person(kind=kind, user=application.user, email=email,
                   url=_application_url(application),
                   context={"item": application.item.name, "number": application.number,
                            **context})


def _notify(application: ServiceApplication, kind: str) -> None:
    webhooks.notify_back_offices(application=application, event_kind=kind)


# --- Submission ------------------------------------------------------------------------------


def _clean_applicant(item: ServiceItem, applicant: ApplicantInput, *, proxy: bool) -> dict:
    errors: dict[str, list[str]] = {}
    kind = applicant.kind
    allowed_kinds = ((Audience.PERSON, Audience.ENTERPRISE) if item.audience == Audience.BOTH
                     else (item.audience,))
    if kind not in allowed_kinds:
        errors["kind"] = [_("本事项的服务对象为“%(audience)s”，申请人类型不符。")
                          % {"audience": item.get_audience_display()}]
    name = _line(applicant.name)
    if not name:
        errors["name"] = [_("请填写申请人姓名。") if kind != Audience.ENTERPRISE
                          else _("请填写经办人姓名。")]
    elif len(name) > 60:
        errors["name"] = [_("姓名不能超过60个字。")]
    phone = _line(applicant.phone).replace(" ", "")
    if not phone:
        errors["phone"] = [_("请填写手机号码，用于接收办理进度。")]
    elif not MOBILE_PATTERN.fullmatch(phone):
        errors["phone"] = [_("手机号码应为以1开头的11位数字。")]
    resident_id = _line(applicant.resident_id).upper()
    needs_id = (kind == Audience.PERSON
                and item.required_identity == RequiredIdentity.REAL_NAME)
    if resident_id:
        if problem := resident_id_problem(resident_id):
            errors["resident_id"] = [problem]
    elif needs_id:
        errors["resident_id"] = [_("本事项须实名申请，请填写居民身份证号码。")]
    email = _line(applicant.email).lower()
    if email:
        try:
            validate_email(email)
            if len(email) > 254:
                raise ValidationError("too long")
        except ValidationError:
            errors["email"] = [_("电子邮箱格式不正确，例如 wang@example.cn。")]
    address = _line(applicant.address)
    if len(address) > 200:
        errors["address"] = [_("联系地址不能超过200个字。")]
    enterprise_name = _line(applicant.enterprise_name)
    credit_code = _line(applicant.credit_code).upper()
    if kind == Audience.ENTERPRISE:
        if not enterprise_name:
            errors["enterprise_name"] = [_("请填写单位名称。")]
        elif len(enterprise_name) > 200:
            errors["enterprise_name"] = [_("单位名称不能超过200个字。")]
        if not credit_code:
            errors["credit_code"] = [_("请填写统一社会信用代码。")]
        elif not is_valid_credit_code(credit_code):
            errors["credit_code"] = [_("统一社会信用代码应为18位且校验位正确（GB 32100），请核对。")]
    else:
        enterprise_name = credit_code = ""
    if errors:
        raise ApplicationRefused(errors)
    return {"name": name, "phone": phone, "resident_id": resident_id, "email": email,
            "address": address, "enterprise_name": enterprise_name, "credit_code": credit_code}


def _clean_answers(item: ServiceItem, answers: dict) -> dict:
    """The answers re-checked against the item's online form (the same fields the public form
    uses), as JSON values; errors keyed by the form's field names."""
    from ..forms.applications import answer_field, answer_field_name, answer_to_json

    answers = answers or {}
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    for field in item.form_fields.all():
        form_field = answer_field(field)
        try:
            value = form_field.clean(answers.get(field.name))
        except ValidationError as error:
            errors[answer_field_name(field)] = list(error.messages)
            continue
        cleaned[field.name] = answer_to_json(value)
    if errors:
        raise ApplicationRefused(errors)
    return cleaned


def _clean_uploads(item: ServiceItem, uploads: dict) -> dict:
    from ..forms.applications import material_field_name

    uploads = {int(key): [upload for upload in (files or ()) if upload]
               for key, files in (uploads or {}).items()}
    materials = {material.pk: material for material in item.materials.all()}
    errors: dict[str, list[str]] = {}
    for key in uploads:
        if key not in materials and uploads[key]:
            errors["__all__"] = [_("上传的材料不属于本事项。")]
    for material in materials.values():
        files = uploads.get(material.pk, [])
        field = material_field_name(material)
        if material.upload_required and not files:
            errors[field] = [_("请上传“%(name)s”的电子件。") % {"name": material.name}]
        elif len(files) > MAX_FILES_PER_MATERIAL:
            errors[field] = [_("“%(name)s”最多上传%(n)d个文件（现有%(m)d个）。") % {
                "name": material.name, "n": MAX_FILES_PER_MATERIAL, "m": len(files)}]
        else:
            problems = [message for upload in files
                        for message in upload_errors(upload, max_bytes=_upload_max_bytes())]
            if problems:
                errors[field] = problems
    if errors:
        raise ApplicationRefused(errors)
    return {materials[key]: files for key, files in uploads.items() if key in materials}


def _store_upload(application: ServiceApplication, upload: UploadedFile, *, material=None,
                  is_supplement: bool = False) -> ApplicationUpload:
    kind = sniff_upload(upload)
    record = ApplicationUpload(
        application=application, material=material, original_name=safe_upload_name(upload),
        content_type=ATTACHMENT_TYPES[kind].content_type, size=upload.size,
        is_supplement=is_supplement)
    # Stored under a random name: the applicant's file name is shown, never used as a path.
    record.file.save(f"{uuid4().hex}.{kind}", upload, save=False)
    record.save()
    return record


def _check_item(item: ServiceItem) -> None:
    if not isinstance(item, ServiceItem) or not ServiceItem.objects.filter(
            pk=item.pk, is_published=True).exists():
        raise ApplicationRefused({"__all__": [_("该事项未公开，不能申请。")]})
    if not item.applies_online:
        raise ApplicationRefused({"__all__": [
            _("该事项的网办深度为“%(depth)s”，不能网上申请；请按办事指南到窗口办理。")
            % {"depth": item.get_online_depth_display()}]})


def _proxy_route(item: ServiceItem, proxy_actor, proxy_body: Body | None) -> list[Body]:
    if not isinstance(proxy_body, Body) or not may_handle_at(proxy_actor, proxy_body):
        raise PermissionDenied
    if not item.accepts_proxy:
        raise ApplicationRefused({"__all__": [_("该事项不可代办。")]})
    return rules.proxy_route(body_chain(proxy_body), body_chain(item.implementing_body))


def _for_enterprise(item: ServiceItem, applicant: ApplicantInput, *, enterprise,
                    user) -> ApplicantInput:
    """An application for an enterprise (法人): only a member acting for a verified enterprise,
    only for an item enterprises may apply for; the organisation name and credit code are the
    enterprise's own, whatever the form said."""
    if item.audience not in (Audience.ENTERPRISE, Audience.BOTH):
        raise ApplicationRefused({"kind": [
            _("本事项的服务对象为“%(audience)s”，不能以法人身份申请。")
            % {"audience": item.get_audience_display()}]})
    account = account_queries.citizen_account_of(user)
    if account is None or enterprise.pk not in {
            member.pk for member in account_queries.enterprises_of(account)}:
        raise ApplicationRefused({"__all__": [
            _("您不是“%(name)s”的已核验成员，不能代其申请。") % {"name": enterprise.name}]})
    return replace(applicant, kind=Audience.ENTERPRISE, enterprise_name=enterprise.name,
                   credit_code=enterprise.credit_code)


@transaction.atomic
def submit_application(*, item: ServiceItem, applicant: ApplicantInput, answers: dict,
                       uploads: dict[int, list[UploadedFile]], user=None,
                       form_token: str | None = None, proxy_actor=None,
                       proxy_body: Body | None = None,
                       channel: str = ApplicationChannel.WEBSITE,
                       enterprise=None,
                       ) -> tuple[ServiceApplication, str | None]:
    """提交申请: the application with its number and query code (shown once); a repeated form
    token returns the first application and no code.

    On a citizen's behalf (代办) ``proxy_actor`` — a handler at ``proxy_body`` — hands it in;
    it then passes through each level from ``proxy_body`` up to the implementing body.

    A citizen acting for an enterprise (法人) passes ``enterprise``: the application is the
    enterprise's, and every member of it sees it.
    """
    from ..queries.applications import applicant_identity_level

    form_token = (form_token or "").strip()[:64] or None
    if form_token and (earlier := ServiceApplication.objects.filter(
            form_token=form_token).first()):
        return earlier, None
    _check_item(item)
    proxy = proxy_actor is not None or proxy_body is not None
    route: list[Body] = []
    if proxy:
        route = _proxy_route(item, proxy_actor, proxy_body)
        channel = ApplicationChannel.PROXY
        user = None
    else:
        if channel not in (ApplicationChannel.WEBSITE, ApplicationChannel.WINDOW,
                           ApplicationChannel.BACK_OFFICE):
            raise ApplicationRefused({"__all__": [_("申请渠道无效。")]})
        user = _user_or_none(user)
        have = applicant_identity_level(user)
        if not rules.identity_satisfies(have, item.required_identity):
            raise ApplicationRefused({"__all__": [
                _("申请本事项须达到“%(need)s”身份等级（您目前为“%(have)s”）。") % {
                    "need": RequiredIdentity(item.required_identity).label,
                    "have": RequiredIdentity(have).label}]})
    if enterprise is not None:
        if proxy:
            raise ApplicationRefused({"__all__": [_("代办申请不能以法人账号提交。")]})
        applicant = _for_enterprise(item, applicant, enterprise=enterprise, user=user)
    details = _clean_applicant(item, applicant, proxy=proxy)
    clean_answers = _clean_answers(item, answers)
    clean_uploads = _clean_uploads(item, uploads)

    submitted_at = timezone.now()
    submitted_on = timezone.localdate(submitted_at)
    code = new_query_code()
    try:
        with transaction.atomic():
            # The serial is taken last: the counter row stays locked until commit.
            sequence = next_serial(scope=SERIAL_SCOPE, year=submitted_on.year)
            number = rules.application_number(submitted_on.year, sequence)
            application = ServiceApplication.objects.create(
                number=number, year=submitted_on.year, sequence=sequence,
                query_code_digest=query_code_digest(number, code), form_token=form_token,
                item=item, channel=channel, applicant_kind=applicant.kind, user=user,
                enterprise=enterprise,
                submitted_by=proxy_actor if proxy else None,
                submitting_body=proxy_body if proxy else None,
                current_body=route[0] if route else item.implementing_body,
                status=ApplicationStatus.SUBMITTED, answers=clean_answers,
                submitted_at=submitted_at, submitted_on=submitted_on,
                acceptance_due_on=rules.acceptance_due_on(submitted_on,
                                                          calendar=working_calendar()))
    except IntegrityError:
        # A parallel request committed the same token while this one waited for the counter;
        # the savepoint, number included, is rolled back: no gap.
        earlier = ServiceApplication.objects.filter(form_token=form_token).first()
        if form_token is None or earlier is None:
            raise
        return earlier, None
    ApplicantDetails.objects.create(application=application, **details)
    for position, body in enumerate(route, start=1):
        ProxyHop.objects.create(application=application, position=position, body=body)
    for material, files in clean_uploads.items():
        for upload in files:
            _store_upload(application, upload, material=material)
    if proxy:
        public_note = _("已由%(body)s代为提交申请，办件编号 %(number)s。") % {
            "body": proxy_body.name, "number": number}
    else:
        public_note = _("申请已提交（%(channel)s），办件编号 %(number)s。") % {
            "channel": application.get_channel_display(), "number": number}
    _add_event(application, ApplicationEventKind.SUBMITTED, actor=proxy_actor or user,
               public_note=public_note, body=proxy_body if proxy else None)
    _audit_action("submitted", actor=proxy_actor or user, application=application, data={
        "item": item.code, "channel": channel,
        "proxy_body": proxy_body.slug if proxy else None,
        "route": [body.slug for body in route],
        "uploads": sum(len(files) for files in clean_uploads.values())})
    _notify(application, ApplicationEventKind.SUBMITTED)
    if _citizen_user(user) is not None:
        _tell_applicant(application, "services.application_submitted")
    else:
        # Without an account the query code is the way back to the application: sent once,
        # by e-mail only.
        _notify_person(kind="services.application_submitted_with_code", email=details["email"],
                       url=_application_url(application),
                       context={"item": item.name, "number": number, "code": code})
    return application, code


# --- Proxy hops ------------------------------------------------------------------------------


@transaction.atomic
def pass_on_application(*, application: ServiceApplication, actor, note: str = "",
                        via_system: BackOfficeSystem | None = None) -> ServiceApplication:
    """逐级转报: the handler of the level the application is at sends it to the next level."""
    application = _locked(application)
    _require_handler(application, actor, via_system)
    _require_status(application, ApplicationStatus.SUBMITTED)
    hops = list(application.hops.select_related("body").order_by("position"))
    current = next((hop for hop in hops if hop.passed_on_at is None
                    and hop.body_id == application.current_body_id), None)
    following = [hop for hop in hops if current is not None and hop.position > current.position]
    if current is None or not following:
        raise ServicesRuleViolation({"__all__": [
            _("办件已在实施机关，无需转报。")]})
    note = _optional_note(note)
    target = following[0].body
    current.passed_on_at = timezone.now()
    current.passed_on_by = _user_or_none(actor)
    current.note = note
    current.save()
    previous = application.current_body
    application.current_body = target
    application.save(update_fields=["current_body", "updated_at"])
    _add_event(application, ApplicationEventKind.PASSED_ON, actor=actor, via_system=via_system,
               body=previous, internal_note=note,
               public_note=_("已由%(from)s转报至%(to)s。") % {"from": previous.name,
                                                         "to": target.name})
    _audit_action("passed_on", actor=actor, application=application, via_system=via_system,
                  data={"from": previous.slug, "to": target.slug})
    _notify(application, ApplicationEventKind.PASSED_ON)
    return application


# --- Acceptance ------------------------------------------------------------------------------


@transaction.atomic
def accept_application(*, application: ServiceApplication, actor, note: str = "",
                       via_system: BackOfficeSystem | None = None) -> ServiceApplication:
    """受理: the implementing body takes the application on; the decision is due the item's
    promised working days later (即办件: the same day)."""
    application = _locked(application)
    _require_handler(application, actor, via_system, at_implementing=True)
    _require_status(application, ApplicationStatus.SUBMITTED)
    note = _optional_note(note)
    today = _today()
    application.accepted_on = today
    application.promised_working_days = application.item.promised_time_limit_days
    application.paused_working_days = 0
    application.due_on = rules.decision_due_on(
        today, promised_working_days=application.promised_working_days, paused_working_days=0,
        calendar=working_calendar())
    application.status = ApplicationStatus.IN_PROGRESS
    if via_system is None:
        application.handler = actor
    application.save()
    _add_event(application, ApplicationEventKind.ACCEPTED, actor=actor, via_system=via_system,
               internal_note=note,
               public_note=_("已受理，承诺办结期限 %(due)s。") % {
                   "due": application.due_on.isoformat()})
    _audit_action("accepted", actor=actor, application=application, via_system=via_system,
                  data={"due_on": application.due_on})
    _notify(application, ApplicationEventKind.ACCEPTED)
    _tell_applicant(application, "services.application_accepted",
                    due_on=application.due_on.isoformat())
    return application


@transaction.atomic
def refuse_application(*, application: ServiceApplication, actor, reason: str,
                       via_system: BackOfficeSystem | None = None) -> ServiceApplication:
    """不予受理, with the reason told to the applicant (行政许可法 第三十二条)."""
    application = _locked(application)
    _require_handler(application, actor, via_system, at_implementing=True)
    _require_status(application, ApplicationStatus.SUBMITTED)
    reason = _require_text(reason, field="reason", what=_("不予受理理由"))
    application.status = ApplicationStatus.REFUSED
    application.refusal_reason = reason
    if via_system is None:
        application.handler = actor
    application.save()
    _add_event(application, ApplicationEventKind.REFUSED, actor=actor, via_system=via_system,
               public_note=_("不予受理：%(reason)s") % {"reason": reason})
    _audit_action("refused", actor=actor, application=application, via_system=via_system)
    _notify(application, ApplicationEventKind.REFUSED)
    _tell_applicant(application, "services.application_refused", reason=reason)
    return application


# --- Supplements -----------------------------------------------------------------------------


@transaction.atomic
def request_supplement(*, application: ServiceApplication, actor, notice: str,
                       via_system: BackOfficeSystem | None = None) -> ServiceApplication:
    """一次性告知补正: everything missing told at once. Requested after acceptance, the
    handling clock stops until the supplement arrives."""
    application = _locked(application)
    _require_handler(application, actor, via_system, at_implementing=True)
    _require_status(application, ApplicationStatus.SUBMITTED, ApplicationStatus.IN_PROGRESS)
    notice = _require_text(notice, field="notice", what=_("补正告知内容"))
    application.status = ApplicationStatus.SUPPLEMENT_REQUESTED
    application.supplement_requested_on = _today()
    application.supplement_notice = notice
    application.save()
    _add_event(application, ApplicationEventKind.SUPPLEMENT_REQUESTED, actor=actor,
               via_system=via_system,
               public_note=_("请补正材料（一次性告知）：%(notice)s") % {"notice": notice})
    _audit_action("supplement_requested", actor=actor, application=application,
                  via_system=via_system)
    _notify(application, ApplicationEventKind.SUPPLEMENT_REQUESTED)
    _tell_applicant(application, "services.supplement_requested", notice=notice)
    return application


@transaction.atomic
def submit_supplement(*, application: ServiceApplication, uploads: list[UploadedFile],
                      note: str = "", user=None) -> ServiceApplication:
    """补正: the applicant sends what was asked for (files, a note or both). Before acceptance
    the five-day acceptance clock starts again from today; after it the working days spent
    waiting are added to the decision deadline."""
    application = _locked(application)
    _require_applicant(application, user)
    _require_status(application, ApplicationStatus.SUPPLEMENT_REQUESTED)
    uploads = [upload for upload in (uploads or ()) if upload]
    note = _optional_note(note)
    if not uploads and not note:
        raise ServicesRuleViolation({"uploads": [_("请上传补正材料或填写补正说明。")]})
    if len(uploads) > MAX_SUPPLEMENT_FILES:
        raise ServicesRuleViolation({"uploads": [
            _("补正材料最多%(n)d个文件（现有%(m)d个）。") % {
                "n": MAX_SUPPLEMENT_FILES, "m": len(uploads)}]})
    problems = [message for upload in uploads
                for message in upload_errors(upload, max_bytes=_upload_max_bytes())]
    if problems:
        raise ServicesRuleViolation({"uploads": problems})
    today = _today()
    calendar = working_calendar()
    if application.accepted_on is None:
        application.status = ApplicationStatus.SUBMITTED
        application.acceptance_due_on = rules.acceptance_due_on(today, calendar=calendar)
        paused = 0
    else:
        paused = working_days_between(application.supplement_requested_on or today, today,
                                      calendar=calendar)
        application.paused_working_days += paused
        application.due_on = rules.decision_due_on(
            application.accepted_on,
            promised_working_days=application.promised_working_days or 0,
            paused_working_days=application.paused_working_days, calendar=calendar)
        application.status = ApplicationStatus.IN_PROGRESS
    application.save()
    for upload in uploads:
        _store_upload(application, upload, is_supplement=True)
    _add_event(application, ApplicationEventKind.SUPPLEMENTED, actor=user,
               public_note=_("已补正材料（%(count)d个文件）。%(note)s") % {
                   "count": len(uploads), "note": note})
    _audit_action("supplemented", actor=user, application=application,
                  data={"uploads": len(uploads), "paused_working_days": paused})
    _notify(application, ApplicationEventKind.SUPPLEMENTED)
    return application


# --- Handling --------------------------------------------------------------------------------


@transaction.atomic
def complete_application_step(*, application: ServiceApplication, actor, step: ServiceStep,
                              note: str = "", via_system: BackOfficeSystem | None = None
                              ) -> ServiceApplication:
    """办理环节: one of the item's steps done (each once)."""
    application = _locked(application)
    _require_handler(application, actor, via_system, at_implementing=True)
    _require_status(application, ApplicationStatus.IN_PROGRESS)
    if not isinstance(step, ServiceStep) or step.item_id != application.item_id:
        raise ServicesRuleViolation({"step": [_("该环节不属于本事项的办理流程。")]})
    if application.events.filter(kind=ApplicationEventKind.STEP_COMPLETED, step=step).exists():
        raise ServicesRuleViolation({"step": [
            _("环节“%(step)s”已经办理过。") % {"step": step.name}]})
    note = _optional_note(note)
    _add_event(application, ApplicationEventKind.STEP_COMPLETED, actor=actor,
               via_system=via_system, step=step, internal_note=note,
               public_note=_("已完成“%(step)s”环节。") % {"step": step.name})
    _audit_action("step_completed", actor=actor, application=application,
                  via_system=via_system, data={"step": step.name})
    _notify(application, ApplicationEventKind.STEP_COMPLETED)
    return application


@transaction.atomic
def decide_application(*, application: ServiceApplication, actor, approve: bool, note: str,
                       via_system: BackOfficeSystem | None = None) -> ServiceApplication:
    """办结: approved (准予) or denied (不予, with the reason); late when after the due day."""
    application = _locked(application)
    _require_handler(application, actor, via_system, at_implementing=True)
    _require_status(application, ApplicationStatus.IN_PROGRESS)
    if approve:
        note = _optional_note(note)
    else:
        note = _require_text(note, field="note", what=_("不予办理的理由"))
    now = timezone.now()
    application.status = ApplicationStatus.APPROVED if approve else ApplicationStatus.DENIED
    application.decided_at = now
    application.decided_on = timezone.localdate(now)
    application.decision_note = note
    application.decided_late = bool(application.due_on
                                    and application.decided_on > application.due_on)
    if via_system is None:
        application.handler = actor
    application.save()
    kind = ApplicationEventKind.APPROVED if approve else ApplicationEventKind.DENIED
    result = _("准予办理") if approve else _("不予办理")
    public_note = f"{result}。{note}" if note else f"{result}。"
    _add_event(application, kind, actor=actor, via_system=via_system, public_note=public_note)
    _audit_action("approved" if approve else "denied", actor=actor, application=application,
                  via_system=via_system, data={"late": application.decided_late})
    _notify(application, kind)
    _tell_applicant(application, "services.application_decided", result=result, note=note)
    return application


# --- Fees ------------------------------------------------------------------------------------


@transaction.atomic
def request_payment(*, application: ServiceApplication, actor, amount: Decimal,
                    provider: str | None = None, via_system: BackOfficeSystem | None = None
                    ) -> Payment:
    """缴费通知: a fee of an approved item that charges fees, one pending at a time."""
    application = _locked(application)
    _require_handler(application, actor, via_system, at_implementing=True)
    if not application.item.charges_fee:
        raise ServicesRuleViolation({"amount": [_("本事项不收费。")]})
    _require_status(application, ApplicationStatus.APPROVED)
    try:
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise ServicesRuleViolation({"amount": [_("金额须为数字。")]}) from None
    if not amount.is_finite() or amount <= 0:
        raise ServicesRuleViolation({"amount": [_("金额必须大于0。")]})
    if amount >= Decimal("10000000000"):
        raise ServicesRuleViolation({"amount": [_("金额过大。")]})
    chosen = payments.get_provider(provider)
    if Payment.objects.filter(application=application, status=PaymentStatus.PENDING).exists():
        raise ServicesRuleViolation({"amount": [_("该办件已有一笔待缴费用。")]})
    payment = Payment(application=application, amount=amount, provider=chosen.key,
                      requested_at=timezone.now(), requested_by=_user_or_none(actor))
    payment.instructions = chosen.instructions(payment)
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError:
        raise ServicesRuleViolation({"amount": [_("该办件已有一笔待缴费用。")]}) from None
    _add_event(application, ApplicationEventKind.FEE_REQUESTED, actor=actor,
               via_system=via_system, public_note=payment.instructions)
    _audit_action("fee_requested", actor=actor, application=application, via_system=via_system,
                  data={"amount": str(amount), "provider": chosen.key})
    _notify(application, ApplicationEventKind.FEE_REQUESTED)
    _tell_applicant(application, "services.fee_requested", amount=amount,
                    instructions=payment.instructions)
    return payment


@transaction.atomic
def confirm_payment(*, payment: Payment, actor, reference: str,
                    via_system: BackOfficeSystem | None = None) -> Payment:
    """缴费确认: staff check the receipt number and confirm the fee was paid."""
    application = _locked(payment.application)
    _require_handler(application, actor, via_system, at_implementing=True)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status != PaymentStatus.PENDING:
        raise ServicesRuleViolation({"reference": [
            _("该笔费用当前状态为“%(status)s”，不能确认。")
            % {"status": payment.get_status_display()}]})
    payment.application = application
    payment = payments.get_provider(payment.provider).confirm(payment, actor=actor,
                                                              reference=reference)
    _add_event(application, ApplicationEventKind.FEE_CONFIRMED, actor=actor,
               via_system=via_system,
               public_note=_("已确认缴费 %(amount)s 元。") % {"amount": payment.amount},
               internal_note=_("票据号：%(reference)s") % {"reference": payment.reference})
    _audit_action("fee_confirmed", actor=actor, application=application, via_system=via_system,
                  data={"amount": str(payment.amount), "reference": payment.reference})
    _notify(application, ApplicationEventKind.FEE_CONFIRMED)
    return payment


# --- Delivery and withdrawal -----------------------------------------------------------------


@transaction.atomic
def deliver_result(*, application: ServiceApplication, actor, method: str, note: str = "",
                   via_system: BackOfficeSystem | None = None) -> ServiceApplication:
    """结果送达, by one of the item's delivery methods, once every fee is paid."""
    application = _locked(application)
    _require_handler(application, actor, via_system, at_implementing=True)
    _require_status(application, ApplicationStatus.APPROVED, ApplicationStatus.DENIED)
    if Payment.objects.filter(application=application, status=PaymentStatus.PENDING).exists():
        raise ServicesRuleViolation({"__all__": [_("尚有待缴费用，缴费确认后才能送达结果。")]})
    allowed = [str(value) for value in (application.item.delivery_methods or [])
               if value in DeliveryMethod.values] or list(DeliveryMethod.values)
    if method not in allowed:
        raise ServicesRuleViolation({"method": [
            _("本事项的送达方式只能是：%(methods)s。") % {
                "methods": "、".join(str(DeliveryMethod(value).label) for value in allowed)}]})
    note = _optional_note(note)
    application.status = ApplicationStatus.DELIVERED
    application.delivery_method = method
    application.delivered_at = timezone.now()
    application.delivery_note = note
    application.save()
    label = DeliveryMethod(method).label
    public_note = _("办理结果已送达（%(method)s）。%(note)s") % {"method": label, "note": note}
    _add_event(application, ApplicationEventKind.DELIVERED, actor=actor, via_system=via_system,
               public_note=public_note)
    _audit_action("delivered", actor=actor, application=application, via_system=via_system,
                  data={"method": method})
    _notify(application, ApplicationEventKind.DELIVERED)
    _tell_applicant(application, "services.result_delivered", method=label, note=note)
    return application


@transaction.atomic
def withdraw_application(*, application: ServiceApplication, user=None, reason: str = ""
                         ) -> ServiceApplication:
    """撤回申请: the applicant takes the application back before it is decided."""
    application = _locked(application)
    _require_applicant(application, user)
    _require_status(application, *OPEN_APPLICATION_STATUSES)
    reason = _optional_note(reason, field="reason")
    application.status = ApplicationStatus.WITHDRAWN
    application.save()
    _add_event(application, ApplicationEventKind.WITHDRAWN, actor=user,
               public_note=_("申请人已撤回申请。%(reason)s") % {"reason": reason})
    _audit_action("withdrawn", actor=user, application=application)
    _notify(application, ApplicationEventKind.WITHDRAWN)
    return application


# --- Personal data ---------------------------------------------------------------------------


@transaction.atomic
def record_applicant_details_viewed(*, application: ServiceApplication, actor
                                    ) -> ApplicantDetails:
    """查看申请人信息: staff who may see the application see the applicant's full details;
    every look is audited."""
    from ..queries.applications import may_view_application

    if not may_view_application(actor, application):
        raise PermissionDenied
    details = ApplicantDetails.objects.get(application=application)
    _audit_action("applicant_viewed", actor=actor, application=application)
    return details
