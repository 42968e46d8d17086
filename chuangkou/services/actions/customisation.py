"""服务定制: a citizen's pinned services (我的收藏) in the order they choose, the themes they
follow (关注的主题) and the life-event guides they started (场景式服务进度).

Only citizens customise: staff accounts are not citizen accounts (``accounts``). Each change
locks the citizen's user row first, so two requests of one citizen (two tabs, a double click)
renumber the pins one after the other.
"""

from collections.abc import Iterable, Mapping

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from chuangkou.accounts import queries as account_queries

from ..exceptions import ServicesRuleViolation
from ..models import (
    GuideProgress,
    LifeEventGuide,
    ServiceInterest,
    ServiceItem,
    ServicePin,
    ServiceTheme,
)
from ._common import _audit

__all__ = [
    "MAX_INTERESTS",
    "MAX_PINS",
    "MOVE_DIRECTIONS",
    "move_pinned_service",
    "pin_service",
    "record_guide_progress",
    "set_service_interests",
    "unpin_service",
]

MAX_PINS = 30
MAX_INTERESTS = 20
MOVE_DIRECTIONS = ("up", "down")


def _lock_citizen(user):
    """The citizen's user row, locked; PermissionDenied for anyone who is not a citizen."""
    if account_queries.citizen_account_of(user) is None:
        raise PermissionDenied(_("只有公众账号可以定制服务。"))
    return get_user_model().objects.select_for_update().get(pk=user.pk)


def _pins(user) -> list[ServicePin]:
    return list(ServicePin.objects.filter(user=user).order_by("position", "pk"))


def _renumber(pins: list[ServicePin]) -> None:
    for position, pin in enumerate(pins, start=1):
        if pin.position != position:
            pin.position = position
            pin.save(update_fields=["position"])


@transaction.atomic
def pin_service(*, user, item: ServiceItem) -> ServicePin:
    """收藏: put a published item at the end of the citizen's pins; pinning it again keeps
    the pin where it is."""
    user = _lock_citizen(user)
    if not isinstance(item, ServiceItem) or not ServiceItem.objects.filter(
            pk=item.pk, is_published=True).exists():
        raise ServicesRuleViolation({"item": [_("该事项未公开，不能收藏。")]})
    if existing := ServicePin.objects.filter(user=user, item=item).first():
        return existing
    count = ServicePin.objects.filter(user=user).count()
    if count >= MAX_PINS:
        raise ServicesRuleViolation({"item": [
            _("最多收藏%(n)d项服务，请先取消不常用的收藏。") % {"n": MAX_PINS}]})
    last = ServicePin.objects.filter(user=user).aggregate(last=Max("position"))["last"] or 0
    pin = ServicePin.objects.create(user=user, item=item, position=last + 1)
    _audit("services.pin.added", actor=user, target=pin, data={"item": item.code})
    return pin


@transaction.atomic
def unpin_service(*, user, item: ServiceItem) -> bool:
    """取消收藏; the pins after it move up. False when the item was not pinned."""
    user = _lock_citizen(user)
    deleted, _rows = ServicePin.objects.filter(user=user, item=item).delete()
    if not deleted:
        return False
    _renumber(_pins(user))
    _audit("services.pin.removed", actor=user, data={"item": item.code})
    return True


@transaction.atomic
def move_pinned_service(*, user, item: ServiceItem, direction: str) -> ServicePin:
    """上移/下移: swap a pin with its neighbour; the first pin moved up (the last moved down)
    stays where it is."""
    if direction not in MOVE_DIRECTIONS:
        raise ServicesRuleViolation({"direction": [_("请选择上移或下移。")]})
    user = _lock_citizen(user)
    pins = _pins(user)
    index = next((number for number, pin in enumerate(pins) if pin.item_id == item.pk), None)
    if index is None:
        raise ServicesRuleViolation({"item": [_("您没有收藏该事项。")]})
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(pins):
        pins[index], pins[other] = pins[other], pins[index]
        _renumber(pins)
        _audit("services.pin.moved", actor=user, target=pins[other],
               data={"item": item.code, "direction": direction})
    return next(pin for pin in pins if pin.item_id == item.pk)


@transaction.atomic
def set_service_interests(*, user, themes: Iterable[ServiceTheme]) -> list[ServiceInterest]:
    """关注的主题: the themes the citizen follows become exactly ``themes``."""
    user = _lock_citizen(user)
    wanted = {theme.pk: theme for theme in themes}
    if len(wanted) > MAX_INTERESTS:
        raise ServicesRuleViolation({"themes": [
            _("最多关注%(n)d个主题。") % {"n": MAX_INTERESTS}]})
    known = set(ServiceTheme.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    if known != set(wanted):
        raise ServicesRuleViolation({"themes": [_("所选主题不存在，请重新选择。")]})
    current = set(ServiceInterest.objects.filter(user=user).values_list("theme_id", flat=True))
    added, removed = set(wanted) - current, current - set(wanted)
    ServiceInterest.objects.filter(user=user, theme_id__in=removed).delete()
    ServiceInterest.objects.bulk_create(
        [ServiceInterest(user=user, theme=wanted[pk]) for pk in sorted(added)])
    if added or removed:
        _audit("services.interests.changed", actor=user,
               data={"added": sorted(added), "removed": sorted(removed)})
    return list(ServiceInterest.objects.filter(user=user).select_related("theme"))


@transaction.atomic
def record_guide_progress(*, user, guide: LifeEventGuide,
                          answers: Mapping[int, int]) -> GuideProgress | None:
    """场景式服务进度: the answers a citizen gave to a published guide, kept so their homepage
    can offer to continue it. Nothing is kept for anyone who is not a citizen, or for no
    answers; the same answers again change nothing."""
    if account_queries.citizen_account_of(user) is None or not answers:
        return None
    if not LifeEventGuide.objects.filter(pk=guide.pk, is_published=True).exists():
        raise ServicesRuleViolation({"guide": [_("该场景式服务未公开。")]})
    user = _lock_citizen(user)
    stored = {str(question): int(option) for question, option in sorted(answers.items())}
    progress = GuideProgress.objects.filter(user=user, guide=guide).first()
    if progress is not None and progress.answers == stored:
        return progress
    if progress is None:
        progress = GuideProgress.objects.create(user=user, guide=guide, answers=stored)
    else:
        progress.answers = stored
        progress.save(update_fields=["answers", "updated_at"])
    _audit("services.guide_progress.recorded", actor=user, target=progress,
           data={"guide": guide.slug, "answers": len(stored)})
    return progress
