"""Reads of 好差评: whether an application may be rated, the published summaries per item and
per body (computed in the database, one query per table), the public record of recent 差评
and their rectification, and the staff worklists.

Ratings removed on appeal (``is_excluded``) count in no figure; only the number removed is
shown, so the public sees that ratings were removed and how many.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import ExtractYear

from chuangkou.organizations.choices import Role
from chuangkou.organizations.models import Body, Membership
from chuangkou.publishing.contentchecks import mask_personal_data

from .. import rules
from ..choices import (
    DECIDED_APPLICATION_STATUSES,
    AppealStatus,
    RatingLevel,
    RectificationStatus,
)
from ..models import (
    RatingAppeal,
    RectificationCase,
    ServiceApplication,
    ServiceRating,
)
from .access import handled_bodies, supervised_bodies

__all__ = [
    "RatingSummary",
    "RecentDissatisfied",
    "appeals_for_staff",
    "cases_for_staff",
    "eligible_rectification_handlers",
    "may_rate",
    "may_use_ratings_admin",
    "open_cases",
    "overdue_cases",
    "pending_appeals",
    "rating_for_staff",
    "rating_summaries",
    "rating_summary_total",
    "rating_years",
    "ratings_for_staff",
    "recent_dissatisfied",
    "rectification_case_for_staff",
    "staff_rating_bodies",
]

ONE_DECIMAL = Decimal("0.1")
TWO_DECIMALS = Decimal("0.01")
SUB_INDICATORS = ("efficiency", "guide_accuracy", "convenience", "usability")
GOOD_LEVELS = (RatingLevel.VERY_SATISFIED, RatingLevel.SATISFIED)
GROUPS = {
    "body": ("body_id", "body__name", "body__path"),
    "item": ("item_id", "item__code", "item__name", "body__name"),
}


def percentage(numerator: int, denominator: int) -> Decimal | None:
    """``numerator / denominator`` in percent, one decimal (half up); None for 0/0."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def _average(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(TWO_DECIMALS, ROUND_HALF_UP)


# --------------------------------------------------------------------------- the citizen


def may_rate(application: ServiceApplication) -> bool:
    """Whether the applicant may rate ``application`` now: decided (办结 or 送达) and not yet
    rated ("一事一评")."""
    if application is None or application.status not in DECIDED_APPLICATION_STATUSES:
        return False
    return not ServiceRating.objects.filter(application_id=application.pk).exists()


# --------------------------------------------------------------------------- summaries


@dataclass
class RatingSummary:
    """The figures of one body, one item or all ratings (``key`` None)."""

    key: int | None = None
    code: str = ""
    name: str = ""
    body_name: str = ""
    count: int = 0
    levels: dict[int, int] = field(default_factory=dict)
    dissatisfied: int = 0
    good: int = 0
    rectified_on_time: int = 0
    removed: int = 0
    averages: dict[str, Decimal | None] = field(default_factory=dict)

    @property
    def good_rate(self) -> Decimal | None:
        """好评率: 非常满意 and 满意 over every rating counted."""
        return percentage(self.good, self.count)

    @property
    def rectified_on_time_rate(self) -> Decimal | None:
        """按期整改率: 差评 rectified by their due day over every 差评 counted."""
        return percentage(self.rectified_on_time, self.dissatisfied)

    @property
    def level_rows(self) -> list[tuple[str, int, Decimal | None]]:
        """(label, count, share in percent) from 非常满意 to 非常不满意."""
        return [(str(level.label), self.levels.get(level.value, 0),
                 percentage(self.levels.get(level.value, 0), self.count))
                for level in RatingLevel]

    @property
    def average_level(self) -> Decimal | None:
        return self.averages.get("level")

    @property
    def average_efficiency(self) -> Decimal | None:
        return self.averages.get("efficiency")

    @property
    def average_guide_accuracy(self) -> Decimal | None:
        return self.averages.get("guide_accuracy")

    @property
    def average_convenience(self) -> Decimal | None:
        return self.averages.get("convenience")

    @property
    def average_usability(self) -> Decimal | None:
        return self.averages.get("usability")


def _counted() -> Q:
    return Q(is_excluded=False)


def _aggregates() -> dict:
    counted = _counted()
    values = {
        "count": Count("pk", filter=counted),
        "removed": Count("pk", filter=Q(is_excluded=True)),
        "good": Count("pk", filter=counted & Q(level__in=GOOD_LEVELS)),
        "dissatisfied": Count("pk", filter=counted & Q(level__in=rules.DISSATISFIED_LEVELS)),
        "rectified_on_time": Count("pk", filter=counted & Q(
            level__in=rules.DISSATISFIED_LEVELS,
            rectification__status=RectificationStatus.CLOSED,
            rectification__closed_late=False)),
        "avg_level": Avg("level", filter=counted),
    }
    for level in RatingLevel.values:
        values[f"level_{level}"] = Count("pk", filter=counted & Q(level=level))
    for name in SUB_INDICATORS:
        values[f"avg_{name}"] = Avg(name, filter=counted)
    return values


def _summary(row: dict, *, key=None, code="", name="", body_name="") -> RatingSummary:
    return RatingSummary(
        key=key, code=code, name=name, body_name=body_name, count=row["count"] or 0,
        levels={level: row[f"level_{level}"] or 0 for level in RatingLevel.values},
        dissatisfied=row["dissatisfied"] or 0, good=row["good"] or 0,
        rectified_on_time=row["rectified_on_time"] or 0, removed=row["removed"] or 0,
        averages={"level": _average(row["avg_level"]),
                  **{name: _average(row[f"avg_{name}"]) for name in SUB_INDICATORS}})


def _filtered(*, year: int | None = None, body: Body | None = None,
              bodies: QuerySet | None = None) -> QuerySet[ServiceRating]:
    ratings = ServiceRating.objects.all()
    if year is not None:
        ratings = ratings.filter(rated_at__year=year)
    if body is not None:
        ratings = ratings.filter(body=body)
    if bodies is not None:
        ratings = ratings.filter(body__in=bodies)
    return ratings


def rating_summaries(*, group_by: str, year: int | None = None, body: Body | None = None,
                     bodies: QuerySet | None = None, limit: int | None = None
                     ) -> list[RatingSummary]:
    """The figures per body (``group_by="body"``, in tree order) or per item (``"item"``, the
    most rated first), in one query. ``bodies`` limits the ratings to a staff member's scope."""
    fields = GROUPS[group_by]
    rows = (_filtered(year=year, body=body, bodies=bodies).order_by().values(*fields)
            .annotate(**_aggregates()))
    if group_by == "body":
        rows = rows.order_by("body__path")
    else:
        rows = rows.order_by("-count", "item__code")
    if limit is not None:
        rows = rows[:limit]
    if group_by == "body":
        return [_summary(row, key=row["body_id"], name=row["body__name"]) for row in rows]
    return [_summary(row, key=row["item_id"], code=row["item__code"], name=row["item__name"],
                     body_name=row["body__name"]) for row in rows]


def rating_summary_total(*, year: int | None = None, body: Body | None = None,
                         bodies: QuerySet | None = None) -> RatingSummary:
    """The figures of every rating matching the filters, in one query."""
    row = _filtered(year=year, body=body, bodies=bodies).aggregate(**_aggregates())
    return _summary(row)


def rating_years() -> list[int]:
    """The years with ratings, latest first (for the year filter)."""
    return list(ServiceRating.objects.order_by().annotate(year=ExtractYear("rated_at"))
                .values_list("year", flat=True).distinct().order_by("-year"))


@dataclass(frozen=True)
class RecentDissatisfied:
    """One published line of the 差评 rectification record: no applicant data; the comment
    and the conclusion with phone and ID numbers masked."""

    rated_on: date
    item_name: str
    body_name: str
    level_label: str
    comment: str
    status_label: str
    conclusion: str
    due_on: date | None
    on_time: bool | None  # None while the case is open


def recent_dissatisfied(*, year: int | None = None, body: Body | None = None,
                        limit: int = 20) -> list[RecentDissatisfied]:
    """The latest 差评 counted in the figures, with their rectification outcome, in one
    query."""
    from django.utils import timezone

    ratings = (_filtered(year=year, body=body)
               .filter(is_excluded=False, level__in=rules.DISSATISFIED_LEVELS)
               .select_related("item", "body", "rectification")
               .order_by("-rated_at", "-pk")[:limit])
    lines = []
    for rating in ratings:
        case = getattr(rating, "rectification", None)
        closed = case is not None and case.status == RectificationStatus.CLOSED
        lines.append(RecentDissatisfied(
            rated_on=timezone.localdate(rating.rated_at), item_name=rating.item.name,
            body_name=rating.body.name, level_label=str(rating.get_level_display()),
            comment=mask_personal_data(rating.comment),
            status_label=str(case.get_status_display()) if case else "",
            conclusion=mask_personal_data(case.conclusion) if closed else "",
            due_on=case.due_on if case else None,
            on_time=(not case.closed_late) if closed else None))
    return lines


# --------------------------------------------------------------------------- staff


def may_use_ratings_admin(user) -> bool:
    """办件人员 and 政务服务督办员: the 好差评 screens."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and (
        user.has_perm("services.handle_service_applications")
        or user.has_perm("services.supervise_services")))


def staff_rating_bodies(user) -> QuerySet[Body]:
    """The bodies whose ratings ``user`` sees: where they handle, and every body they
    supervise."""
    handled = handled_bodies(user).values("pk")
    supervised = supervised_bodies(user).values("pk")
    return Body.objects.filter(Q(pk__in=handled) | Q(pk__in=supervised)).order_by("path")


def ratings_for_staff(user) -> QuerySet[ServiceRating]:
    return (ServiceRating.objects.filter(body__in=staff_rating_bodies(user).values("pk"))
            .select_related("item", "body", "application", "rectification"))


def rating_for_staff(user, pk: int) -> ServiceRating | None:
    return ratings_for_staff(user).filter(pk=pk).first()


def cases_for_staff(user) -> QuerySet[RectificationCase]:
    return (RectificationCase.objects
            .filter(body__in=staff_rating_bodies(user).values("pk"))
            .select_related("rating__item", "rating__application", "body", "handler"))


def rectification_case_for_staff(user, pk: int) -> RectificationCase | None:
    return cases_for_staff(user).filter(pk=pk).first()


def open_cases(user, *, today: date) -> QuerySet[RectificationCase]:
    """待整改: open cases not yet past their due day, the soonest due first."""
    return (cases_for_staff(user).filter(status=RectificationStatus.OPEN, due_on__gte=today)
            .order_by("due_on", "pk"))


def overdue_cases(user, *, today: date) -> QuerySet[RectificationCase]:
    """已超期: open cases past their due day, the longest overdue first."""
    return (cases_for_staff(user).filter(status=RectificationStatus.OPEN, due_on__lt=today)
            .order_by("due_on", "pk"))


def appeals_for_staff(user) -> QuerySet[RatingAppeal]:
    return (RatingAppeal.objects
            .filter(rating__body__in=staff_rating_bodies(user).values("pk"))
            .select_related("rating__item", "rating__body", "rating__application",
                            "submitted_by", "decided_by"))


def pending_appeals(user) -> QuerySet[RatingAppeal]:
    """待复核申诉: appeals of ratings in the user's scope awaiting a decision, oldest first."""
    return appeals_for_staff(user).filter(status=AppealStatus.PENDING).order_by(
        "submitted_at", "pk")


def eligible_rectification_handlers(body: Body):
    """The active 办件人员 of ``body``: who may be named to rectify a 差评 of it."""
    from django.contrib.auth import get_user_model

    users = Membership.objects.filter(body=body, role=Role.SERVICE_HANDLER,
                                      user__is_active=True).values("user_id")
    return get_user_model().objects.filter(pk__in=users).order_by("username")
