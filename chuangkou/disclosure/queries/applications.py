"""Reads of 依申请公开: staff lists with their deadlines, the applicant's view, the lookup by
number and query code, masking of personal data, and the draft of a response letter."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from chuangkou.core.calendar import WorkingCalendar, working_calendar, working_days_between
from chuangkou.organizations.choices import Role
from chuangkou.organizations.models import Body, Membership

from ..choices import ApplicationEventKind, ApplicationStatus
from ..deadlines import reminder_date
from ..models import ApplicationEvent, DisclosureApplication
from ..response_kinds import RESPONSE_KINDS

__all__ = [
    "HANDLING_ROLES",
    "OPEN_STATUSES",
    "RIGHTS_NOTICE",
    "ApplicationRow",
    "application_for_staff",
    "application_ordinal_in_month",
    "applications_of_user",
    "bodies_handled_by",
    "find_application",
    "mask_document_number",
    "mask_name",
    "mask_phone",
    "may_approve_extension",
    "may_handle_applications",
    "pending_extension_request",
    "query_code_digest",
    "response_letter_draft",
    "staff_application_rows",
    "staff_emails",
    "timeline_of",
    "transfer_chain",
    "working_days_left",
]

HANDLING_ROLES = (Role.DISCLOSURE_OFFICER, Role.DISCLOSURE_OFFICE_HEAD)
# States in which the reply deadline runs (the clock stands still in the others).
OPEN_STATUSES = (ApplicationStatus.AWAITING_CONFIRMATION, ApplicationStatus.PROCESSING,
                 ApplicationStatus.AWAITING_CORRECTION, ApplicationStatus.CONSULTING,
                 ApplicationStatus.AWAITING_FEE)
RIGHTS_NOTICE = (
    "如对本答复不服，可以自收到本答复之日起六十日内依法申请行政复议，"
    "或者自收到本答复之日起六个月内依法向人民法院提起行政诉讼。"
)


def query_code_digest(number: str, code: str) -> str:
    """The stored form of a query code: SHA-256 of the number and the code together, so a
    digest cannot be replayed against another application."""
    return hashlib.sha256(f"{number}:{code.strip().upper()}".encode()).hexdigest()


def find_application(number: str, code: str) -> DisclosureApplication | None:
    """The application with ``number`` if ``code`` is its query code (compared in constant
    time), else None."""
    application = (DisclosureApplication.objects.select_related("body", "response")
                   .filter(number=number.strip().upper()).first())
    if application is None:
        hmac.compare_digest(query_code_digest(number, code), "0" * 64)  # same work either way
        return None
    if not hmac.compare_digest(application.query_code_hash, query_code_digest(number, code)):
        return None
    return application


def transfer_chain(application: DisclosureApplication) -> list[DisclosureApplication]:
    """The application and every application it was transferred into, in order."""
    chain = [application]
    current = application
    while current.status == ApplicationStatus.TRANSFERRED:
        following = (DisclosureApplication.objects.select_related("body")
                     .filter(transferred_from=current).first())
        if following is None or following in chain:
            break
        chain.append(following)
        current = following
    return chain


def may_handle_applications(user, body: Body) -> bool:
    """政务公开工作人员 and 政务公开办负责人 of the body handle its applications; nobody else
    (system administrators and auditors included: the applicant's personal data)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return Membership.objects.filter(user=user, body=body, role__in=HANDLING_ROLES).exists()


def may_approve_extension(user, body: Body) -> bool:
    """Only the head of the body's disclosure office approves an extension (条例 第三十三条)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return Membership.objects.filter(user=user, body=body,
                                     role=Role.DISCLOSURE_OFFICE_HEAD).exists()


def bodies_handled_by(user) -> QuerySet[Body]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Body.objects.none()
    return Body.objects.filter(
        pk__in=Membership.objects.filter(user=user, role__in=HANDLING_ROLES).values("body_id")
    ).order_by("path")


def staff_emails(body: Body, *, roles: tuple[str, ...]) -> list[str]:
    """E-mail addresses of the body's active staff in ``roles``."""
    return sorted({
        email for email in Membership.objects.filter(
            body=body, role__in=roles, user__is_active=True).values_list("user__email", flat=True)
        if email
    })


def working_days_left(due_on: date | None, *, today: date, calendar: WorkingCalendar) -> int | None:
    """Working days from today to the deadline; negative when overdue, 0 on the due day."""
    if due_on is None:
        return None
    if today <= due_on:
        return working_days_between(today, due_on, calendar=calendar)
    return -working_days_between(due_on, today, calendar=calendar)


@dataclass(frozen=True)
class ApplicationRow:
    application: DisclosureApplication
    days_left: int | None
    overdue: bool
    due_soon: bool


def _staff_applications(user) -> QuerySet[DisclosureApplication]:
    return (DisclosureApplication.objects.filter(body__in=bodies_handled_by(user))
            .select_related("body", "handler"))


def staff_application_rows(user, *, status: str = "", body_id: int | None = None,
                           overdue: bool = False, due_soon: bool = False,
                           today: date | None = None,
                           calendar: WorkingCalendar | None = None) -> list[ApplicationRow]:
    """Applications to the bodies ``user`` handles, with days left; ``overdue`` and
    ``due_soon`` keep only running deadlines past or within the reminder window."""
    today = today or timezone.localdate()
    calendar = calendar or working_calendar()
    applications = _staff_applications(user).order_by("due_on", "-submitted_at", "-pk")
    if status:
        applications = applications.filter(status=status)
    if body_id:
        applications = applications.filter(body_id=body_id)
    if overdue or due_soon:
        applications = applications.filter(status=ApplicationStatus.PROCESSING,
                                           due_on__isnull=False)
    if overdue:
        applications = applications.filter(due_on__lt=today)
    rows = []
    for application in applications:
        running = application.status == ApplicationStatus.PROCESSING and application.due_on
        is_overdue = bool(running and application.due_on < today)
        is_due_soon = bool(running and not is_overdue
                           and reminder_date(application.due_on, calendar=calendar) <= today)
        if due_soon and not is_due_soon:
            continue
        rows.append(ApplicationRow(
            application=application,
            days_left=working_days_left(application.due_on, today=today, calendar=calendar)
            if running else None,
            overdue=is_overdue, due_soon=is_due_soon,
        ))
    return rows


def application_for_staff(user, pk: int) -> DisclosureApplication | None:
    """One application, if ``user`` handles its body."""
    return (_staff_applications(user).select_related("applicant", "entered_by",
                                                     "transferred_from")
            .filter(pk=pk).first())


def applications_of_user(user) -> QuerySet[DisclosureApplication]:
    """A signed-in citizen's own applications, newest first."""
    if not getattr(user, "is_authenticated", False):
        return DisclosureApplication.objects.none()
    return DisclosureApplication.objects.filter(user=user).select_related("body")


def timeline_of(application: DisclosureApplication, *, for_applicant: bool) -> list[ApplicationEvent]:
    """The events of an application in order; the applicant sees only the visible ones
    (外网反馈) and never the internal notes."""
    events = application.events.select_related("actor")
    if for_applicant:
        events = events.filter(visible_to_applicant=True)
    return list(events)


def pending_extension_request(application: DisclosureApplication) -> ApplicationEvent | None:
    """The extension request waiting for the office head's decision, if any."""
    latest = (application.events.filter(kind__in=(
        ApplicationEventKind.EXTENSION_REQUESTED, ApplicationEventKind.EXTENSION_APPROVED,
        ApplicationEventKind.EXTENSION_REFUSED)).order_by("-occurred_at", "-pk").first())
    if latest is not None and latest.kind == ApplicationEventKind.EXTENSION_REQUESTED:
        return latest
    return None


def application_ordinal_in_month(application: DisclosureApplication) -> int:
    """Which application of the month this is for its applicant at this body (1-based), the
    count 国办函〔2020〕109号 charges by: applications received in the same calendar month,
    transfers out not counted twice."""
    received = application.received_on or timezone.localdate(application.submitted_at)
    earlier = (DisclosureApplication.objects
               .filter(body_id=application.body_id, applicant_key=application.applicant_key,
                       received_on__year=received.year, received_on__month=received.month)
               .exclude(status=ApplicationStatus.TRANSFERRED)
               .exclude(pk=application.pk)
               .filter(Q(received_on__lt=received)
                       | Q(received_on=received, submitted_at__lt=application.submitted_at)
                       | Q(received_on=received, submitted_at=application.submitted_at,
                           pk__lt=application.pk)))
    return earlier.count() + 1


def mask_name(name: str) -> str:
    """张三丰 → 张**: the first character only."""
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def mask_phone(phone: str) -> str:
    """13812345678 → 138****5678."""
    phone = phone.strip()
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_document_number(number: str) -> str:
    """Keep the first 3 and the last 2 characters of an identity document number."""
    number = number.strip()
    if len(number) <= 5:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 5) + number[-2:]


def response_letter_draft(application: DisclosureApplication, *, kind: str,
                          detail: str = "", on: date | None = None) -> str:
    """The 答复告知书 text: the application's facts, the kind's opening
    (``response_kinds.RESPONSE_KINDS``), any detail, and the notice of rights (行政复议法
    第二十条: 60 days; 行政诉讼法 第四十六条: 6 months). Addressed to 申请人 without a name,
    because the applicant reads it on public pages."""
    rule = RESPONSE_KINDS[kind]
    on = on or timezone.localdate()
    received = application.received_on or timezone.localdate(application.submitted_at)
    wanted = application.information_title or application.information_description[:60]
    paragraphs = [
        "申请人：",
        f"本机关于{received.year}年{received.month}月{received.day}日收到您提出的政府信息公开申请"
        f"（申请编号：{application.number}），申请获取“{wanted}”。",
        rule.letter_opening,
    ]
    if detail.strip():
        paragraphs.append(detail.strip())
    paragraphs += [RIGHTS_NOTICE, application.body.name, f"{on.year}年{on.month}月{on.day}日"]
    return "\n\n".join(paragraphs)
