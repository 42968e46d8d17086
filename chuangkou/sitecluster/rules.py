"""Rules about columns that carry legal weight, as data with their sources."""

from dataclasses import dataclass
from datetime import date, timedelta

from .choices import ColumnKind


@dataclass(frozen=True)
class UpdateInterval:
    days: int
    source: str


# 政府网站与政务新媒体检查指标 (国办秘函〔2019〕19号), 单项否决 item 4: 动态/要闻 columns
# not updated for 2 weeks, 通知公告/政策文件 columns for 6 months, count as not updated.
DEFAULT_UPDATE_INTERVALS: dict[str, UpdateInterval] = {
    ColumnKind.NEWS: UpdateInterval(14, "国办秘函〔2019〕19号 单项否决第4项（动态要闻类栏目2周）"),
    ColumnKind.NOTICE: UpdateInterval(183, "国办秘函〔2019〕19号 单项否决第4项（通知公告类栏目6个月）"),
    ColumnKind.POLICY: UpdateInterval(183, "国办秘函〔2019〕19号 单项否决第4项（政策文件类栏目6个月）"),
}


def default_update_interval_days(kind: str) -> int | None:
    """The expected update interval for a column kind, or None where the indicators set none."""
    interval = DEFAULT_UPDATE_INTERVALS.get(kind)
    return interval.days if interval else None


def column_is_stale(*, last_published_on: date | None, interval_days: int | None, today: date) -> bool:
    """True if a column with an expected interval has not been updated within it.

    A column with no dated item counts as not updated (国办秘函〔2019〕19号: 无发布日期的视为未更新).
    """
    if interval_days is None:
        return False
    if last_published_on is None:
        return True
    return today - last_published_on > timedelta(days=interval_days)
