"""Reads for the annual report (年报) and the appeals it counts (行政复议、行政诉讼)."""

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from chuangkou.organizations.models import Body

from ..annual_report import applicant_column, empty_counts
from ..choices import AppealOutcome, Genre, Validity
from ..models import (
    AnnualReportColumnPage,
    AnnualReportPage,
    ApplicationAppeal,
    ApplicationResponse,
    DisclosureApplication,
    DisclosureRecord,
)
from ..response_kinds import RESPONSE_KINDS

__all__ = [
    "annual_report_column_of",
    "annual_report_counts",
    "annual_report_of",
    "annual_reports_of_bodies",
    "appeals_of_bodies",
]


def annual_report_counts(*, body: Body, year: int) -> dict[str, Any]:
    """Raw counts of ``body``'s report on ``year``, in four aggregate queries whatever the
    number of applications (definitions: docs/domains/disclosure-reports.md)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    counts = empty_counts(year)
    applications = counts["applications"]

    # 一 本年新收, 二 上年结转, 四 结转下年度: every application received by the end of the year
    # and still open on its first day is in at least one of them.
    open_during_year = (
        DisclosureApplication.objects.filter(body=body, received_on__lte=last)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        .values("applicant_kind", "organisation_kind").order_by()
        .annotate(
            new=Count("pk", filter=Q(received_on__gte=first)),
            carried_over=Count("pk", filter=Q(received_on__lt=first)),
            carried_forward=Count("pk", filter=Q(closed_on__isnull=True) | Q(closed_on__gt=last)),
        )
    )
    for group in open_during_year:
        column = applicant_column(group["applicant_kind"], group["organisation_kind"])
        for name in ("new", "carried_over", "carried_forward"):
            applications[name][column] += group[name]

    # 三 本年度办理结果: each response given in the year, in the row of its kind.
    responses = (
        ApplicationResponse.objects.filter(application__body=body, responded_on__range=(first, last))
        .values("kind", "application__applicant_kind", "application__organisation_kind")
        .order_by().annotate(number=Count("pk"))
    )
    for group in responses:
        column = applicant_column(group["application__applicant_kind"],
                                  group["application__organisation_kind"])
        applications["results"][RESPONSE_KINDS[group["kind"]].report_row][column] += group["number"]

    # 表二 第二十条第（一）项.
    documents = (
        DisclosureRecord.objects.filter(body=body, genre__in=[Genre.REGULATION,
                                                              Genre.NORMATIVE_DOCUMENT])
        .values("genre").order_by()
        .annotate(
            issued=Count("pk", filter=Q(written_on__range=(first, last))),
            repealed=Count("pk", filter=Q(validity=Validity.REPEALED,
                                          validity_changed_on__range=(first, last))),
            in_force=Count("pk", filter=Q(written_on__lte=last)
                           & (Q(validity=Validity.VALID) | Q(validity_changed_on__gt=last))),
        )
    )
    for group in documents:
        counts["documents"][group["genre"]] = {
            name: group[name] for name in ("issued", "repealed", "in_force")}

    # 表四: cases filed in the year; one concluded after the year's end was pending at its end.
    concluded_in_year = Q(concluded_on__lte=last)
    appeals = (
        ApplicationAppeal.objects.filter(body=body, filed_on__range=(first, last))
        .values("kind").order_by()
        .annotate(**{
            outcome: Count("pk", filter=Q(outcome=outcome) & concluded_in_year)
            for outcome in (AppealOutcome.UPHELD, AppealOutcome.CORRECTED, AppealOutcome.OTHER)
        }, pending=Count("pk", filter=Q(outcome=AppealOutcome.PENDING)
                         | Q(concluded_on__gt=last)))
    )
    for group in appeals:
        counts["appeals"][group["kind"]] = {
            outcome: group[outcome]
            for outcome in (AppealOutcome.UPHELD, AppealOutcome.CORRECTED, AppealOutcome.OTHER,
                            AppealOutcome.PENDING)}
    return counts


def annual_report_column_of(body: Body) -> AnnualReportColumnPage | None:
    """The 政府信息公开年报 column of ``body``'s disclosure platform, if it has both."""
    platform = getattr(body, "disclosure_platform", None)  # none yet: RelatedObjectDoesNotExist
    if platform is None:
        return None
    return AnnualReportColumnPage.objects.child_of(platform).order_by("path").first()


def annual_report_of(*, body: Body, year: int) -> AnnualReportPage | None:
    return AnnualReportPage.objects.filter(body=body, year=year).first()


def annual_reports_of_bodies(bodies: QuerySet[Body]) -> QuerySet[AnnualReportPage]:
    """Reports of ``bodies``, newest year first, with their body and workflow state."""
    return (AnnualReportPage.objects.filter(body__in=bodies)
            .select_related("body", "latest_revision").order_by("-year", "body__path"))


def appeals_of_bodies(bodies: QuerySet[Body]) -> QuerySet[ApplicationAppeal]:
    """Appeals (行政复议、行政诉讼) concerning ``bodies``, newest first."""
    return (ApplicationAppeal.objects.filter(body__in=bodies)
            .select_related("body", "application").order_by("-filed_on", "-pk"))
