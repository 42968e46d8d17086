"""Rules of the disclosure catalogue (政府信息公开目录) with their legal sources. Pure: no
database, no clock."""

from datetime import date

from chuangkou.core.calendar import (
    StatutoryPeriod,
    WorkingCalendar,
    due_date,
    working_days_between,
)
from chuangkou.organizations.choices import BodyKind

# 条例 第二十六条: 属于主动公开范围的政府信息，应当自该政府信息形成或者变更之日起20个工作日内
# 及时公开。
PROACTIVE_DISCLOSURE_PERIOD = StatutoryPeriod(working_days=20, source="政府信息公开条例 第二十六条")

# 条例 第二十一条 names 设区的市级、县级人民政府及其部门; a department is counted when it is a
# department of such a government (every department in this cluster is).
LOCAL_GOVERNMENT_KINDS = frozenset({
    BodyKind.CITY_GOVERNMENT, BodyKind.DISTRICT_GOVERNMENT, BodyKind.DEPARTMENT,
})
# 条例 第五十五条: public enterprises and institutions disclose under the rules of their
# supervising department, not under the categories of 第二十条 written for 行政机关.
STATUTORY_CATEGORY_KINDS = frozenset(BodyKind.values) - {BodyKind.PUBLIC_INSTITUTION}
SUPERVISING_KINDS = frozenset({BodyKind.DEPARTMENT})

INDEX_SEQUENCE_DIGITS = 5


def disclosure_due_on(formed_on: date, *, calendar: WorkingCalendar) -> date:
    """The last day to publish a proactive document: 20 working days after it was formed or
    changed (条例 第二十六条); the day of forming is day 0."""
    return due_date(formed_on, PROACTIVE_DISCLOSURE_PERIOD, calendar=calendar)


def working_days_left(today: date, due_on: date, *, calendar: WorkingCalendar) -> int:
    """Working days from ``today`` to ``due_on``: 0 on the due day, negative once overdue
    (the number of working days past it)."""
    if due_on >= today:
        return working_days_between(today, due_on, calendar=calendar)
    return -working_days_between(due_on, today, calendar=calendar)


def index_number(*, credit_code: str, year: int, sequence: int) -> str:
    """索引号 (政府信息公开目录系统实施指引): the body's 统一社会信用代码, the year and a
    five-digit sequence, e.g. ``11330100000000002X/2026-00003``."""
    return f"{credit_code}/{year}-{sequence:0{INDEX_SEQUENCE_DIGITS}d}"


def uses_local_government_categories(kind: str) -> bool:
    """Whether the categories of 条例 第二十一条 apply to a body of ``kind``."""
    return kind in LOCAL_GOVERNMENT_KINDS


def uses_statutory_categories(kind: str) -> bool:
    """Whether a body of ``kind`` publishes under 条例 第二十条 (行政机关, not 第五十五条
    public institutions)."""
    return kind in STATUTORY_CATEGORY_KINDS


def may_define_sector_kinds(kind: str) -> bool:
    """Whether a body of ``kind`` is a supervising department (主管部门) that defines the
    disclosure kinds of its sector (条例 第五十五条)."""
    return kind in SUPERVISING_KINDS
