"""预约服务 demo, after Xicheng's street offices: training courses at the 东湖街道 street office
(smartphone use for older residents, computer basics, domestic-service skills), a community
service at the 滨湖社区 residents' committee and appointments at the city's service hall,
with slots on the working days of the next two weeks and a few bookings, one slot full.

Everything goes through the actions. Idempotent: resources are keyed on (body, name), slots on
(resource, start) and bookings on their form token; a missing body is skipped with a message.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from chuangkou.core.calendar import working_calendar
from chuangkou.organizations.choices import Role
from chuangkou.organizations.models import Body, Membership

from ..actions.bookings import (
    BookerInput,
    add_booking_slot,
    book_slot,
    save_bookable_resource,
)
from ..choices import BookableResourceKind
from ..exceptions import BookingRefused
from ..models import BookableResource, BookingSlot, ServiceItem

__all__ = ["load_bookings_demo"]

DAYS_AHEAD = 14


@dataclass(frozen=True)
class ResourceSpec:
    body_slug: str
    name: str
    kind: str
    place: str
    description: str
    times: tuple[tuple[time, time], ...]
    capacity: int
    every_other_day: bool = False
    requires_account: bool = False
    cancel_hours_before: int = 2
    link_city_item: bool = False


RESOURCES = (
    ResourceSpec(
        "dongcheng-donghu", "老年人智能手机使用培训", BookableResourceKind.TRAINING_COURSE,
        "东湖街道社区服务中心三楼培训室",
        "小班教学，每期3人，手把手教老年人使用健康码、网上挂号、视频通话和防范电信诈骗。"
        "请带上自己的智能手机。",
        ((time(9, 30), time(11, 0)),), 3, every_other_day=True),
    ResourceSpec(
        "dongcheng-donghu", "计算机基础培训", BookableResourceKind.TRAINING_COURSE,
        "东湖街道社区服务中心二楼电脑室",
        "面向辖区居民和求职人员：电脑基本操作、文字处理、电子表格和网上办事。",
        ((time(14, 0), time(16, 30)),), 20, every_other_day=True),
    ResourceSpec(
        "dongcheng-donghu", "家政服务技能培训", BookableResourceKind.TRAINING_COURSE,
        "东湖街道社区服务中心一楼多功能厅",
        "育婴、养老护理和保洁技能培训，结业后可参加职业技能等级认定。",
        ((time(9, 0), time(12, 0)),), 15, cancel_hours_before=24),
    ResourceSpec(
        "dongcheng-donghu-binhu", "社区助老上门理发预约", BookableResourceKind.COMMUNITY_SERVICE,
        "滨湖社区党群服务中心（可上门）",
        "为辖区80岁以上老人和行动不便的居民提供上门理发，每个时段4个名额。",
        ((time(9, 0), time(10, 30)),), 4),
    ResourceSpec(
        "city", "政务服务大厅综合窗口预约", BookableResourceKind.HALL_APPOINTMENT,
        "示例市政务服务中心一楼综合窗口",
        "预约后按时段到综合窗口办理，凭预约编号优先取号。",
        ((time(9, 0), time(10, 0)), (time(10, 0), time(11, 0)), (time(14, 0), time(15, 0))),
        10, link_city_item=True),
)

# (resource name, which slot of it, booker name, mobile)
BOOKINGS = (
    ("老年人智能手机使用培训", 0, "王秀英", "13900001001"),
    ("老年人智能手机使用培训", 0, "李建国", "13900001002"),
    ("老年人智能手机使用培训", 0, "张桂兰", "13900001003"),  # the slot is now full
    ("计算机基础培训", 0, "刘志强", "13900001004"),
    ("计算机基础培训", 0, "陈淑珍", "13900001005"),
    ("社区助老上门理发预约", 0, "杨德福", "13900001006"),
    ("政务服务大厅综合窗口预约", 1, "赵敏", "13900001007"),
)


def _manager_of(body: Body, write):
    """An item manager of ``body`` (the demo accounts include one for every body with
    bookable resources), or None."""
    membership = (Membership.objects.filter(body=body, role=Role.SERVICE_ITEM_MANAGER,
                                            user__is_active=True)
                  .select_related("user").order_by("user__username").first())
    return membership.user if membership is not None else None


def _slot_days(spec: ResourceSpec, today):
    calendar = working_calendar()
    days = [today + timedelta(days=offset) for offset in range(1, DAYS_AHEAD + 1)]
    days = [day for day in days if calendar.is_working_day(day)]
    return days[::2] if spec.every_other_day else days


def _ensure_resource(spec: ResourceSpec, body: Body, manager) -> BookableResource:
    resource = BookableResource.objects.filter(body=body, name=spec.name).first()
    if resource is not None:
        return resource
    item = None
    if spec.link_city_item:
        item = (ServiceItem.objects.filter(implementing_body=body, is_published=True)
                .order_by("code").first())
    return save_bookable_resource(
        actor=manager, name=spec.name, kind=spec.kind, body=body, item=item, place=spec.place,
        description=spec.description, requires_account=spec.requires_account,
        cancel_hours_before=spec.cancel_hours_before, is_published=True)


def _ensure_slots(spec: ResourceSpec, resource: BookableResource, manager) -> int:
    zone = timezone.get_current_timezone()
    added = 0
    for day in _slot_days(spec, timezone.localdate()):
        for start, end in spec.times:
            starts_at = datetime.combine(day, start, tzinfo=zone)
            if BookingSlot.objects.filter(resource=resource, starts_at=starts_at).exists():
                continue
            add_booking_slot(actor=manager, resource=resource, starts_at=starts_at,
                             ends_at=datetime.combine(day, end, tzinfo=zone),
                             capacity=spec.capacity)
            added += 1
    return added


def load_bookings_demo(*, stdout=None) -> str:
    """Resources, two weeks of slots and a few bookings; returns a one-line summary."""
    write = stdout.write if stdout is not None else (lambda message: None)
    resources: dict[str, BookableResource] = {}
    created_slots = booked = 0
    with transaction.atomic():
        for spec in RESOURCES:
            body = Body.objects.filter(slug=spec.body_slug).first()
            if body is None:
                write(f"跳过“{spec.name}”：单位 {spec.body_slug} 不存在。")
                continue
            manager = _manager_of(body, write)
            if manager is None:
                write(f"跳过“{spec.name}”：{body.name}没有事项管理员。")
                continue
            resource = _ensure_resource(spec, body, manager)
            created_slots += _ensure_slots(spec, resource, manager)
            resources[spec.name] = resource
    for name, index, person, phone in BOOKINGS:
        resource = resources.get(name)
        if resource is None:
            continue
        slots = list(BookingSlot.objects.filter(resource=resource, is_cancelled=False,
                                                starts_at__gt=timezone.now())
                     .order_by("starts_at")[:index + 1])
        if len(slots) <= index:
            continue
        slot = slots[index]
        token = f"demo-booking-{slot.pk}-{phone}"
        try:
            _booking, code = book_slot(slot=slot, booker=BookerInput(name=person, phone=phone),
                                       form_token=token)
        except BookingRefused as refused:
            write(f"未能预约“{name}”：{refused.errors}")
            continue
        booked += code is not None
    summary = (f"预约资源 {len(resources)} 个，新增时段 {created_slots} 个，"
               f"新增预约 {booked} 条。")
    write(summary)
    return summary
