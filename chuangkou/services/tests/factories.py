"""Shared test data of the services app: items with their guide lists, applications in a
given state, bookable slots. Rows are created directly so that each part's tests can run on
their own; the actions' own tests build through the actions."""

import itertools
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from chuangkou.core.query_codes import query_code_digest
from chuangkou.organizations.models import Body

from ..choices import (
    ApplicationStatus,
    Audience,
    BookableResourceKind,
    FormFieldKind,
    MaterialForm,
    OnlineDepth,
    ServiceItemKind,
)
from ..models import (
    ApplicantDetails,
    BookableResource,
    BookingSlot,
    OnlineFormField,
    ServiceApplication,
    ServiceItem,
    ServiceMaterial,
    ServiceStep,
)
from ..rules import application_number

_sequence = itertools.count(1)
QUERY_CODE = "ABCD2345"


def make_item(*, body: Body, code: str | None = None, name: str = "义务教育阶段转学申请",
              kind: str = ServiceItemKind.PUBLIC_SERVICE, audience: str = Audience.PERSON,
              online_depth: int = OnlineDepth.ONLINE_APPLICATION, promised_days: int = 5,
              legal_days: int | None = 20, published: bool = True, with_form: bool = True,
              **extra) -> ServiceItem:
    """An item with two materials (one to upload), three steps and, by default, a two-field
    online form."""
    number = next(_sequence)
    item = ServiceItem.objects.create(
        code=code or f"TEST{number:06d}", name=name, kind=kind, implementing_body=body,
        audience=audience, online_depth=online_depth, promised_time_limit_days=promised_days,
        legal_time_limit_days=legal_days, is_published=published,
        legal_basis="《中华人民共和国义务教育法》第十二条", acceptance_conditions="适龄儿童少年。",
        place="示例市政务服务中心一楼综合窗口", office_hours="工作日 9:00-17:00",
        consultation_phone="0571-12345678", complaint_phone="12345", **extra)
    ServiceMaterial.objects.create(item=item, name="居民身份证", form=MaterialForm.ORIGINAL,
                                   sort_order=1)
    ServiceMaterial.objects.create(item=item, name="转学申请表", form=MaterialForm.ELECTRONIC,
                                   upload_required=True, sort_order=2)
    for order, step in enumerate(("受理", "审查", "决定"), start=1):
        ServiceStep.objects.create(item=item, name=step, sort_order=order)
    if with_form:
        OnlineFormField.objects.create(item=item, name="student_name", label="学生姓名",
                                       kind=FormFieldKind.TEXT, max_length=20, sort_order=1)
        OnlineFormField.objects.create(item=item, name="grade", label="年级",
                                       kind=FormFieldKind.CHOICE, choices="一年级\n二年级\n三年级",
                                       sort_order=2)
    return item


def make_application(*, item: ServiceItem, status: str = ApplicationStatus.SUBMITTED,
                     user=None, body: Body | None = None, code: str = QUERY_CODE,
                     **extra) -> ServiceApplication:
    """An application as it would stand in ``status`` (dates filled in to match)."""
    sequence = next(_sequence)
    now = timezone.now()
    today = timezone.localdate()
    year = today.year + 1000  # apart from the numbers the actions hand out in the same test
    number = application_number(year, sequence)
    values = {
        "number": number, "year": year, "sequence": sequence,
        "query_code_digest": query_code_digest(number, code), "item": item, "user": user,
        "current_body": body or item.implementing_body, "status": status,
        "answers": {"student_name": "李小明", "grade": "二年级"},
        "submitted_at": now - timedelta(days=3), "submitted_on": today - timedelta(days=3),
        "acceptance_due_on": today + timedelta(days=2),
    }
    if status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.REFUSED,
                      ApplicationStatus.WITHDRAWN):
        values.update(accepted_on=today - timedelta(days=2),
                      promised_working_days=item.promised_time_limit_days,
                      due_on=today + timedelta(days=3))
    if status == ApplicationStatus.REFUSED:
        values["refusal_reason"] = "申请事项不属于本机关职权范围。"
    if status in (ApplicationStatus.APPROVED, ApplicationStatus.DENIED,
                  ApplicationStatus.DELIVERED):
        values.update(decided_at=now - timedelta(days=1), decided_on=today - timedelta(days=1),
                      decision_note="经审查，符合条件。")
    if status == ApplicationStatus.DELIVERED:
        values.update(delivered_at=now, delivery_method="online")
    values.update(extra)
    application = ServiceApplication.objects.create(**values)
    ApplicantDetails.objects.create(application=application, name="李建华",
                                    resident_id="11010519491231002X", phone="13912345678",
                                    email="li.jianhua@example.com")
    return application


def make_slot(*, body: Body, capacity: int = 3, starts_in_days: int = 7,
              kind: str = BookableResourceKind.TRAINING_COURSE,
              name: str = "老年人智能手机使用培训") -> BookingSlot:
    resource = BookableResource.objects.create(
        name=name, kind=kind, body=body, place="东湖街道社区服务中心三楼培训室",
        description="教老年人使用健康码、网上挂号和视频通话。", is_published=True)
    starts = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(
        days=starts_in_days)
    return BookingSlot.objects.create(resource=resource, starts_at=starts,
                                      ends_at=starts + timedelta(hours=2), capacity=capacity)


FEE = Decimal("20.00")
