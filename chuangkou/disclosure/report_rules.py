"""When a body's annual disclosure report (政府信息公开工作年度报告) is due, as data with its source.

条例 第四十九条: departments of governments at county level and above publish their report for
the previous year before 31 January; the disclosure office of a local government publishes the
government's own report before 31 March. Anything that is not a government itself (departments,
street offices and towns, public institutions) follows the department rule.
"""

from dataclasses import dataclass
from datetime import date

from chuangkou.organizations.choices import BodyKind

SOURCE = "政府信息公开条例 第四十九条"


@dataclass(frozen=True)
class ReportDeadline:
    """The day before which a report must be published, and the rule that sets it."""

    month: int
    day: int
    description: str
    source: str = SOURCE


DEPARTMENT_DEADLINE = ReportDeadline(
    month=1, day=31, description="县级以上人民政府部门应当在每年1月31日前公布本行政机关上一年度年度报告")
GOVERNMENT_DEADLINE = ReportDeadline(
    month=3, day=31, description="县级以上地方人民政府应当在每年3月31日前公布本级政府上一年度年度报告")

DEADLINE_BY_BODY_KIND: dict[str, ReportDeadline] = {
    BodyKind.CITY_GOVERNMENT: GOVERNMENT_DEADLINE,
    BodyKind.DISTRICT_GOVERNMENT: GOVERNMENT_DEADLINE,
}


@dataclass(frozen=True)
class ReportDue:
    due_on: date
    rule: ReportDeadline

    @property
    def text(self) -> str:
        return f"{self.due_on:%Y年%-m月%-d日}前（{self.rule.source}）"


def report_deadline(body_kind: str) -> ReportDeadline:
    """The Art. 49 deadline rule for a body of ``body_kind`` (条例 第四十九条)."""
    return DEADLINE_BY_BODY_KIND.get(body_kind, DEPARTMENT_DEADLINE)


def report_due(*, body_kind: str, year: int) -> ReportDue:
    """The report on ``year`` is due before this day of the following year (条例 第四十九条)."""
    rule = report_deadline(body_kind)
    return ReportDue(due_on=date(year + 1, rule.month, rule.day), rule=rule)
