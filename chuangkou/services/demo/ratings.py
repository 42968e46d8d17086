"""好差评 demo: ratings of the demo's decided applications, through the actions.

Runs after the applications demo (``load_services_demo`` calls the parts in order) and looks
up the decided applications at run time. The mix: mostly 满意 and 非常满意, one 基本满意 and
three 差评 — one rectified on time with its follow-up and rectification record, one still open,
and one removed on an upheld appeal. Idempotent: applications already rated are left as they
are, and each step after the rating is taken only if it has not been.
"""

from django.db import transaction

from chuangkou.organizations.choices import Role
from chuangkou.organizations.models import Body, Membership

from .. import actions
from ..actions.ratings import RatingInput
from ..choices import (
    DECIDED_APPLICATION_STATUSES,
    RectificationEntryKind,
    RectificationStatus,
)
from ..models import ServiceApplication, ServiceRating

__all__ = ["load_ratings_demo"]

# (整体满意度, 办事效率, 办事指南精确度, 办事便捷度, 平台操作性, comment, what follows)
PLAN = (
    (5, 5, 5, 5, 4, "网上申请很方便，一次都没跑。", None),
    (4, 4, 5, 4, 4, "", None),
    (5, 5, 4, 5, 5, "工作人员答复及时，点赞。", None),
    (3, 3, 3, 4, 3, "办事指南里材料清单不够清楚。", None),
    (1, 1, 2, 1, 2, "补正通知没有一次说清楚，来回跑了三趟。", "rectified"),
    (2, 2, 3, 2, 2, "审核时间比承诺的长。", "open"),
    (1, 1, 1, 1, 1, "不满意。", "appealed"),
    (4, 4, 4, 5, 4, "", None),
)


def _staff(body: Body, role: str, *, above: bool = False):
    bodies = [*body.get_ancestors(), body] if above else [body]
    membership = (Membership.objects.filter(body__in=bodies, role=role, user__is_active=True)
                  .select_related("user").order_by("-body__depth", "user__username").first())
    return membership.user if membership else None


def _rectify(rating: ServiceRating) -> None:
    case = getattr(rating, "rectification", None)
    if case is None or case.status != RectificationStatus.OPEN:
        return
    supervisor = _staff(rating.body, Role.SERVICE_SUPERVISOR, above=True)
    handler = _staff(rating.body, Role.SERVICE_HANDLER)
    if supervisor is None:
        return
    if handler is not None and case.handler_id is None:
        case = actions.assign_rectification_handler(case=case, actor=supervisor, handler=handler)
    recorder = handler if case.handler_id else supervisor
    kinds = set(case.entries.values_list("kind", flat=True))
    if RectificationEntryKind.FOLLOW_UP not in kinds:
        actions.record_rectification_entry(
            case=case, actor=recorder, kind=RectificationEntryKind.FOLLOW_UP,
            note="电话回访申请人，申请人反映补正告知内容分两次发出，已当面致歉。")
    if RectificationEntryKind.RECTIFICATION not in kinds:
        actions.record_rectification_entry(
            case=case, actor=recorder, kind=RectificationEntryKind.RECTIFICATION,
            note="修订补正告知模板，要求经办人对照材料清单一次性告知全部补正内容。")
    actions.close_rectification_case(
        case=case, actor=supervisor,
        conclusion="已回访申请人并致歉；补正告知改为一次性告知，经办人已培训。")


def _appeal(rating: ServiceRating) -> None:
    if rating.is_excluded or rating.appeals.exists():
        return
    handler = _staff(rating.body, Role.SERVICE_HANDLER)
    supervisor = _staff(rating.body, Role.SERVICE_SUPERVISOR, above=True)
    if handler is None or supervisor is None:
        return
    appeal = actions.submit_rating_appeal(
        rating=rating, actor=handler,
        reason="该办件申请人当日已撤回投诉，评价系他人代为误点，已有申请人书面说明。")
    actions.decide_rating_appeal(appeal=appeal, actor=supervisor, uphold=True,
                                 note="经核实，申请人书面说明属实，认定为误评，予以撤除。")


def load_ratings_demo(*, stdout=None) -> str:
    """Rate the demo's decided applications (see ``PLAN``); returns a one-line summary."""
    write = stdout.write if stdout is not None else (lambda message: None)
    applications = list(ServiceApplication.objects.filter(
        status__in=DECIDED_APPLICATION_STATUSES).select_related("item").order_by("number")
        [:len(PLAN)])
    if not applications:
        write("跳过好差评演示数据：没有已办结的办件（请先载入办件演示数据）。")
        return "跳过（没有已办结的办件）"
    created = 0
    with transaction.atomic():
        for application, plan in zip(applications, PLAN, strict=False):
            level, efficiency, guide, convenience, usability, comment, follows = plan
            rating = ServiceRating.objects.filter(application=application).first()
            if rating is None:
                rating = actions.rate_application(application=application, rating=RatingInput(
                    level=level, efficiency=efficiency, guide_accuracy=guide,
                    convenience=convenience, usability=usability, comment=comment))
                created += 1
            if follows == "rectified":
                _rectify(rating)
            elif follows == "appealed":
                _appeal(rating)
    message = f"好差评：新增评价 {created} 条，共评价 {len(applications)} 件已办结办件。"
    write(message)
    return message
