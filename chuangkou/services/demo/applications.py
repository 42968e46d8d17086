"""办件 demo: about a dozen applications of 示例市's residents, each in a different state, made
through the applications actions exactly as the public form and the handlers would.

Items are picked at run time from the published online items (网办深度 three or four) that an
applicant without an account may apply for, by the body that implements them (the demo
catalogue is another part's data): the bodies with a service handler (办件人员) in the demo are
the city government, the education bureau, the district civil affairs bureau, the 东湖 street
office and the 滨湖 community. A state whose item cannot be found is skipped with a message.

The states: submitted (待受理), supplement requested (待补正), in progress (just accepted, and
with its first step done), approved with a fee waiting to be paid, delivered (several, one
after its fee was paid, so the 好差评 demo has decided applications to rate), denied, refused,
withdrawn, and one handed in on a resident's behalf (代办) at the community for the civil
affairs bureau and passed on once, so that it waits at the street office.

No overdue application: the decision clock only starts the day an application is accepted,
and the actions date everything today, so one cannot honestly be late without moving the
clock; the demo says so instead of faking a date.

Idempotent: each demo application has a fixed form token (``submit_application`` returns the
application already made with it), and each step is taken only while the application is still
behind it.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from chuangkou.core.validators import resident_id_check_character
from chuangkou.organizations.choices import BodyKind, Role
from chuangkou.organizations.models import Body, Membership

from .. import rules
from ..actions.applications import (
    ApplicantInput,
    accept_application,
    complete_application_step,
    confirm_payment,
    decide_application,
    deliver_result,
    pass_on_application,
    refuse_application,
    request_payment,
    request_supplement,
    submit_application,
    withdraw_application,
)
from ..choices import (
    ApplicationEventKind,
    ApplicationStatus,
    Audience,
    DeliveryMethod,
    FormFieldKind,
    OnlineDepth,
    PaymentStatus,
)
from ..exceptions import ServicesRuleViolation
from ..models import OnlineFormField, Payment, ServiceApplication, ServiceItem
from ..queries.access import may_handle_at
from ..queries.applications import applicant_identity_level

__all__ = ["DEMO_APPLICATIONS", "DemoApplication", "load_applications_demo"]

DEMO_MARK = "demo-application-"
# A minimal well-formed PDF: enough for the upload sniffing, small enough for any limit.
PDF_BYTES = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
             b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
             b"trailer<</Root 1 0 R>>\n%%EOF\n")
# Region code of the resident IDs: 浙江省杭州市上城区 (GB/T 2260), where 示例市's codes point.
ID_REGION = "330102"
DEFAULT_FEE = Decimal("20.00")
COMMUNITY_SLUG = "dongcheng-donghu-binhu"
PROXY_TARGET_SLUG = "dongcheng-minzheng"


def resident_id(born: date, sequence: int) -> str:
    """A well-formed 公民身份号码 (GB 11643-1999): region, birth date, a sequence number (odd
    for men, even for women) and the check character."""
    first = f"{ID_REGION}{born:%Y%m%d}{sequence:03d}"
    return first + resident_id_check_character(first)


@dataclass(frozen=True)
class Person:
    name: str
    born: date
    sequence: int
    phone: str
    email: str
    address: str

    def applicant(self) -> ApplicantInput:
        return ApplicantInput(name=self.name, phone=self.phone, email=self.email,
                              address=self.address,
                              resident_id=resident_id(self.born, self.sequence),
                              kind=Audience.PERSON)


@dataclass(frozen=True)
class DemoApplication:
    """One demo application: who applies, where (body slugs, in order of preference; among
    their items the ``prefer`` codes first, when they exist and fit), the state it is taken
    to and the answers that differ from ``COMMON_ANSWERS``."""

    key: str
    label: str
    person: Person
    bodies: tuple[str, ...]
    flow: tuple[str, ...] = ()
    prefer: tuple[str, ...] = ()
    charges_fee: bool = False
    proxy: bool = False
    answers: dict = field(default_factory=dict)

    @property
    def form_token(self) -> str:
        return f"{DEMO_MARK}{self.key}"

    @property
    def needs_handler(self) -> bool:
        return bool(self.flow) and not self.proxy


def _person(name, born, sequence, phone, email, address) -> Person:
    return Person(name, born, sequence, phone, f"{email}@example.com", address)


PEOPLE = {
    "wang": _person("王秀英", date(1958, 3, 12), 42, "13857102345", "wang.xiuying",
                    "示例市东城区东湖路126号3幢2单元501室"),
    "zhang": _person("张伟", date(1985, 7, 21), 17, "13905716688", "zhang.wei85",
                     "示例市东城区府前街18号2幢302室"),
    "liu": _person("刘洋", date(1990, 11, 2), 35, "15068123456", "liu.yang",
                   "示例市西城区文澜路77号5幢1101室"),
    "chen": _person("陈静", date(1988, 5, 16), 28, "18757190321", "chen.jing",
                    "示例市东城区滨湖路35号1幢602室"),
    "li": _person("李娜", date(1979, 9, 30), 64, "13588012776", "li.na79",
                  "示例市东城区东湖新村12幢401室"),
    "zhao": _person("赵强", date(1972, 1, 8), 51, "15157163092", "zhao.qiang",
                    "示例市东城区东湖路88弄6号"),
    "sun": _person("孙丽华", date(1963, 12, 25), 86, "13656678120", "sun.lihua",
                   "示例市东城区滨湖路21号4幢203室"),
    "zhou": _person("周建国", date(1949, 10, 1), 13, "13067891234", "zhou.jianguo",
                    "示例市东城区东湖路200号1幢101室"),
    "wu": _person("吴婷", date(1995, 4, 18), 22, "18267150098", "wu.ting",
                  "示例市东城区府前街56号3幢702室"),
    "zheng": _person("郑志明", date(1968, 6, 6), 39, "15990087766", "zheng.zhiming",
                     "示例市东城区滨湖花园9幢1502室"),
    "huang": _person("黄玉兰", date(1941, 2, 14), 48, "13819045567", "huang.yulan",
                     "示例市东城区滨湖路21号2幢101室"),
    "ma": _person("马俊", date(1982, 8, 8), 75, "18606512345", "ma.jun",
                  "示例市东城区东湖路126号1幢303室"),
    "lin": _person("林晓燕", date(1987, 10, 10), 26, "13777801234", "lin.xiaoyan",
                   "示例市东城区人民大道300号7幢905室"),
    "he": _person("何国平", date(1955, 5, 5), 91, "15888886621", "he.guoping",
                  "示例市东城区东湖新村3幢502室"),
}

EDUCATION, MINZHENG, DONGHU, BINHU, CITY = (
    "education", "dongcheng-minzheng", "dongcheng-donghu", COMMUNITY_SLUG, "city")

# Flow steps (see ``_STEPS``): accept, step (the first one), steps (all), approve, deny,
# payment (request), pay (confirm), deliver, supplement, refuse, withdraw, pass_on.
DEMO_APPLICATIONS = (
    DemoApplication("submitted-transfer", "待受理", PEOPLE["zhang"], (EDUCATION, CITY),
                    prefer=("JYJ-GG-003",), answers={"student_name": "张子涵"}),
    DemoApplication("submitted-residence", "待受理", PEOPLE["chen"], (BINHU, DONGHU),
                    prefer=("BHSQ-GG-001",)),
    DemoApplication("supplement", "待补正", PEOPLE["li"], (MINZHENG, DONGHU),
                    flow=("supplement",), prefer=("DCMZ-JF-007",)),
    DemoApplication("accepted", "办理中（已受理）", PEOPLE["zhao"], (MINZHENG, EDUCATION),
                    flow=("accept",), prefer=("DCMZ-JF-006",)),
    DemoApplication("in-progress-step", "办理中（已完成一个环节）", PEOPLE["liu"],
                    (EDUCATION, MINZHENG), flow=("accept", "step"),
                    prefer=("JYJ-JF-004",), answers={"student_name": "刘思琪"}),
    DemoApplication("approved-fee", "办结（准予），待缴费", PEOPLE["ma"], (DONGHU,),
                    flow=("accept", "steps", "approve", "payment"), charges_fee=True,
                    prefer=("DHJD-GG-005",)),
    DemoApplication("delivered-fee", "已缴费、结果已送达", PEOPLE["lin"], (DONGHU,),
                    flow=("accept", "steps", "approve", "payment", "pay", "deliver"),
                    charges_fee=True, prefer=("DHJD-GG-005",),
                    answers={"residence": "示例市东城区人民大道300号7幢905室",
                             "employer": "示例市东城区人民医院"}),
    DemoApplication("delivered-pension", "结果已送达", PEOPLE["sun"], (DONGHU, BINHU),
                    flow=("accept", "steps", "approve", "deliver"), prefer=("DHJD-GG-010",)),
    DemoApplication("delivered-doctor", "结果已送达", PEOPLE["zhou"], (BINHU, DONGHU),
                    flow=("accept", "steps", "approve", "deliver"), prefer=("BHSQ-GG-002",)),
    DemoApplication("delivered-funeral", "结果已送达", PEOPLE["zheng"], (MINZHENG,),
                    flow=("accept", "steps", "approve", "deliver"), prefer=("DCMZ-JF-017",)),
    DemoApplication("delivered-education", "结果已送达", PEOPLE["wu"], (EDUCATION, CITY),
                    flow=("accept", "steps", "approve", "deliver"),
                    prefer=("JYJ-QT-014",), answers={"student_name": "吴梓萱"}),
    DemoApplication("denied", "办结（不予）", PEOPLE["he"], (MINZHENG,),
                    flow=("accept", "step", "deny"), prefer=("DCMZ-JF-005",)),
    DemoApplication("refused", "不予受理", PEOPLE["wang"], (DONGHU, MINZHENG),
                    flow=("refuse",), prefer=("DHJD-JF-009",)),
    DemoApplication("withdrawn", "已撤回", PEOPLE["chen"], (DONGHU, BINHU),
                    flow=("withdraw",), prefer=("DHJD-GG-007",)),
    DemoApplication("proxy", "代办，已由社区转报至街道", PEOPLE["huang"], (PROXY_TARGET_SLUG,),
                    flow=("pass_on",), proxy=True, prefer=("DCMZ-JF-019",)),
)

# Answers by form-field name; a field without one is filled by its kind.
COMMON_ANSWERS = {
    "student_name": "张子涵",
    "student_id": ("resident_id", date(2016, 4, 9), 21),
    "child_id": ("resident_id", date(2019, 8, 3), 32),
    "from_school": "示例市东城区实验小学",
    "to_school": "示例市西城区文澜小学",
    "reason": "因父母工作调动，全家已迁居西城区，申请转入居住地学校就读。",
    "school": "示例市第二中学",
    "family_type": "最低生活保障家庭",
    "members": 3,
    "income": Decimal("1200.00"),
    "event": "突发重大疾病",
    "amount": Decimal("5000.00"),
    "facts": "丈夫突发脑梗住院治疗，自付医疗费用约三万元，家庭暂无其他收入来源，生活陷入困难。",
    "disability_card": "33010219680606393944",
    "subsidy": "困难残疾人生活补贴",
    "deceased": "郑德福",
    "deceased_id": ("resident_id", date(1938, 11, 20), 15),
    "relation": "子女",
    "care": "分散供养",
    "ability": "部分自理",
    "assessment": "中度失能",
    "service": ["助餐", "助洁"],
    "child_status": "伤残",
    "bank_account": "6217001234567890123",
    "child_name": "马可欣",
    "residence": "示例市东城区东湖路126号1幢303室",
    "employer": "示例市东湖物流有限公司",
    "last_employer": "示例市东城区华联超市有限公司",
    "agent": "周丽",
    "grade": "1000元",
    "insured_name": "马可欣",
    "insured_id": ("resident_id", date(2012, 6, 1), 44),
    "card_kind": "65周岁以上免费乘车证",
    "area": Decimal("38.50"),
    "hospital": "示例市第一人民医院",
    "expense": Decimal("18600.00"),
    "address": "示例市东城区滨湖路35号1幢602室",
    "priority": "老年人",
    "meal": "送餐上门",
    "diet": "低盐低糖",
    "certificate_no": "20113301042000123",
    "training_hours": 360,
    "kind": "结婚证",
    "register_year": 2009,
    "operator": "示例市阳光国际旅行社有限公司",
    "matter": "劳动争议",
    "opponent": "示例市东城区某餐饮管理有限公司",
    "child_order": "第二个子女",
}
# Dates relative to today, by field name (days; negative in the past).
DATE_OFFSETS = {"expected_date": 150, "start_date": 14, "end_date": 44, "date": 10,
                "move_in": -90, "leave_date": -20, "travel_date": -30, "grant_date": -200,
                "accident_date": -45}
DEFAULT_DATE_OFFSET = -60

SUPPLEMENT_NOTICE = ("经审查，申请材料不齐全，请一次性补正以下材料：%(materials)s。"
                     "请上传原件的清晰扫描件（四角完整、文字清楚），补正后重新计算受理期限。")
REFUSAL_REASON = ("经核查，申请人户籍和居住地均不在本辖区，不属于本机关受理范围，"
                  "请向户籍所在地的街道（乡镇）或民政部门申请。")
DENIAL_NOTE = ("经入户调查和家庭经济状况核对，申请人家庭月人均收入高于本市规定标准，"
               "不符合条件。如有异议，可自收到决定之日起六十日内申请行政复议。")
APPROVAL_NOTE = "材料齐全，符合法定条件，准予办理。"
ACCEPT_NOTE = "材料齐全，符合法定形式，予以受理。"
STEP_NOTE = "已核对申请材料原件与电子件一致。"
FORWARD_NOTE = "社区已入户核实申请人情况，材料齐全，转报街道。"
WITHDRAW_REASON = "已重新找到工作，不再需要办理。"
DELIVERY_NOTE = "办理结果已按申请人选择的方式送达。"


# --- Picking items ---------------------------------------------------------------------------


def _handler(body: Body):
    """A service handler (办件人员) of ``body``, or None."""
    memberships = (Membership.objects.filter(body=body, role=Role.SERVICE_HANDLER,
                                             user__is_active=True)
                   .select_related("user").order_by("user__username"))
    return next((membership.user for membership in memberships
                 if may_handle_at(membership.user, body)), None)


def _eligible_items():
    """Published online items an anonymous person may apply for, with their form and
    materials fetched."""
    anonymous = applicant_identity_level(None)
    items = (ServiceItem.objects.filter(
        is_published=True, online_depth__gte=OnlineDepth.ONLINE_APPLICATION,
        audience__in=(Audience.PERSON, Audience.BOTH))
        .select_related("implementing_body").annotate(step_count=Count("steps"))
        .prefetch_related("form_fields", "materials", "steps").order_by("code"))
    return [item for item in items
            if rules.identity_satisfies(anonymous, item.required_identity)]


def _pick(spec: DemoApplication, items: list[ServiceItem], used: set[int]) -> ServiceItem | None:
    """The first item (by code) of the spec's bodies, in their order, that fits the flow;
    an item not yet used by another demo application first."""
    fitting = []
    for slug in spec.bodies:
        for item in items:
            if item.implementing_body.slug != slug:
                continue
            if spec.charges_fee and not item.charges_fee:
                continue
            if spec.proxy and not item.accepts_proxy:
                continue
            if {"step", "steps"} & set(spec.flow) and not item.step_count:
                continue
            fitting.append(item)
    # Stable sort: the preferred codes first, the rest in body and code order.
    fitting.sort(key=lambda item: item.code not in spec.prefer)
    fresh = [item for item in fitting if item.pk not in used]
    return (fresh or fitting or [None])[0]


def _community_with_handler() -> tuple[Body | None, object]:
    """The community the proxy demo is handed in at (滨湖社区, else any community) and its
    handler."""
    candidates = [*Body.objects.filter(slug=COMMUNITY_SLUG),
                  *Body.objects.filter(kind=BodyKind.COMMUNITY).exclude(slug=COMMUNITY_SLUG)
                  .order_by("path")]
    for body in candidates:
        if (handler := _handler(body)) is not None:
            return body, handler
    return None, None


# --- Answers and uploads ---------------------------------------------------------------------


def _fit_text(value: str, form_field: OnlineFormField) -> str:
    return value[:form_field.max_length] if form_field.max_length else value


def _in_range(value, form_field: OnlineFormField):
    if form_field.min_value is not None and value < form_field.min_value:
        value = type(value)(form_field.min_value)
    if form_field.max_value is not None and value > form_field.max_value:
        value = type(value)(form_field.max_value)
    return value


def _answer(form_field: OnlineFormField, answers: dict, person: Person):
    """A value for one field of the online form, as the public form would post it."""
    kind = form_field.kind
    value = answers.get(form_field.name)
    if isinstance(value, tuple) and value and value[0] == "resident_id":
        value = resident_id(value[1], value[2])
    today = timezone.localdate()
    if kind in (FormFieldKind.TEXT, FormFieldKind.TEXTAREA):
        return _fit_text(str(value or f"{form_field.label}：详见所附申请材料"), form_field)
    if kind == FormFieldKind.INTEGER:
        return str(_in_range(int(value) if isinstance(value, int) else 1, form_field))
    if kind == FormFieldKind.DECIMAL:
        return str(_in_range(Decimal(value) if isinstance(value, Decimal) else Decimal("100.00"),
                             form_field))
    if kind == FormFieldKind.DATE:
        offset = DATE_OFFSETS.get(form_field.name, DEFAULT_DATE_OFFSET)
        return (today + timedelta(days=offset)).isoformat()
    if kind == FormFieldKind.EMAIL:
        return person.email
    if kind == FormFieldKind.PHONE:
        return person.phone
    if kind == FormFieldKind.RESIDENT_ID:
        return value if isinstance(value, str) else resident_id(person.born, person.sequence)
    if kind == FormFieldKind.CREDIT_CODE:
        return str(value or "")
    if kind == FormFieldKind.CHOICE:
        options = form_field.choice_list
        return value if value in options else (options[0] if options else "")
    if kind == FormFieldKind.MULTIPLE_CHOICE:
        options = form_field.choice_list
        chosen = [option for option in (value or ()) if option in options]
        return chosen or options[:1]
    if kind == FormFieldKind.CHECKBOX:
        return True
    return str(value or "")


def _answers(item: ServiceItem, spec: DemoApplication) -> dict:
    answers = {**COMMON_ANSWERS, **spec.answers}
    return {form_field.name: _answer(form_field, answers, spec.person)
            for form_field in item.form_fields.all()}


def _uploads(item: ServiceItem) -> dict[int, list[SimpleUploadedFile]]:
    """One small PDF per material the online application must upload."""
    return {material.pk: [SimpleUploadedFile(f"{material.name}.pdf", PDF_BYTES,
                                             content_type="application/pdf")]
            for material in item.materials.all() if material.upload_required}


# --- Moving an application on ----------------------------------------------------------------


@dataclass
class _Context:
    application: ServiceApplication
    handler: object
    spec: DemoApplication

    def reload(self) -> ServiceApplication:
        self.application.refresh_from_db()
        return self.application


def _completed_steps(application: ServiceApplication) -> set[int]:
    return set(application.events.filter(kind=ApplicationEventKind.STEP_COMPLETED)
               .values_list("step_id", flat=True))


def _accept(context: _Context) -> int:
    application = context.reload()
    if application.status != ApplicationStatus.SUBMITTED:
        return 0
    accept_application(application=application, actor=context.handler, note=ACCEPT_NOTE)
    return 1


def _steps(context: _Context, *, only_first: bool) -> int:
    application = context.reload()
    if application.status != ApplicationStatus.IN_PROGRESS:
        return 0
    done = _completed_steps(application)
    if only_first and done:
        return 0
    taken = 0
    for step in application.item.steps.order_by("sort_order", "pk"):
        if step.pk in done:
            continue
        complete_application_step(application=application, actor=context.handler, step=step,
                                  note=STEP_NOTE)
        taken += 1
        if only_first:
            break
    return taken


def _decide(context: _Context, *, approve: bool) -> int:
    application = context.reload()
    if application.status != ApplicationStatus.IN_PROGRESS:
        return 0
    decide_application(application=application, actor=context.handler, approve=approve,
                       note=APPROVAL_NOTE if approve else DENIAL_NOTE)
    return 1


def _fee(item: ServiceItem) -> Decimal:
    """The first amount in yuan the item's 收费标准 names."""
    found = re.search(r"(\d+(?:\.\d{1,2})?)\s*元", item.fee_standard or "")
    return Decimal(found.group(1)) if found else DEFAULT_FEE


def _request_payment(context: _Context) -> int:
    application = context.reload()
    if (application.status != ApplicationStatus.APPROVED
            or Payment.objects.filter(application=application).exists()):
        return 0
    request_payment(application=application, actor=context.handler,
                    amount=_fee(application.item))
    return 1


def _confirm_payment(context: _Context) -> int:
    application = context.reload()
    payment = Payment.objects.filter(application=application,
                                     status=PaymentStatus.PENDING).first()
    if payment is None:
        return 0
    confirm_payment(payment=payment, actor=context.handler,
                    reference=f"FS{application.year}{application.sequence:07d}")
    return 1


def _deliver(context: _Context) -> int:
    application = context.reload()
    if (application.status not in (ApplicationStatus.APPROVED, ApplicationStatus.DENIED)
            or Payment.objects.filter(application=application,
                                      status=PaymentStatus.PENDING).exists()):
        return 0
    methods = [value for value in (application.item.delivery_methods or [])
               if value in DeliveryMethod.values] or [DeliveryMethod.ONLINE]
    deliver_result(application=application, actor=context.handler, method=methods[0],
                   note=DELIVERY_NOTE)
    return 1


def _supplement(context: _Context) -> int:
    application = context.reload()
    if (application.status != ApplicationStatus.SUBMITTED
            or application.supplement_requested_on is not None):
        return 0
    names = [material.name for material in application.item.materials.order_by(
        "sort_order", "pk")] or [application.item.name + "申请材料"]
    wanted = "、".join(f"“{name}”" for name in names[:2])
    request_supplement(application=application, actor=context.handler,
                       notice=SUPPLEMENT_NOTICE % {"materials": wanted})
    return 1


def _refuse(context: _Context) -> int:
    application = context.reload()
    if application.status != ApplicationStatus.SUBMITTED:
        return 0
    refuse_application(application=application, actor=context.handler, reason=REFUSAL_REASON)
    return 1


def _withdraw(context: _Context) -> int:
    application = context.reload()
    if application.status != ApplicationStatus.SUBMITTED:
        return 0
    withdraw_application(application=application, reason=WITHDRAW_REASON)
    return 1


def _pass_on(context: _Context) -> int:
    application = context.reload()
    if (application.status != ApplicationStatus.SUBMITTED
            or application.current_body_id != application.submitting_body_id):
        return 0
    pass_on_application(application=application, actor=context.handler, note=FORWARD_NOTE)
    return 1


_STEPS: dict[str, Callable[[_Context], int]] = {
    "accept": _accept,
    "step": lambda context: _steps(context, only_first=True),
    "steps": lambda context: _steps(context, only_first=False),
    "approve": lambda context: _decide(context, approve=True),
    "deny": lambda context: _decide(context, approve=False),
    "payment": _request_payment,
    "pay": _confirm_payment,
    "deliver": _deliver,
    "supplement": _supplement,
    "refuse": _refuse,
    "withdraw": _withdraw,
    "pass_on": _pass_on,
}


# --- The loader ------------------------------------------------------------------------------


@dataclass
class _Tally:
    created: int = 0
    advanced: int = 0
    existing: int = 0
    skipped: list[str] = field(default_factory=list)


def _make_one(spec: DemoApplication, items: list[ServiceItem], used: set[int], tally: _Tally,
              write: Callable[[str], None]) -> None:
    application = ServiceApplication.objects.filter(form_token=spec.form_token).select_related(
        "item", "item__implementing_body", "submitting_body").first()
    proxy_body = proxy_handler = None
    if spec.proxy and application is not None:
        proxy_handler = _handler(application.submitting_body)
    elif spec.proxy:
        proxy_body, proxy_handler = _community_with_handler()
        if proxy_body is None:
            tally.skipped.append(spec.label)
            write(f"跳过“{spec.label}”示例：没有配有办件人员的社区。")
            return
    if application is None:
        item = _pick(spec, items, used)
        if item is not None and spec.needs_handler and _handler(item.implementing_body) is None:
            item = None
        if item is None:
            tally.skipped.append(spec.label)
            write(f"跳过“{spec.label}”示例：{'、'.join(spec.bodies)} 没有合适的网上申请事项"
                  f"（须公开、网办深度三级以上、无需登录{'、收费' if spec.charges_fee else ''}"
                  f"{'、可代办' if spec.proxy else ''}，且实施机关有办件人员）。")
            return
        application, code = submit_application(
            item=item, applicant=spec.person.applicant(), answers=_answers(item, spec),
            uploads=_uploads(item), form_token=spec.form_token,
            proxy_actor=proxy_handler if spec.proxy else None,
            proxy_body=proxy_body if spec.proxy else None)
        tally.created += code is not None
    else:
        tally.existing += 1
    used.add(application.item_id)
    handler = proxy_handler if spec.proxy else _handler(application.item.implementing_body)
    if handler is None and spec.flow:
        write(f"“{spec.label}”示例 {application.number} 停在“{application.get_status_display()}”："
              f"{application.item.implementing_body.name}没有办件人员。")
        return
    context = _Context(application=application, handler=handler, spec=spec)
    for step in spec.flow:
        tally.advanced += _STEPS[step](context)


def load_applications_demo(*, stdout=None) -> str:
    """Make (or complete) the demo applications; returns and prints a one-line summary."""
    write = stdout.write if stdout is not None else (lambda message: None)
    items = _eligible_items()
    used: set[int] = set()
    tally = _Tally()
    for spec in DEMO_APPLICATIONS:
        before = (tally.created, tally.advanced, tally.existing, set(used))
        try:
            with transaction.atomic():
                _make_one(spec, items, used, tally, write)
        except ServicesRuleViolation as error:
            # One demo application the data does not allow must not stop the others; what it
            # did is rolled back, so is its count.
            tally.created, tally.advanced, tally.existing, used = before
            tally.skipped.append(spec.label)
            problems = "；".join(message for messages in error.errors.values()
                                for message in messages)
            write(f"跳过“{spec.label}”示例：{problems}")
    tally.skipped.append("已超期")
    write("跳过“已超期”示例：办理时限自受理之日起算，演示数据在今天受理，"
          "不修改系统时间就无法如实产生超期办件。")
    counted = dict(ServiceApplication.objects.filter(form_token__startswith=DEMO_MARK)
                     .order_by().values_list("status").annotate(n=Count("pk"))
                     .values_list("status", "n"))
    by_status = {status: counted[status] for status in ApplicationStatus.values
                 if status in counted}
    states = "，".join(f"{ApplicationStatus(status).label} {count}"
                      for status, count in by_status.items())
    message = (f"办件演示数据：新建办件 {tally.created} 件，推进办理 {tally.advanced} 步，"
               f"已有 {tally.existing} 件；共 {sum(by_status.values())} 件（{states}）；"
               f"跳过：{'、'.join(tally.skipped)}。")
    write(message)
    return message
