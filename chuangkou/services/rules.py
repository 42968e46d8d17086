"""Pure rules of online services with their legal sources: application numbers, the time
limits of acceptance and handling, identity levels and the route of an application handed in
on a citizen's behalf (代办). No database access here; callers pass what the rules need."""

from collections.abc import Sequence
from datetime import date

from chuangkou.core.calendar import StatutoryPeriod, WorkingCalendar, add_working_days, due_date

from .choices import IDENTITY_ORDER, RatingLevel, RequiredIdentity

__all__ = [
    "ACCEPTANCE_PERIOD",
    "APPLICATION_NUMBER_PREFIX",
    "BOOKING_NUMBER_PREFIX",
    "DISSATISFIED_LEVELS",
    "acceptance_due_on",
    "application_number",
    "booking_number",
    "decision_due_on",
    "identity_satisfies",
    "proxy_route",
]

APPLICATION_NUMBER_PREFIX = "BJ"  # 办件
BOOKING_NUMBER_PREFIX = "YY"  # 预约

# 行政许可法 第三十二条: an application whose materials are incomplete is told everything to
# supplement at once, on the spot or within five days (一次告知); otherwise it counts as accepted
# from receipt. Chuangkou holds each body to deciding acceptance within these five working days.
ACCEPTANCE_PERIOD = StatutoryPeriod(working_days=5,
                                    source="中华人民共和国行政许可法 第三十二条")

# 国办发〔2019〕51号: 差评 (不满意, 非常不满意) are followed up and rectified.
DISSATISFIED_LEVELS = (RatingLevel.DISSATISFIED, RatingLevel.VERY_DISSATISFIED)


def application_number(year: int, sequence: int) -> str:
    """BJ2026000001: 办件, the year and a gapless sequence of the year."""
    return f"{APPLICATION_NUMBER_PREFIX}{year}{sequence:06d}"


def booking_number(year: int, sequence: int) -> str:
    """YY2026000001: 预约, the year and a gapless sequence of the year."""
    return f"{BOOKING_NUMBER_PREFIX}{year}{sequence:06d}"


def acceptance_due_on(submitted_on: date, *, calendar: WorkingCalendar) -> date:
    """The last day to accept, refuse or ask for supplements (行政许可法 第三十二条)."""
    return due_date(submitted_on, ACCEPTANCE_PERIOD, calendar=calendar)


def decision_due_on(accepted_on: date, *, promised_working_days: int, paused_working_days: int,
                    calendar: WorkingCalendar) -> date:
    """The day a decision is due: the item's promised time limit (承诺时限) in working days
    from acceptance (行政许可法 第四十二条 sets the legal limit the promise must not exceed),
    plus the working days spent waiting for supplements. An instant item (即办件, 0 days) is
    due the day it is accepted."""
    days = promised_working_days + paused_working_days
    if days == 0:
        return accepted_on
    return add_working_days(accepted_on, days, calendar=calendar)


def identity_satisfies(have: str, need: str) -> bool:
    """Whether identity level ``have`` meets the item's ``need`` (levels are ordered:
    无需登录 < 注册账号 < 已验证联系方式 < 实名认证)."""
    order = [str(level) for level in IDENTITY_ORDER]
    return order.index(str(have)) >= order.index(str(need or RequiredIdentity.NONE))


def proxy_route(submitting_chain: Sequence, implementing_chain: Sequence) -> list:
    """The levels an application handed in at one body passes through to reach the body
    that decides it (代办: 社区 → 街道 → 委办局).

    Each chain runs from the root of the body tree down to the body itself. The application
    climbs from the submitting body through its ancestors below the common ancestor, then
    goes to the implementing body. The result starts with the submitting body and ends with
    the implementing body; it is just ``[implementing]`` when they are the same.
    """
    if not submitting_chain or not implementing_chain:
        raise ValueError("both chains must hold at least the body itself")
    submitting, implementing = list(submitting_chain), list(implementing_chain)
    if submitting[-1] == implementing[-1]:
        return [implementing[-1]]
    shared = 0
    for ours, theirs in zip(submitting, implementing, strict=False):
        if ours != theirs:
            break
        shared += 1
    if shared == len(implementing):
        # The implementing body is an ancestor of the submitting one: climb to it.
        return list(reversed(submitting[shared - 1:]))
    climbing = list(reversed(submitting[shared:]))
    return [*climbing, implementing[-1]]
