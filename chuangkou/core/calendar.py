"""Working-day calendar (工作日历) and statutory periods counted on it.

A working day is Monday to Friday (《国务院关于职工工作时间的规定》 第三条、第七条: 8 hours a
day, 40 hours a week, Saturday and Sunday off) unless the State Council's holiday rules say
otherwise: 《全国年节及纪念日放假办法》 fixes the statutory holidays, and each year's 国务院办公厅
关于部分节假日安排的通知 moves weekend days to join them up, turning some Saturdays and Sundays
into make-up working days (调休上班).

Where the day's status comes from, first match wins:

1. a ``WorkingDayOverride`` row that staff entered from the notice (工作日调整);
2. the `chinesecalendar` package, for the years it ships (it raises ``NotImplementedError``
   outside them; 1.11.0 covers 2004–2026);
3. Monday to Friday.

Everything here except :func:`working_calendar` is pure: no database, no clock.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

import chinese_calendar

MONDAY_TO_FRIDAY = range(5)


@dataclass(frozen=True, kw_only=True)
class StatutoryPeriod:
    """A time limit set by law, counted in working days (工作日) or calendar days (日).

    ``source`` names the provision, e.g. "政府信息公开条例 第三十三条". Exactly one of
    ``working_days`` and ``calendar_days`` is given.
    """

    working_days: int = 0
    calendar_days: int = 0
    source: str

    def __post_init__(self):
        for name in ("working_days", "calendar_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a whole number of days, not {value!r}")
        if (self.working_days > 0) == (self.calendar_days > 0):
            raise ValueError("give exactly one of working_days and calendar_days, and more than 0")
        if not self.source.strip():
            raise ValueError("name the legal source of the period")

    @property
    def counts_working_days(self) -> bool:
        return self.working_days > 0


@cache
def library_covers(year: int) -> bool:
    """Whether the installed chinesecalendar ships the holiday arrangement of ``year``.

    The package data is fixed for the life of the process, hence the cache.
    """
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


class WorkingCalendar:
    """Which days are working days: staff overrides, then chinesecalendar, then Monday–Friday.

    Built from ``{date: is_working_day}``; the overrides are copied, so a calendar never changes
    after it is made (one deadline computation sees one calendar).
    """

    def __init__(self, overrides: Mapping[date, bool] | None = None):
        self._overrides: dict[date, bool] = dict(overrides or {})
        self._override_years = frozenset(day.year for day in self._overrides)

    def __repr__(self) -> str:
        return f"WorkingCalendar({len(self._overrides)} overrides)"

    @property
    def overrides(self) -> Mapping[date, bool]:
        return dict(self._overrides)

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day (《国务院关于职工工作时间的规定》, adjusted by the
        yearly 国务院办公厅 holiday notice)."""
        override = self._overrides.get(day)
        if override is not None:
            return override
        if library_covers(day.year):
            return chinese_calendar.is_workday(day)
        return day.weekday() in MONDAY_TO_FRIDAY

    def covers(self, year: int) -> bool:
        """Whether the holidays of ``year`` are known: chinesecalendar ships them, or staff have
        entered at least one day of that year's notice. Otherwise the calendar can only guess
        Monday–Friday, and deadlines across a holiday would come out too early."""
        return library_covers(year) or year in self._override_years


def working_calendar() -> WorkingCalendar:
    """The calendar as staff have set it now, loaded with one query.

    Not cached across calls: an override entered in the admin must change the next deadline
    computed by every process at once.
    """
    from .models import WorkingDayOverride  # keeps this module importable without the app registry

    return WorkingCalendar(dict(WorkingDayOverride.objects.values_list("date", "is_working_day")))


def _as_date(value: date, name: str) -> date:
    # A datetime's calendar day depends on its time zone; the caller must pick it
    # (timezone.localdate(moment)) rather than have it chosen silently here.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a date, not {type(value).__name__}")
    return value


def add_working_days(start: date, days: int, *, calendar: WorkingCalendar) -> date:
    """The date ``days`` working days after ``start``.

    ``start`` is day 0 and is not counted even when it is a working day: a period "within N
    working days of receipt" starts counting the day after receipt (民法典 第二百零一条: the day
    on which a period begins is not counted). Weekends and statutory holidays are skipped;
    make-up working days (调休上班) count. ``days=0`` returns ``start``.
    """
    start = _as_date(start, "start")
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError(f"days must be a whole number of days, not {days!r}")
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day


def working_days_between(start: date, end: date, *, calendar: WorkingCalendar) -> int:
    """How many working days ``d`` there are with ``start < d <= end`` (0 if ``end <= start``).

    The inverse of :func:`add_working_days`: ``working_days_between(d, add_working_days(d, n))
    == n`` for every ``d`` and ``n``.
    """
    start, end = _as_date(start, "start"), _as_date(end, "end")
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if calendar.is_working_day(start + timedelta(days=offset))
    )


def due_date(start: date, period: StatutoryPeriod, *, calendar: WorkingCalendar) -> date:
    """The last day of ``period`` counted from ``start`` (day 0, not counted).

    A working-day period is counted on the calendar (:func:`add_working_days`). A calendar-day
    period whose last day falls on a rest day ends on the next working day instead (民法典
    第二百零三条; 民事诉讼法 第八十五条): a deadline never expires while offices are closed.
    """
    if period.counts_working_days:
        return add_working_days(start, period.working_days, calendar=calendar)
    last = _as_date(start, "start") + timedelta(days=period.calendar_days)
    while not calendar.is_working_day(last):
        last += timedelta(days=1)
    return last
