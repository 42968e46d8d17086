"""好差评: the applicant's rating of a decided application, the rectification of 差评 and the
rated body's appeal against a mistaken or malicious rating (regulations.md §7).

国办发〔2019〕51号 (关于建立政务服务"好差评"制度提高政务服务水平的意见): every service is rated
on five levels ("一事一评" online); 不满意 and 非常不满意 are followed up (回访) and rectified by a
named handler within a deadline, with a record; a rating found mistaken or malicious on appeal
(申诉复核) is removed from the figures. GB/T 39734-2020 gives the online sub-indicators.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangkou.core.calendar import WorkingCalendar, add_working_days, working_calendar
from chuangkou.organizations.choices import Role
from chuangkou.organizations.models import Body, Membership

from .. import rules
from ..choices import (
    DECIDED_APPLICATION_STATUSES,
    AppealStatus,
    ApplicationEventKind,
    RatingLevel,
    RectificationEntryKind,
    RectificationStatus,
)
from ..exceptions import ServicesRuleViolation
from ..models import (
    ApplicationEvent,
    RatingAppeal,
    RectificationCase,
    RectificationEntry,
    ServiceApplication,
    ServiceRating,
)
from ..queries.access import may_handle_at, may_supervise_body
from ..queries.ratings import may_use_ratings_admin
from ._common import _audit, _notify_person, _notify_staff, _user_or_none

__all__ = [
    "APPEAL_REASON_MIN_CHARS",
    "ENTRY_NOTE_MIN_CHARS",
    "RATING_COMMENT_MAX_CHARS",
    "RATING_INDICATORS",
    "RatingInput",
    "assign_rectification_handler",
    "close_rectification_case",
    "decide_rating_appeal",
    "rate_application",
    "record_rating_statistics_export",
    "record_rectification_entry",
    "rectification_due_on",
    "submit_rating_appeal",
]

RATING_COMMENT_MAX_CHARS = 500
ENTRY_NOTE_MIN_CHARS = 4
APPEAL_REASON_MIN_CHARS = 10
LONG_TEXT_MAX_CHARS = 5000

#: The five indicators of an online rating (GB/T 39734-2020), field name → Chinese name.
RATING_INDICATORS = (
    ("level", gettext_lazy("整体满意度")),
    ("efficiency", gettext_lazy("办事效率")),
    ("guide_accuracy", gettext_lazy("办事指南精确度")),
    ("convenience", gettext_lazy("办事便捷度")),
    ("usability", gettext_lazy("平台操作性")),
)


@dataclass(frozen=True, kw_only=True)
class RatingInput:
    level: int
    efficiency: int
    guide_accuracy: int
    convenience: int
    usability: int
    comment: str = ""


# --------------------------------------------------------------------------- pure rules


def rectification_due_on(opened_on: date, *, calendar: WorkingCalendar,
                         working_days: int | None = None) -> date:
    """The last day to follow up and rectify a 差评: ``SERVICES_RECTIFICATION_WORKING_DAYS``
    (15 by default) working days after the rating. 国办发〔2019〕51号 requires 差评 to be
    followed up and rectified; the 15 working days are the common provincial practice."""
    if working_days is None:
        working_days = settings.SERVICES_RECTIFICATION_WORKING_DAYS
    return add_working_days(opened_on, working_days, calendar=calendar)


_KEPT_CONTROLS = {"\n", "\t"}


def _plain_text(value) -> str:
    """Text as stored: line ends normalised, control characters dropped, trimmed. Markup is
    kept as typed: it is escaped wherever it is shown."""
    text = value if isinstance(value, str) else ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(character for character in text if character in _KEPT_CONTROLS
                   or unicodedata.category(character) not in ("Cc", "Cs")).strip()


def _required_text(value, *, field: str, min_chars: int, message: str,
                   max_chars: int = LONG_TEXT_MAX_CHARS) -> str:
    text = _plain_text(value)
    if len(text) < min_chars:
        raise ServicesRuleViolation({field: [message]})
    if len(text) > max_chars:
        raise ServicesRuleViolation({field: [_("不能超过%(n)d个字（现有%(m)d个字）。") % {
            "n": max_chars, "m": len(text)}]})
    return text


def _level_problems(rating: RatingInput) -> dict[str, list[str]]:
    problems = {}
    for field, name in RATING_INDICATORS:
        value = getattr(rating, field)
        if isinstance(value, bool) or not isinstance(value, int) or value not in RatingLevel.values:
            problems[field] = [_("请为“%(name)s”选择1至5级中的一级。") % {"name": name}]
    return problems


# --------------------------------------------------------------------------- who is told


def supervisor_emails(body: Body) -> list[str]:
    """政务服务督办员 whose scope covers ``body``: those of the body and of every body above."""
    bodies = [*body.get_ancestors(), body]
    return sorted({email for email in Membership.objects.filter(
        body__in=bodies, role=Role.SERVICE_SUPERVISOR, user__is_active=True,
    ).values_list("user__email", flat=True) if email})


def _locked_case(case: RectificationCase) -> RectificationCase:
    return (RectificationCase.objects.select_for_update(of=("self",))
            .select_related("body", "rating", "rating__item").get(pk=case.pk))


def _require_open(case: RectificationCase) -> None:
    if case.status != RectificationStatus.OPEN:
        raise ServicesRuleViolation({"__all__": [_("该差评整改已办结，不能再修改。")]})


def _add_entry(case, *, kind: str, note: str, actor, at=None) -> RectificationEntry:
    return RectificationEntry.objects.create(case=case, kind=kind, note=note, actor=actor,
                                             occurred_at=at or timezone.now())


# --------------------------------------------------------------------------- rating


@transaction.atomic
def rate_application(*, application: ServiceApplication, rating: RatingInput,
                     user=None) -> ServiceRating:
    """评价: the applicant rates a decided application once ("一事一评"), on the five
    indicators, with an optional comment; 不满意 or 非常不满意 opens a rectification case due
    in ``SERVICES_RECTIFICATION_WORKING_DAYS`` working days and tells the supervisors.

    The public view has already checked the request may reach the application (query code,
    session or account). The audit record holds no comment (it may carry personal data).
    """
    application = (ServiceApplication.objects.select_for_update(of=("self",))
                   .select_related("item__implementing_body").get(pk=application.pk))
    if application.status not in DECIDED_APPLICATION_STATUSES:
        raise ServicesRuleViolation({"__all__": [
            _("只能评价已办结的办件（一事一评，办结后评价）。")]})
    if ServiceRating.objects.filter(application=application).exists():
        raise ServicesRuleViolation({"__all__": [_("该办件已评价，不能重复评价。")]})
    problems = _level_problems(rating)
    comment = _plain_text(rating.comment)
    if len(comment) > RATING_COMMENT_MAX_CHARS:
        problems["comment"] = [_("评价内容不能超过%(n)d个字（现有%(m)d个字）。") % {
            "n": RATING_COMMENT_MAX_CHARS, "m": len(comment)}]
    if problems:
        raise ServicesRuleViolation(problems)
    item = application.item
    body = item.implementing_body
    now = timezone.now()
    try:
        with transaction.atomic():
            created = ServiceRating.objects.create(
                application=application, item=item, body=body, level=rating.level,
                efficiency=rating.efficiency, guide_accuracy=rating.guide_accuracy,
                convenience=rating.convenience, usability=rating.usability, comment=comment,
                rated_at=now)
    except IntegrityError as error:
        raise ServicesRuleViolation({"__all__": [_("该办件已评价，不能重复评价。")]}) from error
    label = RatingLevel(rating.level).label
    ApplicationEvent.objects.create(
        application=application, kind=ApplicationEventKind.RATED, occurred_at=now,
        actor=None, body=body, visible_to_applicant=True,
        public_note=_("评价：%(level)s。") % {"level": label})
    case = None
    if rating.level in rules.DISSATISFIED_LEVELS:
        today = timezone.localdate(now)
        case = RectificationCase.objects.create(
            rating=created, body=body, opened_on=today,
            due_on=rectification_due_on(today, calendar=working_calendar()))
        _notify_staff(kind="services.rating_dissatisfied", emails=supervisor_emails(body),
                      url=reverse("services_rating_case", args=[case.pk]),
                      context={"number": application.number, "item": item.name,
                               "level": label, "due_on": case.due_on.isoformat()})
    _audit("services.rating.created", actor=_user_or_none(user), target=created, data={
        "application": application.number, "level": rating.level,
        "has_comment": bool(comment), "rectification_case": case.pk if case else None})
    return created


# --------------------------------------------------------------------------- rectification


@transaction.atomic
def assign_rectification_handler(*, case: RectificationCase, actor,
                                 handler) -> RectificationCase:
    """指定整改责任人: a supervisor of the rated body names one of the body's 办件人员."""
    case = _locked_case(case)
    if not may_supervise_body(actor, case.body):
        raise PermissionDenied
    _require_open(case)
    if handler is None or not (handler.is_active and Membership.objects.filter(
            user=handler, body=case.body, role=Role.SERVICE_HANDLER).exists()):
        raise ServicesRuleViolation({"handler": [
            _("整改责任人须是被评价单位的办件人员。")]})
    case.handler = handler
    case.save(update_fields=["handler"])
    name = handler.get_full_name() or handler.get_username()
    _add_entry(case, kind=RectificationEntryKind.ASSIGNED, actor=actor,
               note=_("指定整改责任人：%(name)s。") % {"name": name})
    _notify_staff(kind="services.rectification_assigned", emails=[handler.email],
                  url=reverse("services_rating_case", args=[case.pk]),
                  context={"number": case.rating.application.number,
                           "item": case.rating.item.name, "due_on": case.due_on.isoformat()})
    _audit("services.rectification.handler_assigned", actor=actor, target=case,
           data={"handler": handler.pk})
    return case


@transaction.atomic
def record_rectification_entry(*, case: RectificationCase, actor, kind: str,
                               note: str) -> RectificationEntry:
    """整改记录: the named handler or a supervisor records a follow-up call (回访) or what was
    rectified (整改情况)."""
    case = _locked_case(case)
    is_handler = (case.handler_id is not None and getattr(actor, "pk", None) == case.handler_id
                  and may_handle_at(actor, case.body))
    if not (is_handler or may_supervise_body(actor, case.body)):
        raise PermissionDenied
    _require_open(case)
    if kind not in (RectificationEntryKind.FOLLOW_UP, RectificationEntryKind.RECTIFICATION):
        raise ServicesRuleViolation({"kind": [_("请选择记录类型：回访或整改情况。")]})
    note = _required_text(note, field="note", min_chars=ENTRY_NOTE_MIN_CHARS, message=_(
        "请填写记录内容，至少%(n)d个字。") % {"n": ENTRY_NOTE_MIN_CHARS})
    entry = _add_entry(case, kind=kind, note=note, actor=actor)
    _audit("services.rectification.entry_recorded", actor=actor, target=case,
           data={"kind": kind, "entry": entry.pk})
    return entry


@transaction.atomic
def close_rectification_case(*, case: RectificationCase, actor,
                             conclusion: str) -> RectificationCase:
    """整改办结: a supervisor closes the case once it has at least one 回访 and one 整改情况
    entry; closing after the due day is recorded as late (超期整改)."""
    case = _locked_case(case)
    if not may_supervise_body(actor, case.body):
        raise PermissionDenied
    _require_open(case)
    kinds = set(case.entries.values_list("kind", flat=True))
    missing = []
    if RectificationEntryKind.FOLLOW_UP not in kinds:
        missing.append(str(RectificationEntryKind.FOLLOW_UP.label))
    if RectificationEntryKind.RECTIFICATION not in kinds:
        missing.append(str(RectificationEntryKind.RECTIFICATION.label))
    if missing:
        raise ServicesRuleViolation({"__all__": [
            _("办结前须至少有一条回访记录和一条整改情况记录（缺少：%(missing)s）。") % {
                "missing": "、".join(missing)}]})
    conclusion = _required_text(conclusion, field="conclusion", min_chars=ENTRY_NOTE_MIN_CHARS,
                                message=_("请填写整改结果，至少%(n)d个字。") % {
                                    "n": ENTRY_NOTE_MIN_CHARS})
    now = timezone.now()
    case.status = RectificationStatus.CLOSED
    case.conclusion = conclusion
    case.closed_at = now
    case.closed_late = timezone.localdate(now) > case.due_on
    case.save(update_fields=["status", "conclusion", "closed_at", "closed_late"])
    _add_entry(case, kind=RectificationEntryKind.CLOSED, note=conclusion, actor=actor, at=now)
    _audit("services.rectification.closed", actor=actor, target=case,
           data={"closed_late": case.closed_late})
    _tell_rater(case.rating, conclusion=conclusion)
    return case


def _tell_rater(rating: ServiceRating, *, conclusion: str) -> None:
    """整改结果: the citizen who gave the 差评 hears what was done about it (国办发〔2019〕51号:
    差评 are followed up and the rectification fed back)."""
    application = (ServiceApplication.objects.select_related("item", "applicant", "user")
                   .get(pk=rating.application_id))
    details = getattr(application, "applicant", None)
    _notify_person(kind="services.rating_rectified", user=application.user,
                   email=details.email if details else "",
                   url=reverse("services:application", args=[application.number]),
                   context={"item": application.item.name, "number": application.number,
                            "conclusion": conclusion})


# --------------------------------------------------------------------------- appeals


@transaction.atomic
def submit_rating_appeal(*, rating: ServiceRating, actor, reason: str) -> RatingAppeal:
    """申诉: a handler or supervisor of the rated body asks to remove a rating it holds
    mistaken or malicious; one appeal of a rating is pending at a time."""
    rating = (ServiceRating.objects.select_for_update(of=("self",))
              .select_related("body", "application").get(pk=rating.pk))
    if not (may_handle_at(actor, rating.body) or may_supervise_body(actor, rating.body)):
        raise PermissionDenied
    if rating.is_excluded:
        raise ServicesRuleViolation({"__all__": [_("该评价已撤除，无需申诉。")]})
    if rating.appeals.filter(status=AppealStatus.PENDING).exists():
        raise ServicesRuleViolation({"__all__": [_("该评价已有一项申诉待复核。")]})
    reason = _required_text(reason, field="reason", min_chars=APPEAL_REASON_MIN_CHARS,
                            message=_("请说明申诉理由，至少%(n)d个字。") % {
                                "n": APPEAL_REASON_MIN_CHARS})
    try:
        with transaction.atomic():
            appeal = RatingAppeal.objects.create(rating=rating, reason=reason,
                                                 submitted_by=actor, submitted_at=timezone.now())
    except IntegrityError as error:
        raise ServicesRuleViolation({"__all__": [_("该评价已有一项申诉待复核。")]}) from error
    _notify_staff(kind="services.appeal_submitted", emails=supervisor_emails(rating.body),
                  context={"body": rating.body.name, "number": rating.application.number})
    _audit("services.rating_appeal.submitted", actor=actor, target=appeal,
           data={"rating": rating.pk})
    return appeal


@transaction.atomic
def decide_rating_appeal(*, appeal: RatingAppeal, actor, uphold: bool,
                         note: str) -> RatingAppeal:
    """复核: a supervisor whose scope covers the rated body decides the appeal; whoever
    submitted it never decides it. Upheld, the rating is excluded from every figure and its
    open rectification case is closed with the decision."""
    appeal = (RatingAppeal.objects.select_for_update(of=("self",))
              .select_related("rating__body", "rating__application", "submitted_by")
              .get(pk=appeal.pk))
    rating = ServiceRating.objects.select_for_update(of=("self",)).get(pk=appeal.rating_id)
    body = appeal.rating.body
    if not may_supervise_body(actor, body):
        raise PermissionDenied
    if appeal.status != AppealStatus.PENDING:
        raise ServicesRuleViolation({"__all__": [_("该申诉已复核。")]})
    if appeal.submitted_by_id is not None and appeal.submitted_by_id == actor.pk:
        raise ServicesRuleViolation({"__all__": [_("申诉人不能复核自己提交的申诉。")]})
    note = _required_text(note, field="note", min_chars=ENTRY_NOTE_MIN_CHARS,
                          message=_("请填写复核意见，至少%(n)d个字。") % {
                              "n": ENTRY_NOTE_MIN_CHARS})
    now = timezone.now()
    appeal.status = AppealStatus.UPHELD if uphold else AppealStatus.REJECTED
    appeal.decided_by = actor
    appeal.decided_at = now
    appeal.decision_note = note
    appeal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    closed_case = None
    if uphold:
        rating.is_excluded = True
        rating.excluded_at = now
        rating.save(update_fields=["is_excluded", "excluded_at"])
        case = (RectificationCase.objects.select_for_update(of=("self",))
                .filter(rating=rating, status=RectificationStatus.OPEN).first())
        if case is not None:
            conclusion = _("申诉成立，评价已撤除：%(note)s") % {"note": note}
            case.status = RectificationStatus.CLOSED
            case.conclusion = conclusion
            case.closed_at = now
            case.closed_late = False  # nothing was left to rectify once the rating fell
            case.save(update_fields=["status", "conclusion", "closed_at", "closed_late"])
            _add_entry(case, kind=RectificationEntryKind.CLOSED, note=conclusion, actor=actor,
                       at=now)
            closed_case = case.pk
    _audit("services.rating_appeal.decided", actor=actor, target=appeal,
           data={"rating": rating.pk, "upheld": bool(uphold), "closed_case": closed_case})
    submitter = appeal.submitted_by
    if submitter is not None and submitter.is_active:
        _notify_staff(kind="services.appeal_decided", emails=[submitter.email],
                      url=reverse("services_rating", args=[rating.pk]),
                      context={"number": rating.application.number, "note": note,
                               "result": AppealStatus(appeal.status).label})
    return appeal


def record_rating_statistics_export(*, actor, year: int | None, body: Body | None) -> None:
    """导出: the statistics workbook leaves the platform; who took which figures is audited."""
    if not may_use_ratings_admin(actor):
        raise PermissionDenied
    _audit("services.rating_statistics.exported", actor=actor, target=body,
           data={"year": year})
