"""Factories for the annual report tests: applications, responses, catalogue records and
appeals built directly (the application actions are tested in their own part), and a body's
disclosure platform with its 年报 column added with Wagtail's ``add_child``."""

import itertools
from datetime import date, datetime, time

import factory
from django.utils import timezone

from chuangkou.disclosure.choices import (
    AppealKind,
    ApplicantKind,
    ApplicationChannel,
    ApplicationStatus,
    DeliveryMethod,
    Genre,
    Theme,
    WantedForm,
)
from chuangkou.disclosure.models import (
    AnnualReportColumnPage,
    ApplicationAppeal,
    ApplicationResponse,
    CatalogueCategory,
    DisclosureApplication,
    DisclosurePlatformPage,
    DisclosureRecord,
)
from chuangkou.disclosure.response_kinds import RESPONSE_KINDS

_sequence = itertools.count(1)


def make_report_column(*, body, parent_page):
    """The body's 政府信息公开 platform under ``parent_page`` and its 年报 column."""
    platform = parent_page.add_child(instance=DisclosurePlatformPage(
        title="政府信息公开", slug=f"zfxxgk-{body.slug}", body=body))
    return platform.add_child(instance=AnnualReportColumnPage(
        title="政府信息公开年报", slug="ndbg"))


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisclosureApplication

    number = factory.LazyFunction(lambda: f"YSQ-TEST-{next(_sequence):06d}")
    year = 2025
    sequence = factory.LazyFunction(lambda: next(_sequence))
    query_code_hash = "0" * 64
    channel = ApplicationChannel.ONLINE
    applicant_kind = ApplicantKind.NATURAL_PERSON
    organisation_kind = ""
    applicant_key = "k" * 64
    information_description = "申请公开本市义务教育阶段学校招生计划。"
    wanted_form = WantedForm.ELECTRONIC
    delivery_method = DeliveryMethod.EMAIL
    submitted_at = factory.LazyAttribute(
        lambda o: timezone.make_aware(datetime.combine(o.received_on or date(2025, 1, 2), time(9))))
    received_on = date(2025, 3, 1)
    status = ApplicationStatus.PROCESSING


def applicant(column: str) -> dict:
    """Application fields for an applicant of table 三 column ``column``."""
    if column == "natural_person":
        return {"applicant_kind": ApplicantKind.NATURAL_PERSON, "organisation_kind": ""}
    return {"applicant_kind": ApplicantKind.LEGAL_PERSON, "organisation_kind": column}


def make_answered(*, body, column: str, kind: str, received_on: date, closed_on: date,
                  **extra) -> DisclosureApplication:
    """A concluded application and its one response given on the day it closed."""
    status = (ApplicationStatus.CLOSED if RESPONSE_KINDS[kind].closes_without_substance
              else ApplicationStatus.ANSWERED)
    application = ApplicationFactory(body=body, received_on=received_on, closed_on=closed_on,
                                     status=extra.pop("status", status), **applicant(column),
                                     **extra)
    ApplicationResponse.objects.create(application=application, kind=kind,
                                       letter_text=RESPONSE_KINDS[kind].letter_opening,
                                       responded_on=closed_on)
    return application


def make_open(*, body, column: str, received_on: date | None, **extra) -> DisclosureApplication:
    return ApplicationFactory(body=body, received_on=received_on, **applicant(column), **extra)


def make_record(*, body, genre: str, written_on: date, validity: str = "valid",
                validity_changed_on: date | None = None) -> DisclosureRecord:
    number = next(_sequence)
    return DisclosureRecord.objects.create(
        body=body, index_number=f"{body.credit_code}/{written_on.year}-{number:05d}",
        index_year=written_on.year, index_sequence=number, title=f"示例市规范性文件第{number}号",
        category=CatalogueCategory.objects.filter(body__isnull=True).first(),
        written_on=written_on, formed_on=written_on, disclosure_due_on=written_on,
        theme=Theme.SCIENCE_EDUCATION, genre=genre, validity=validity,
        validity_changed_on=validity_changed_on,
    )


def make_appeal(*, body, kind: str = AppealKind.ADMINISTRATIVE_REVIEW, filed_on: date,
                outcome: str = "pending", concluded_on: date | None = None) -> ApplicationAppeal:
    return ApplicationAppeal.objects.create(
        body=body, kind=kind, filed_on=filed_on, outcome=outcome, concluded_on=concluded_on,
        case_number=f"（{filed_on.year}）示行复字第{next(_sequence)}号")


__all__ = ["Genre", "make_answered", "make_appeal", "make_open", "make_record",
           "make_report_column"]
