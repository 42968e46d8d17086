"""Reads of applications (办件): the applicant's own list and timeline, the staff work lists
(待受理, 待补正, 办理中, 即将到期, 已超期, 已办结) with their counts, and one application as
staff see it. Related rows are fetched up front; a list never queries per row."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from chuangkou.accounts import queries as account_queries
from chuangkou.accounts.choices import IdentityLevel
from chuangkou.core.calendar import WorkingCalendar, add_working_days
from chuangkou.core.query_codes import query_code_matches

from ..choices import (
    ApplicationStatus,
    PaymentStatus,
    RequiredIdentity,
)
from ..models import ApplicationEvent, Payment, ProxyHop, ServiceApplication, ServiceItem
from .access import applications_visible_to, handled_bodies, supervised_bodies

__all__ = [
    "APPLICATION_WORKLISTS",
    "ApplicationWorklist",
    "applicant_applications",
    "applicant_identity_level",
    "applicant_timeline",
    "application_by_number_and_code",
    "application_for_staff",
    "application_todo_counts",
    "application_worklist",
    "applications_of_user",
    "enterprise_ids_of",
    "may_see_as_enterprise_member",
    "may_use_applications",
    "may_view_application",
    "pending_payment",
    "proxy_bodies_of",
    "proxy_items",
    "staff_application_timeline",
    "staff_applications",
]

DUE_SOON_WORKING_DAYS = 3
# A citizen's 身份等级 (accounts) as the level an item may require (services).
CITIZEN_LEVELS = {
    IdentityLevel.UNVERIFIED: RequiredIdentity.ACCOUNT,
    IdentityLevel.VERIFIED_CONTACT: RequiredIdentity.VERIFIED_CONTACT,
    IdentityLevel.REAL_NAME: RequiredIdentity.REAL_NAME,
}
APPLICATION_LIST_RELATED = ("item", "item__implementing_body", "current_body",
                            "submitting_body", "handler")
DONE_STATUSES = (ApplicationStatus.APPROVED, ApplicationStatus.DENIED,
                 ApplicationStatus.DELIVERED, ApplicationStatus.REFUSED)


def applicant_identity_level(user) -> str:
    """The identity level (``RequiredIdentity``) an applicant has, as the accounts domain
    says: anyone not signed in has none (无需登录); a citizen has their account's level
    (未验证 → 注册账号, 已验证手机或邮箱, 实名认证); a signed-in user without a citizen
    account (staff) counts as a registered account, as before accounts existed."""
    if not getattr(user, "is_authenticated", False):
        return RequiredIdentity.NONE
    level = account_queries.identity_level(user)
    return CITIZEN_LEVELS.get(level, RequiredIdentity.ACCOUNT)


# --- The applicant ---------------------------------------------------------------------------


def _with_applicant_related(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("item", "item__implementing_body", "current_body",
                                   "submitting_body", "applicant")


def applicant_applications() -> QuerySet[ServiceApplication]:
    """Applications with what the applicant's page shows (the caller checks the grant)."""
    return (_with_applicant_related(ServiceApplication.objects.all())
            .prefetch_related(
                Prefetch("uploads"),
                Prefetch("payments", queryset=Payment.objects.order_by("pk"))))


def application_by_number_and_code(number: str, code: str) -> ServiceApplication | None:
    """The application whose number and query code match, else None (one answer for a wrong
    number and a wrong code)."""
    number = "".join((number or "").split()).upper()
    application = ServiceApplication.objects.filter(number=number).first()
    if application is None or not query_code_matches(application.query_code_digest,
                                                      number=number, code=code):
        return None
    return application


def applicant_timeline(application: ServiceApplication) -> list[ApplicationEvent]:
    """What the applicant sees of the timeline: visible events with their public notes."""
    return list(application.events.filter(visible_to_applicant=True)
                .select_related("body", "step").order_by("occurred_at", "pk"))


def applications_of_user(user) -> QuerySet[ServiceApplication]:
    """我的办件: the applications a signed-in citizen made with their account, and those made
    for an enterprise they are a member of (法人, ``accounts.queries.enterprises_of``)."""
    if not getattr(user, "is_authenticated", False):
        return ServiceApplication.objects.none()
    condition = Q(user=user)
    if enterprise_ids := enterprise_ids_of(user):
        condition |= Q(enterprise_id__in=enterprise_ids)
    return (ServiceApplication.objects.filter(condition)
            .select_related("item", "item__implementing_body", "current_body", "enterprise")
            .order_by("-submitted_at", "-pk"))


def enterprise_ids_of(user) -> list[int]:
    """The verified enterprises a citizen acts for (none for staff and anonymous users)."""
    account = account_queries.citizen_account_of(user)
    if account is None:
        return []
    return [enterprise.pk for enterprise in account_queries.enterprises_of(account)]


def may_see_as_enterprise_member(user, application: ServiceApplication) -> bool:
    """Whether ``user`` is a member of the enterprise the application was made for."""
    if application.enterprise_id is None or not getattr(user, "is_authenticated", False):
        return False
    return application.enterprise_id in enterprise_ids_of(user)


def pending_payment(application: ServiceApplication) -> Payment | None:
    return next((payment for payment in application.payments.all()
                 if payment.status == PaymentStatus.PENDING), None)


# --- Staff -----------------------------------------------------------------------------------


def may_use_applications(user) -> bool:
    """Handlers and supervisors (办件人员, 督办员) of at least one body."""
    return handled_bodies(user).exists() or supervised_bodies(user).exists()


def may_view_application(user, application: ServiceApplication) -> bool:
    return applications_visible_to(user).filter(pk=application.pk).exists()


def staff_applications(user) -> QuerySet[ServiceApplication]:
    """Every application ``user`` may see, with the rows a list shows."""
    return applications_visible_to(user).select_related(*APPLICATION_LIST_RELATED)


def application_for_staff(user, number: str) -> ServiceApplication | None:
    """One application as staff see it (hops, uploads, payments, events fetched up front);
    None when the user may not see it."""
    number = "".join((number or "").split()).upper()
    return (staff_applications(user).select_related("applicant", "enterprise")
            .prefetch_related(
                Prefetch("hops", queryset=ProxyHop.objects.select_related(
                    "body", "passed_on_by").order_by("position")),
                Prefetch("uploads"),
                Prefetch("payments", queryset=Payment.objects.select_related(
                    "requested_by", "confirmed_by").order_by("pk")),
                "item__steps", "item__form_fields", "item__materials")
            .filter(number=number).first())


def staff_application_timeline(application: ServiceApplication) -> list[ApplicationEvent]:
    """The whole timeline, internal notes included."""
    return list(application.events.select_related("body", "step", "actor")
                .order_by("occurred_at", "pk"))


def _working_scope(user) -> Q:
    """Applications now at a body the user handles for, or at or below one they supervise."""
    bodies = [*handled_bodies(user).values_list("pk", flat=True),
              *supervised_bodies(user).values_list("pk", flat=True)]
    return Q(current_body__in=bodies)


def _due_soon_limit(today: date, calendar: WorkingCalendar) -> date:
    return add_working_days(today, DUE_SOON_WORKING_DAYS, calendar=calendar)


def _overdue(today: date) -> Q:
    return (Q(status=ApplicationStatus.IN_PROGRESS, due_on__lt=today)
            | Q(status=ApplicationStatus.SUBMITTED, acceptance_due_on__lt=today))


@dataclass(frozen=True)
class ApplicationWorklist:
    slug: str
    title: str
    condition: Callable[[date, WorkingCalendar], Q]
    order_by: tuple[str, ...]
    open_only: bool = True


APPLICATION_WORKLISTS: tuple[ApplicationWorklist, ...] = (
    ApplicationWorklist("submitted", _("待受理"),
             lambda today, calendar: Q(status=ApplicationStatus.SUBMITTED),
             ("acceptance_due_on", "pk")),
    ApplicationWorklist("supplement", _("待补正"),
             lambda today, calendar: Q(status=ApplicationStatus.SUPPLEMENT_REQUESTED),
             ("supplement_requested_on", "pk")),
    ApplicationWorklist("in_progress", _("办理中"),
             lambda today, calendar: Q(status=ApplicationStatus.IN_PROGRESS),
             ("due_on", "pk")),
    ApplicationWorklist("due_soon", _("即将到期"),
             lambda today, calendar: Q(status=ApplicationStatus.IN_PROGRESS, due_on__gte=today,
                                       due_on__lte=_due_soon_limit(today, calendar)),
             ("due_on", "pk")),
    ApplicationWorklist("overdue", _("已超期"), lambda today, calendar: _overdue(today),
             ("due_on", "acceptance_due_on", "pk")),
    ApplicationWorklist("done", _("已办结"), lambda today, calendar: Q(status__in=DONE_STATUSES),
             ("-decided_at", "-pk"), open_only=False),
    ApplicationWorklist("all", _("全部"), lambda today, calendar: Q(), ("-submitted_at", "-pk"),
             open_only=False),
)


def application_worklist(user, slug: str, *, today: date, calendar: WorkingCalendar
             ) -> QuerySet[ServiceApplication]:
    """One work list of ``user``: the open lists hold applications now at their bodies; 已办结
    and 全部 everything they may see."""
    chosen = next((item for item in APPLICATION_WORKLISTS if item.slug == slug), APPLICATION_WORKLISTS[0])
    queryset = staff_applications(user)
    if chosen.open_only:
        queryset = queryset.filter(_working_scope(user))
    return queryset.filter(chosen.condition(today, calendar)).order_by(*chosen.order_by)


def application_todo_counts(user, *, today: date, calendar: WorkingCalendar) -> dict[str, int] | None:
    """The counts of the home panel "我的待办办件" (None when the user handles nothing)."""
    if not may_use_applications(user):
        return None
    scope = ServiceApplication.objects.filter(
        pk__in=applications_visible_to(user).values("pk")).filter(_working_scope(user))
    counts = {}
    for slug in ("submitted", "supplement", "in_progress", "due_soon", "overdue"):
        chosen = next(item for item in APPLICATION_WORKLISTS if item.slug == slug)
        counts[slug] = scope.filter(chosen.condition(today, calendar)).count()
    return counts


# --- Proxy hand-in (代办) -------------------------------------------------------------------


def proxy_bodies_of(user):
    """Bodies at which ``user`` may hand in applications on citizens' behalf."""
    return handled_bodies(user).order_by("path")


def proxy_items() -> QuerySet[ServiceItem]:
    """Published items that can be applied for online and accept proxy hand-in."""
    return (ServiceItem.objects.filter(is_published=True, accepts_proxy=True,
                                       online_depth__gte=3)
            .select_related("implementing_body").order_by("implementing_body__path",
                                                          "sort_order", "code"))
