"""Reads for citizen accounts: the identity the online application form asks for, a citizen's
own applications for 我的主页 with their next deadline, and everything this app holds about a
citizen for the download of their data (个人信息保护法 第四十五条)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chuangkou.accounts.choices import IdentityLevel
from chuangkou.accounts.queries import identity_level, level_at_least

from ..choices import ApplicationStatus
from ..models import ApplicationEvent, DisclosureApplication, ResponseAttachment
from .applications import OPEN_STATUSES

__all__ = [
    "ACTION_STATUSES",
    "HOMEPAGE_APPLICATIONS",
    "NextStep",
    "application_export",
    "application_identity_shortfall",
    "applications_for_export",
    "homepage_applications",
    "next_step",
    "required_application_identity",
]

HOMEPAGE_APPLICATIONS = 5
# The applicant has something to do: send the corrected application (补正) or pay the fee.
ACTION_STATUSES = (ApplicationStatus.AWAITING_CORRECTION, ApplicationStatus.AWAITING_FEE)


def required_application_identity() -> str:
    """The identity level the online application form asks for
    (``DISCLOSURE_APPLICATION_REQUIRED_IDENTITY``); "" lets anyone apply without an account.
    An unknown value counts as real-name: a typo must not open a form meant to be closed."""
    level = getattr(settings, "DISCLOSURE_APPLICATION_REQUIRED_IDENTITY", "") or ""
    return level if not level or level in IdentityLevel.values else IdentityLevel.REAL_NAME


def application_identity_shortfall(user) -> str | None:
    """The level the online form asks for when ``user`` (a visitor, a citizen, staff) does not
    have it; None when they may apply."""
    needed = required_application_identity()
    if not needed or level_at_least(identity_level(user), needed):
        return None
    return needed


@dataclass(frozen=True)
class NextStep:
    """The next deadline of an application as its applicant sees it."""

    deadline: date | None
    label: str | Promise
    needs_action: bool = False
    action_label: str | Promise = ""


def next_step(application: DisclosureApplication) -> NextStep:
    """补正 and fee deadlines are the applicant's; the reply deadline (20 working days with
    its extension, paused while a third party or a fee is awaited) is the body's. While the
    clock stands still, or before an online application is confirmed, there is none."""
    status = application.status
    if status == ApplicationStatus.AWAITING_CORRECTION:
        return NextStep(application.correction_due_on, _("补正期限"), True, _("请补正申请"))
    if status == ApplicationStatus.AWAITING_FEE:
        return NextStep(application.fee_due_on, _("缴费期限"), True, _("请缴纳信息处理费"))
    if status == ApplicationStatus.PROCESSING:
        return NextStep(application.due_on, _("答复期限"))
    return NextStep(None, "")


def homepage_applications(user, *, limit: int = HOMEPAGE_APPLICATIONS
                          ) -> list[DisclosureApplication]:
    """我的依申请公开 on 我的主页: applications waiting for the applicant first (补正, fee), then
    the ones being handled, then the closed ones; newest first within each. One query."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        DisclosureApplication.objects.filter(user=user).select_related("body")
        .annotate(homepage_rank=Case(
            When(status__in=ACTION_STATUSES, then=Value(0)),
            When(status__in=OPEN_STATUSES, then=Value(1)),
            default=Value(2), output_field=IntegerField()))
        .order_by("homepage_rank", "-submitted_at", "-pk")[:limit])


def applications_for_export(user) -> QuerySet[DisclosureApplication]:
    """The applications ``user`` made while signed in, with what the applicant may see of each
    (the visible steps, the response and its attachments) fetched up front."""
    return (DisclosureApplication.objects.filter(user=user)
            .select_related("body", "applicant", "response", "transferred_from")
            .prefetch_related(
                Prefetch("events", to_attr="applicant_events",
                         queryset=ApplicationEvent.objects.filter(visible_to_applicant=True)
                         .order_by("occurred_at", "pk")),
                Prefetch("response__attachments", queryset=ResponseAttachment.objects.all()))
            .order_by("submitted_at", "pk"))


def _moment(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def application_export(application: DisclosureApplication) -> dict[str, object]:
    """One application as its applicant may see it (their own details, the request, the
    visible steps and the response; never staff notes), from ``applications_for_export``."""
    details = getattr(application, "applicant", None)
    response = getattr(application, "response", None)
    return {
        "申请编号": application.number,
        "受理机关": application.body.name,
        "申请方式": str(application.get_channel_display()),
        "申请人类型": str(application.get_applicant_kind_display()),
        "申请人信息": {
            "姓名或名称": details.name if details else "",
            "证件类型": str(details.get_identity_document_kind_display()) if details else "",
            "证件号码": details.identity_document_number if details else "",
            "法定代表人或负责人": details.legal_representative if details else "",
            "联系人": details.contact_person if details else "",
            "联系电话": details.phone if details else "",
            "电子邮箱": details.email if details else "",
            "通信地址": details.address if details else "",
            "邮政编码": details.postcode if details else "",
        },
        "所需信息名称": application.information_title,
        "所需信息文号": application.information_document_number,
        "所需信息的内容描述": application.information_description,
        "信息的提供形式": str(application.get_wanted_form_display()),
        "获取信息的方式": str(application.get_delivery_method_display()),
        "提交时间": _moment(application.submitted_at),
        "收到申请日期": _day(application.received_on),
        "状态": str(application.get_status_display()),
        "答复期限": _day(application.due_on),
        "补正期限": _day(application.correction_due_on),
        "信息处理费（元）": str(application.fee_amount) if application.fee_amount else None,
        "缴费期限": _day(application.fee_due_on),
        "办结日期": _day(application.closed_on),
        "转自申请": application.transferred_from.number if application.transferred_from else "",
        "办理过程": [{"时间": _moment(event.occurred_at), "事项": str(event.get_kind_display()),
                  "说明": event.public_note} for event in application.applicant_events],
        "答复": ({"答复类型": str(response.get_kind_display()), "答复书正文": response.letter_text,
                "答复日期": _day(response.responded_on),
                "附件": [item.title for item in response.attachments.all()]}
               if response else None),
    }
