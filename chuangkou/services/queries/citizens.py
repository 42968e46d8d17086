"""What 网上办事 holds about one citizen, for their homepage (我的主页) and for the download of
their data (个人信息查阅复制). A fixed number of queries, however many records there are."""

from django.db.models import Case, Exists, IntegerField, OuterRef, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangkou.accounts.homepage import HomepageItem, HomepageSection

from ..choices import (
    DECIDED_APPLICATION_STATUSES,
    OPEN_APPLICATION_STATUSES,
    ApplicationStatus,
    BookingStatus,
    PaymentStatus,
    RatingLevel,
)
from ..models import (
    Booking,
    GuideProgress,
    Payment,
    ServiceApplication,
    ServiceInterest,
    ServicePin,
    ServiceRating,
)
from .applications import applications_of_user
from .bookings import bookings_of_user
from .customisation import pinned_services, suggestions_for

__all__ = ["HOMEPAGE_ITEMS", "citizen_services_data", "homepage_sections",
           "next_application_deadline"]

HOMEPAGE_ITEMS = 10

SECTION_APPLICATIONS = "services.applications"
SECTION_BOOKINGS = "services.bookings"
SECTION_RATINGS = "services.ratings"
SECTION_PINS = "services.pins"
SECTION_SUGGESTIONS = "services.suggestions"


def next_application_deadline(application: ServiceApplication):
    """``(date, label)`` of the next deadline the handling body must meet, or ``(None, "")``:
    acceptance within five working days (行政许可法 第三十二条) while it waits to be
    accepted, the decision by its due day while in progress. Waiting for a supplement stops
    the clock, so there is none then."""
    if application.status == ApplicationStatus.SUBMITTED and application.acceptance_due_on:
        return application.acceptance_due_on, _("受理期限")
    if application.status == ApplicationStatus.IN_PROGRESS and application.due_on:
        return application.due_on, _("办结期限")
    return None, ""


def _my_applications(user):
    pending_fee = Payment.objects.filter(application=OuterRef("pk"), status=PaymentStatus.PENDING)
    return (applications_of_user(user)
            .annotate(has_pending_fee=Exists(pending_fee),
                      open_first=Case(When(status__in=OPEN_APPLICATION_STATUSES, then=Value(0)),
                                      default=Value(1), output_field=IntegerField()))
            .order_by("open_first", "-submitted_at", "-pk"))


def _application_title(application: ServiceApplication) -> str:
    if application.enterprise_id is not None:
        return _("%(item)s（%(enterprise)s）") % {"item": application.item.name,
                                                 "enterprise": application.enterprise.name}
    return application.item.name


def _application_item(application: ServiceApplication) -> HomepageItem:
    deadline, label = next_application_deadline(application)
    action = ""
    if application.status == ApplicationStatus.SUPPLEMENT_REQUESTED:
        action = _("补正材料")
    elif application.has_pending_fee:
        action = _("缴纳费用")
    return HomepageItem(
        title=_application_title(application),
        url=reverse("services:application", args=[application.number]),
        status=application.get_status_display(), number=application.number,
        next_deadline=deadline, deadline_label=label, needs_action=bool(action),
        action_label=action, updated_at=application.updated_at)


def _booking_item(booking: Booking) -> HomepageItem:
    slot = booking.slot
    start = timezone.localtime(slot.starts_at)
    return HomepageItem(
        title=_("%(resource)s（%(time)s，%(place)s）") % {
            "resource": slot.resource.name, "time": start.strftime("%Y-%m-%d %H:%M"),
            "place": slot.resource.place},
        url=reverse("services:booking", args=[booking.number]),
        status=booking.get_status_display(), number=booking.number,
        next_deadline=start.date(), deadline_label=_("预约日期"),
        action_label=_("查看或取消预约"), updated_at=booking.booked_at)


def _rating_item(application: ServiceApplication) -> HomepageItem:
    return HomepageItem(
        title=_application_title(application),
        url=reverse("services:application", args=[application.number]) + "#rating",
        status=application.get_status_display(), number=application.number,
        needs_action=True, action_label=_("评价（好差评）"), updated_at=application.updated_at)


def homepage_sections(user) -> list[HomepageSection]:
    """我的办件, 我的预约, 待评价, 我的收藏 and 为您推荐 of one citizen."""
    mine = reverse("services:mine")
    applications = list(_my_applications(user)[:HOMEPAGE_ITEMS])
    to_rate = list(applications_of_user(user)
                   .filter(status__in=DECIDED_APPLICATION_STATUSES, rating__isnull=True)
                   .order_by("-decided_at", "-pk")[:HOMEPAGE_ITEMS])
    bookings = list(bookings_of_user(user)
                    .filter(status=BookingStatus.BOOKED, slot__starts_at__gt=timezone.now(),
                            slot__is_cancelled=False)
                    .order_by("slot__starts_at", "pk")[:HOMEPAGE_ITEMS])
    pins = pinned_services(user)
    suggestions = suggestions_for(user, pinned_ids={pin.item_id for pin in pins})
    suggested = [HomepageItem(
        title=_("继续：%(guide)s") % {"guide": started.guide.title}, url=started.plan_url,
        note=_("还有%(n)d项未申请") % {"n": started.remaining_steps}
        if started.remaining_steps else _("已全部申请"), note_label=_("进度"),
        updated_at=started.progress.updated_at) for started in suggestions.started]
    suggested += [HomepageItem(
        title=suggestion.name, url=reverse("services:item", args=[suggestion.code]),
        note=(_("“%(guide)s”的下一步") % {"guide": suggestion.guide_title}
              if suggestion.guide_title else _("您关注的主题")), note_label=_("推荐理由"),
        number=suggestion.code)
        for suggestion in suggestions.items]
    return [
        HomepageSection(
            key=SECTION_APPLICATIONS, title=gettext_lazy("我的办件"), order=10,
            items=[_application_item(application) for application in applications],
            more_url=f"{mine}#applications",
            empty_text=gettext_lazy("您还没有网上申请的办件。")),
        HomepageSection(
            key=SECTION_BOOKINGS, title=gettext_lazy("我的预约"), order=20,
            items=[_booking_item(booking) for booking in bookings],
            more_url=reverse("services:bookings"),
            empty_text=gettext_lazy("您没有即将到来的预约。")),
        HomepageSection(
            key=SECTION_RATINGS, title=gettext_lazy("待评价"), order=30,
            items=[_rating_item(application) for application in to_rate],
            more_url=f"{mine}#applications",
            empty_text=gettext_lazy("没有待评价的办件。")),
        HomepageSection(
            key=SECTION_PINS, title=gettext_lazy("我的收藏"), order=40,
            items=[HomepageItem(title=pin.item.name,
                                url=reverse("services:item", args=[pin.item.code]),
                                note=pin.item.implementing_body.name,
                                note_label=_("实施主体"), number=pin.item.code)
                   for pin in pins],
            more_url=f"{mine}#pins",
            empty_text=gettext_lazy("您还没有收藏服务，可在办事指南页面点击“收藏”。")),
        HomepageSection(
            key=SECTION_SUGGESTIONS, title=gettext_lazy("为您推荐"), order=50,
            items=suggested, more_url=f"{mine}#suggestions",
            empty_text=gettext_lazy("选择您关注的办事主题，或使用场景式服务，即可获得推荐。")),
    ]


# --- Download of one's data ------------------------------------------------------------------


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _moment(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def citizen_services_data(user) -> dict[str, object]:
    """Everything 网上办事 holds about the citizen, JSON-able, keyed by section title: their
    own applications (with the details and answers they gave), bookings, ratings, pins,
    followed themes and started guides."""
    applications = list(
        ServiceApplication.objects.filter(user=user)
        .select_related("item", "item__implementing_body", "applicant", "enterprise")
        .order_by("submitted_at", "pk"))
    bookings = list(Booking.objects.filter(user=user)
                    .select_related("slot__resource", "booker").order_by("booked_at", "pk"))
    ratings = list(ServiceRating.objects.filter(application__user=user)
                   .select_related("application", "item").order_by("rated_at", "pk"))
    pins = list(ServicePin.objects.filter(user=user).select_related("item")
                .order_by("position", "pk"))
    interests = list(ServiceInterest.objects.filter(user=user).select_related("theme"))
    progress = list(GuideProgress.objects.filter(user=user).select_related("guide")
                    .prefetch_related("guide__questions__options").order_by("pk"))

    def applicant(application):
        details = getattr(application, "applicant", None)
        if details is None:
            return {}
        return {"姓名": details.name, "身份证号码": details.resident_id, "手机号码": details.phone,
                "电子邮箱": details.email, "联系地址": details.address,
                "单位名称": details.enterprise_name, "统一社会信用代码": details.credit_code}

    return {
        _("网上办事：办件"): [{
            "办件编号": application.number, "事项编码": application.item.code,
            "事项名称": application.item.name,
            "实施机关": application.item.implementing_body.name,
            "状态": application.get_status_display(),
            "法人": application.enterprise.name if application.enterprise_id else None,
            "提交时间": _moment(application.submitted_at),
            "受理日期": _date(application.accepted_on), "办结期限": _date(application.due_on),
            "办结日期": _date(application.decided_on),
            "送达时间": _moment(application.delivered_at),
            "申请人信息": applicant(application), "申请表内容": application.answers,
        } for application in applications],
        _("网上办事：预约"): [{
            "预约编号": booking.number, "预约项目": booking.slot.resource.name,
            "地点": booking.slot.resource.place, "时间": _moment(booking.slot.starts_at),
            "状态": booking.get_status_display(), "预约时间": _moment(booking.booked_at),
            "预约人": ({"姓名": booking.booker.name, "手机号码": booking.booker.phone,
                     "电子邮箱": booking.booker.email}
                    if getattr(booking, "booker", None) else {}),
        } for booking in bookings],
        _("网上办事：好差评"): [{
            "办件编号": rating.application.number, "事项名称": rating.item.name,
            "整体满意度": str(RatingLevel(rating.level).label), "评价内容": rating.comment,
            "评价时间": _moment(rating.rated_at),
        } for rating in ratings],
        _("网上办事：我的收藏"): [{"事项编码": pin.item.code, "事项名称": pin.item.name,
                             "排序": pin.position} for pin in pins],
        _("网上办事：关注的主题"): [{"主题": interest.theme.name,
                              "类别": interest.theme.get_audience_display()}
                             for interest in interests],
        _("网上办事：场景式服务"): [{"场景": entry.guide.title,
                              "回答": _guide_answers(entry), "更新时间": _moment(entry.updated_at)}
                             for entry in progress],
    }


def _guide_answers(progress: GuideProgress) -> dict[str, str]:
    questions = {question.pk: question for question in progress.guide.questions.all()}
    chosen = progress.chosen()
    options = {option.pk: option.label
               for question in questions.values() if question.pk in chosen
               for option in question.options.all()}
    return {questions[question].text: options.get(option, "")
            for question, option in chosen.items() if question in questions}
