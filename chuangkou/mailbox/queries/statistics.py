"""Statistics of letters (信件统计) per body, kind and month, their XLSX workbook, and the
"unanswered for more than three months" list the national inspection indicators use.

Pure reads with a constant number of queries whatever the number of letters: one grouped count,
one list of (received, answered) dates for the handling days, the working calendar, and the
bodies and kinds named in the rows.

Definitions (one period = a year, or one month of it; "the period's letters" are the letters
whose 受理日期 ``received_on`` falls in it, MERGED and REFUSED ones excluded — a duplicate is
answered through the letter it joined and a refused one was never accepted):

- received: the period's letters;
- answered: those of them with an approved reply (status ANSWERED);
- answered_on_time: answered ones with ``answered_on <= due_on``;
- average_handling_days: mean working days from ``received_on`` to ``answered_on`` on the core
  working calendar (weekends and holidays not counted, make-up days counted);
- reply_rate = answered / received, on_time_rate = answered_on_time / answered,
  satisfaction_rate = ratings of 基本满意 (3) or better / ratings: percentages with one decimal,
  None when the denominator is 0;
- overdue_now: the period's letters still open (not answered) whose ``due_on`` is before today.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangkou.core.calendar import working_calendar, working_days_between
from chuangkou.organizations.models import Body

from ..choices import OPEN_STATUSES, LetterStatus, SatisfactionLevel
from ..models import Letter, LetterKind

__all__ = [
    "GROUPS",
    "StatisticsRow",
    "letter_statistics",
    "letters_overdue_now",
    "letters_unanswered_over_three_months",
    "months_before",
    "percentage",
    "statistics_total",
    "statistics_workbook",
]

GROUPS = ("body", "kind", "month")
NOT_COUNTED = (LetterStatus.MERGED, LetterStatus.REFUSED)
ONE_DECIMAL = Decimal("0.1")
GROUP_FIELDS = {"body": "assigned_body_id", "kind": "kind_id", "month": "month"}


def percentage(numerator: int, denominator: int) -> Decimal | None:
    """``numerator / denominator`` as a percentage with one decimal (half up), None for 0/0."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


@dataclass
class StatisticsRow:
    """One row of the statistics: a body, a kind, a month or a combination (None = all, or for
    ``body`` in a row grouped by body: letters not yet assigned to a body, 未分办)."""

    body: Body | None = None
    kind: LetterKind | None = None
    month: int | None = None
    received: int = 0
    answered: int = 0
    answered_on_time: int = 0
    handling_days_total: int = 0
    ratings: int = 0
    satisfied_ratings: int = 0
    overdue_now: int = 0
    is_total: bool = False
    group_by: tuple[str, ...] = field(default=(), repr=False)

    @property
    def average_handling_days(self) -> Decimal | None:
        if not self.answered:
            return None
        return (Decimal(self.handling_days_total) / Decimal(self.answered)).quantize(
            ONE_DECIMAL, ROUND_HALF_UP)

    @property
    def reply_rate(self) -> Decimal | None:
        return percentage(self.answered, self.received)

    @property
    def on_time_rate(self) -> Decimal | None:
        return percentage(self.answered_on_time, self.answered)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return percentage(self.satisfied_ratings, self.ratings)

    @property
    def label(self) -> str:
        """The row's name: 合计, or its body / kind / month joined with " · "."""
        if self.is_total:
            return _("合计")
        parts = []
        for name in self.group_by:
            if name == "body":
                parts.append(self.body.name if self.body else _("未分办"))
            elif name == "kind":
                parts.append(self.kind.name if self.kind else _("未知类型"))
            elif name == "month":
                parts.append(_("%(month)d月") % {"month": self.month})
        return " · ".join(parts)

    def add(self, other: StatisticsRow) -> None:
        for name in ("received", "answered", "answered_on_time", "handling_days_total",
                     "ratings", "satisfied_ratings", "overdue_now"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _bodies_filter(body) -> Q:
    if body is None:
        return Q()
    if isinstance(body, Body):
        return Q(assigned_body=body)
    return Q(assigned_body__in=body)  # a queryset or a list of bodies (a supervisor's scope)


def _period(year: int, month: int | None) -> tuple[date, date]:
    if month is None:
        return date(year, 1, 1), date(year + 1, 1, 1)
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, not {month!r}")
    end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date(year, month, 1), end


def _letters_of_period(*, year: int, month: int | None, body, kind) -> QuerySet[Letter]:
    start, end = _period(year, month)
    letters = Letter.objects.filter(received_on__gte=start, received_on__lt=end).exclude(
        status__in=NOT_COUNTED).filter(_bodies_filter(body))
    if kind is not None:
        letters = letters.filter(kind=kind)
    return letters


def letter_statistics(*, year: int, month: int | None = None, body=None, kind=None,
                      group_by: Sequence[str] = ("body",), today: date | None = None
                      ) -> list[StatisticsRow]:
    """Statistics of the letters received in ``year`` (or one ``month`` of it), one row per
    value of ``group_by`` (any of "body" — the assigned body 承办单位 —, "kind", "month").

    ``body`` limits the letters to one assigned body (or a collection of bodies); ``kind`` to
    one kind. Rows come in tree order of bodies, kind order and month order; grouped by month
    or kind alone every month of the period / every active kind is listed even when empty.
    """
    group_by = tuple(group_by)
    unknown = [name for name in group_by if name not in GROUPS]
    if unknown:
        raise ValueError(f"unknown statistics groups: {unknown}")
    today = today or timezone.localdate()
    letters = _letters_of_period(year=year, month=month, body=body, kind=kind)
    if "month" in group_by:
        letters = letters.annotate(month=ExtractMonth("received_on"))
    keys = [GROUP_FIELDS[name] for name in group_by]
    answered = Q(status=LetterStatus.ANSWERED)
    counts = letters.values(*keys).annotate(
        received=Count("pk"),
        answered=Count("pk", filter=answered),
        answered_on_time=Count("pk", filter=answered & Q(answered_on__lte=F("due_on"))),
        ratings=Count("rating"),
        satisfied_ratings=Count("rating", filter=Q(rating__level__gte=SatisfactionLevel.NEUTRAL)),
        overdue_now=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)),
    ).order_by()

    rows: dict[tuple, StatisticsRow] = {}
    for item in counts:
        key = tuple(item[name] for name in keys)
        rows[key] = StatisticsRow(
            received=item["received"], answered=item["answered"],
            answered_on_time=item["answered_on_time"], ratings=item["ratings"],
            satisfied_ratings=item["satisfied_ratings"], overdue_now=item["overdue_now"],
            group_by=group_by)
    calendar = working_calendar()
    for *key, received_on, answered_on in letters.filter(answered).values_list(
            *keys, "received_on", "answered_on"):
        if answered_on is not None and tuple(key) in rows:
            rows[tuple(key)].handling_days_total += working_days_between(
                received_on, answered_on, calendar=calendar)

    if group_by == ("month",):
        start, end = _period(year, month)
        for number in range(start.month, (end - timedelta(days=1)).month + 1):
            rows.setdefault((number,), StatisticsRow(group_by=group_by))
    kinds_wanted = {key[keys.index("kind_id")] for key in rows} if "kind" in group_by else set()
    if group_by == ("kind",):
        active = LetterKind.objects.filter(is_active=True)
        if kind is not None:
            active = active.filter(pk=kind.pk)
        for kind_id in active.values_list("pk", flat=True):
            rows.setdefault((kind_id,), StatisticsRow(group_by=group_by))
            kinds_wanted.add(kind_id)
    if group_by == ("body",) and isinstance(body, Body):
        rows.setdefault((body.pk,), StatisticsRow(group_by=group_by))

    bodies = (Body.objects.in_bulk({key[keys.index("assigned_body_id")] for key in rows} - {None})
              if "body" in group_by else {})
    kinds = LetterKind.objects.in_bulk(kinds_wanted - {None}) if kinds_wanted else {}
    for key, row in rows.items():
        values = dict(zip(group_by, key, strict=True))
        row.body = bodies.get(values.get("body"))
        row.kind = kinds.get(values.get("kind"))
        row.month = values.get("month")

    def order(row: StatisticsRow) -> tuple:
        parts = []
        for name in group_by:
            if name == "body":
                parts.append((row.body is None, row.body.path if row.body else ""))
            elif name == "kind":
                parts.append((row.kind.sort_order, row.kind.pk) if row.kind else (1 << 30, 0))
            else:
                parts.append(row.month or 0)
        return tuple(parts)

    return sorted(rows.values(), key=order)


def statistics_total(rows: Iterable[StatisticsRow]) -> StatisticsRow:
    """The 合计 row of ``rows`` (rates recomputed from the summed counts, not averaged)."""
    total = StatisticsRow(is_total=True)
    for row in rows:
        total.add(row)
    return total


def letters_overdue_now(*, today: date, year: int | None = None, body=None, kind=None
                        ) -> QuerySet[Letter]:
    """Open letters past their due date (超期未答复), most overdue first; with ``year`` only
    those received in it (the ``overdue_now`` of :func:`letter_statistics`)."""
    letters = Letter.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today).filter(
        _bodies_filter(body))
    if year is not None:
        start, end = _period(year, None)
        letters = letters.filter(received_on__gte=start, received_on__lt=end)
    if kind is not None:
        letters = letters.filter(kind=kind)
    return letters.select_related("kind", "assigned_body").order_by("due_on", "number")


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months before ``day``, or the last day of that month
    when it is shorter (31 May − 3 months = 28/29 February)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    next_month = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    last_day = (next_month - timedelta(days=1)).day
    return date(year, month, min(day.day, last_day))


def letters_unanswered_over_three_months(*, today: date, body=None) -> QuerySet[Letter]:
    """Valid letters received within the last year (365 days) and more than three calendar
    months before ``today`` that are still unanswered, oldest first.

    This is 单项否决 item 5 of the 政府网站与政务新媒体检查指标 (国办秘函〔2019〕19号,
    regulations.md §5): "a valid consultation message unanswered for more than 3 months within
    the last year" fails a site outright. Every kind of letter is a message of the site's
    consultation channel (留言) in the indicator's sense; merged duplicates and refused letters
    are not valid messages, so only open statuses count. ``body`` limits the list to letters
    assigned or addressed to that body (or a collection of bodies).
    """
    year_ago = today - timedelta(days=365)
    cutoff = months_before(today, 3)
    letters = Letter.objects.filter(status__in=OPEN_STATUSES, received_on__gte=year_ago,
                                    received_on__lt=cutoff)
    if body is not None:
        if isinstance(body, Body):
            letters = letters.filter(Q(assigned_body=body) | Q(addressed_body=body))
        else:
            letters = letters.filter(Q(assigned_body__in=body) | Q(addressed_body__in=body))
    return letters.select_related("kind", "assigned_body", "addressed_body").order_by(
        "received_on", "number")


# --- the workbook ------------------------------------------------------------------------------

FIGURE_HEADERS = (
    ("received", "来信数"), ("answered", "已答复"), ("answered_on_time", "按时答复"),
    ("average_handling_days", "平均办理天数（工作日）"), ("reply_rate", "答复率（%）"),
    ("on_time_rate", "按时答复率（%）"), ("satisfaction_rate", "满意率（%）"),
    ("overdue_now", "当前超期未答复"),
)
DECIMAL_FIGURES = {"average_handling_days", "reply_rate", "on_time_rate", "satisfaction_rate"}


def statistics_workbook(*, year: int, body=None, kind=None, today: date | None = None) -> bytes:
    """The year's statistics as an XLSX workbook: sheets 按单位, 按类型, 按月份 (each with a
    合计 row) and 超期未答复 (the letters behind ``overdue_now``). Headers are bold; counts,
    rates and days are numeric cells (rates in percent, one decimal)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    today = today or timezone.localdate()
    workbook = Workbook()
    bold = Font(bold=True)
    sheets = (("按单位", "承办单位", ("body",)), ("按类型", "信件类型", ("kind",)),
              ("按月份", "月份", ("month",)))
    for index, (title, first_header, group_by) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = title
        sheet.append([first_header, *(header for _name, header in FIGURE_HEADERS)])
        rows = letter_statistics(year=year, body=body, kind=kind, group_by=group_by, today=today)
        for row in [*rows, statistics_total(rows)]:
            sheet.append([row.label, *(getattr(row, name) for name, _header in FIGURE_HEADERS)])
        for cell in sheet[1]:
            cell.font = bold
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for column, (name, _header) in enumerate(FIGURE_HEADERS, start=2):
            if name in DECIMAL_FIGURES:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                    cell.number_format = "0.0"
        sheet.column_dimensions["A"].width = 28
        sheet.freeze_panes = "B2"

    sheet = workbook.create_sheet("超期未答复")
    sheet.append(["信件编号", "标题", "信件类型", "承办单位", "受理日期", "答复期限",
                  "超期工作日", "状态"])
    for cell in sheet[1]:
        cell.font = bold
    calendar = working_calendar()
    for letter in letters_overdue_now(today=today, year=year, body=body, kind=kind):
        sheet.append([
            letter.number, letter.title, letter.kind.name,
            letter.assigned_body.name if letter.assigned_body else "",
            letter.received_on, letter.due_on,
            working_days_between(letter.due_on, today, calendar=calendar),
            letter.get_status_display(),
        ])
    for (received, due) in sheet.iter_rows(min_row=2, min_col=5, max_col=6):
        received.number_format = due.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

