"""网上办事 of the demo citizens (accounts demo): 张伟 (``zhangwei``, real-name, administrator
of the demo enterprise) has two open applications (one waiting for his 补正), one decided and
delivered application waiting for his rating, an upcoming booking, three pinned services, two
followed themes and a started life-event guide; 李娜 (``lina``) has one application made for
the enterprise she is a member of.

Everything goes through the actions, as the public pages would do it. Idempotent: each
application and the booking carry a fixed form token, pins and themes are set, not added.
When the accounts demo has not run (no demo citizens), the part is skipped with a message.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from chuangkou.accounts import queries as account_queries
from chuangkou.accounts.demo.citizens import demo_citizen

from .. import rules
from ..actions.applications import submit_application
from ..actions.bookings import BookerInput, book_slot
from ..actions.customisation import (
    pin_service,
    record_guide_progress,
    set_service_interests,
)
from ..choices import Audience, FormFieldKind, OnlineDepth, ThemeAudience
from ..exceptions import ServicesRuleViolation
from ..models import (
    Booking,
    BookingSlot,
    LifeEventGuide,
    ServiceApplication,
    ServiceItem,
    ServicePin,
    ServiceTheme,
)
from ..queries.applications import applicant_identity_level
from ..queries.guides import guide_structure
from .applications import (
    _STEPS,
    BINHU,
    DONGHU,
    EDUCATION,
    MINZHENG,
    PEOPLE,
    DemoApplication,
    _answers,
    _Context,
    _eligible_items,
    _handler,
    _pick,
    _uploads,
)

__all__ = ["CITIZEN_APPLICATIONS", "CITIZEN_MARK", "load_citizens_demo"]

CITIZEN_MARK = "demo-citizen-"
INTEREST_THEMES = ((ThemeAudience.PERSON, "jiaoyu"), (ThemeAudience.PERSON, "shengyu"))
STARTED_GUIDE = "huaiyun-shengyu"
PINS = 3


@dataclass(frozen=True)
class CitizenApplication:
    citizen: str
    spec: DemoApplication
    for_enterprise: bool = False

    @property
    def form_token(self) -> str:
        return f"{CITIZEN_MARK}{self.spec.key}"


CITIZEN_APPLICATIONS = (
    CitizenApplication("zhangwei", DemoApplication(
        "zhangwei-supplement", "张伟：待补正", PEOPLE["zhang"], (EDUCATION, MINZHENG, DONGHU),
        flow=("supplement",), prefer=("JYJ-GG-003",), answers={"student_name": "张子涵"})),
    CitizenApplication("zhangwei", DemoApplication(
        "zhangwei-accepted", "张伟：办理中", PEOPLE["zhang"], (DONGHU, BINHU, MINZHENG),
        flow=("accept",))),
    CitizenApplication("zhangwei", DemoApplication(
        "zhangwei-to-rate", "张伟：已送达，待评价", PEOPLE["zhang"], (BINHU, DONGHU, EDUCATION),
        flow=("accept", "steps", "approve", "deliver"))),
    CitizenApplication("lina", DemoApplication(
        "lina-enterprise", "李娜：为本单位申请", PEOPLE["li"], ()), for_enterprise=True),
)


def _enterprise_items(user) -> list[ServiceItem]:
    """Online items an enterprise applies for and this citizen's level allows."""
    have = applicant_identity_level(user)
    items = (ServiceItem.objects.filter(
        is_published=True, online_depth__gte=OnlineDepth.ONLINE_APPLICATION,
        audience__in=(Audience.ENTERPRISE, Audience.BOTH))
        .select_related("implementing_body").annotate(step_count=Count("steps"))
        .prefetch_related("form_fields", "materials", "steps").order_by("code"))
    return [item for item in items if rules.identity_satisfies(have, item.required_identity)]


def _application(entry: CitizenApplication, account, items: list[ServiceItem],
                 used: set[int], write: Callable[[str], None]) -> int:
    """Make (or move on) one citizen's demo application; returns 1 when it was made now."""
    user = account.user
    application = ServiceApplication.objects.filter(form_token=entry.form_token).first()
    made = 0
    if application is None:
        enterprise = None
        if entry.for_enterprise:
            enterprise = next(iter(account_queries.enterprises_of(account)), None)
            if enterprise is None:
                write(f"跳过“{entry.spec.label}”：该演示用户不是已核验法人的成员。")
                return 0
            candidates = [item for item in _enterprise_items(user) if item.pk not in used]
            item = candidates[0] if candidates else None
        else:
            item = _pick(entry.spec, items, used)
        if item is None or (entry.spec.flow and _handler(item.implementing_body) is None):
            write(f"跳过“{entry.spec.label}”：没有合适的网上申请事项。")
            return 0
        applicant = entry.spec.person.applicant()
        answers = _answers(item, entry.spec)
        if enterprise is not None:
            applicant = replace(applicant, kind=Audience.ENTERPRISE, resident_id="")
            answers.update({field.name: enterprise.credit_code for field in item.form_fields.all()
                            if field.kind == FormFieldKind.CREDIT_CODE})
        application, _code = submit_application(
            item=item, applicant=applicant, answers=answers,
            uploads=_uploads(item), user=user, form_token=entry.form_token,
            enterprise=enterprise)
        made = 1
    used.add(application.item_id)
    handler = _handler(application.item.implementing_body)
    if handler is not None:
        context = _Context(application=application, handler=handler, spec=entry.spec)
        for step in entry.spec.flow:
            _STEPS[step](context)
    return made


def _booking(account, write: Callable[[str], None]) -> int:
    token = f"{CITIZEN_MARK}booking-zhangwei"
    if Booking.objects.filter(form_token=token).exists():
        return 0
    person = PEOPLE["zhang"]
    slots = (BookingSlot.objects.filter(resource__is_published=True, is_cancelled=False,
                                        starts_at__gt=timezone.now() + timedelta(days=2))
             .select_related("resource").order_by("starts_at", "pk"))
    for slot in slots[:20]:
        if slot.booked_count >= slot.capacity:
            continue
        try:
            book_slot(slot=slot, booker=BookerInput(name=person.name, phone=person.phone,
                                                     email=person.email),
                      user=account.user, form_token=token)
        except ServicesRuleViolation:
            continue
        return 1
    write("跳过张伟的预约：没有可预约的时段（预约演示数据未载入）。")
    return 0


def _customisation(account) -> None:
    user = account.user
    themes = [theme for audience, slug in INTEREST_THEMES
              for theme in ServiceTheme.objects.filter(audience=audience, slug=slug)]
    set_service_interests(user=user, themes=themes)
    if not ServicePin.objects.filter(user=user).exists():
        for item in (ServiceItem.objects.filter(is_published=True, themes__in=themes)
                     .distinct().order_by("sort_order", "code")[:PINS]):
            pin_service(user=user, item=item)
    guide = LifeEventGuide.objects.filter(slug=STARTED_GUIDE, is_published=True).first()
    if guide is not None:
        structure = guide_structure(guide)
        answers = {question.pk: question.options[0].pk
                   for question in structure.questions if question.options}
        record_guide_progress(user=user, guide=guide, answers=answers)


def load_citizens_demo(*, stdout=None) -> str:
    """Give the demo citizens their applications, booking and customisation."""
    write = stdout.write if stdout is not None else (lambda message: None)
    accounts = {key: demo_citizen(key) for key in ("zhangwei", "lina")}
    if not any(accounts.values()):
        message = "跳过公众账号的网上办事演示数据：公众账号演示数据尚未载入。"
        write(message)
        return message
    items = _eligible_items()
    used = set(ServiceApplication.objects.filter(form_token__startswith=CITIZEN_MARK)
               .values_list("item_id", flat=True))
    made = booked = 0
    for entry in CITIZEN_APPLICATIONS:
        account = accounts.get(entry.citizen)
        if account is None:
            continue
        try:
            with transaction.atomic():
                made += _application(entry, account, items, used, write)
        except ServicesRuleViolation as error:
            problems = "；".join(text for texts in error.errors.values() for text in texts)
            write(f"跳过“{entry.spec.label}”：{problems}")
    if (zhangwei := accounts.get("zhangwei")) is not None:
        with transaction.atomic():
            booked = _booking(zhangwei, write)
            _customisation(zhangwei)
    message = f"公众账号网上办事演示数据：新建办件 {made} 件，新建预约 {booked} 条，已设置收藏和关注主题。"
    write(message)
    return message
