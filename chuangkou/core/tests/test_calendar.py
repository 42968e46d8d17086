"""The working-day calendar (工作日历): weekends and statutory holidays are skipped, make-up
working days (调休上班) count, and staff overrides win.

The 2026 arrangement (国务院办公厅关于2026年部分节假日安排的通知), as chinesecalendar ships it:
春节 2月15日（周日）至23日（周一）放假，2月14日（周六）、2月28日（周六）上班；
中秋节 9月25日至27日放假；国庆节 10月1日至7日放假，9月20日（周日）、10月10日（周六）上班.
"""

from datetime import date, datetime, timedelta

import pytest

from chuangkou.core.actions import set_working_day_override
from chuangkou.core.calendar import (
    StatutoryPeriod,
    WorkingCalendar,
    add_working_days,
    due_date,
    library_covers,
    working_calendar,
    working_days_between,
)

REPLY_PERIOD = StatutoryPeriod(working_days=20, source="政府信息公开条例 第三十三条")
REVIEW_APPLICATION_PERIOD = StatutoryPeriod(calendar_days=60, source="行政复议法 第二十条")


@pytest.fixture
def calendar_2026():
    return WorkingCalendar()


def test_the_spring_festival_2026_is_a_holiday_and_its_makeup_saturdays_are_working_days(
        calendar_2026):
    festival = [date(2026, 2, 15) + timedelta(days=n) for n in range(9)]
    assert not any(calendar_2026.is_working_day(day) for day in festival)
    assert calendar_2026.is_working_day(date(2026, 2, 14))  # 周六 调休上班
    assert calendar_2026.is_working_day(date(2026, 2, 28))  # 周六 调休上班
    assert not calendar_2026.is_working_day(date(2026, 3, 7))  # an ordinary Saturday


def test_adding_working_days_counts_the_makeup_saturday_and_skips_the_spring_festival(
        calendar_2026):
    friday = date(2026, 2, 13)
    assert add_working_days(friday, 1, calendar=calendar_2026) == date(2026, 2, 14)
    assert add_working_days(friday, 2, calendar=calendar_2026) == date(2026, 2, 24)
    assert add_working_days(date(2026, 2, 27), 1, calendar=calendar_2026) == date(2026, 2, 28)
    assert add_working_days(date(2026, 2, 27), 2, calendar=calendar_2026) == date(2026, 3, 2)


def test_a_disclosure_reply_due_20_working_days_after_receipt_crosses_the_spring_festival(
        calendar_2026):
    # Received Tuesday 10 February: 4 working days before the festival (the 14th included),
    # then 16 after it.
    assert due_date(date(2026, 2, 10), REPLY_PERIOD, calendar=calendar_2026) == date(2026, 3, 16)


def test_adding_working_days_skips_national_day_and_counts_both_makeup_days(calendar_2026):
    assert add_working_days(date(2026, 9, 18), 1, calendar=calendar_2026) == date(2026, 9, 20)
    assert add_working_days(date(2026, 9, 30), 1, calendar=calendar_2026) == date(2026, 10, 8)
    assert add_working_days(date(2026, 10, 9), 1, calendar=calendar_2026) == date(2026, 10, 10)
    assert add_working_days(date(2026, 9, 30), 3, calendar=calendar_2026) == date(2026, 10, 10)


def test_the_start_day_is_never_counted_and_zero_days_is_the_start_itself(calendar_2026):
    monday = date(2026, 3, 2)
    assert add_working_days(monday, 1, calendar=calendar_2026) == date(2026, 3, 3)
    assert add_working_days(monday, 0, calendar=calendar_2026) == monday
    holiday = date(2026, 10, 3)
    assert add_working_days(holiday, 0, calendar=calendar_2026) == holiday


def test_negative_days_and_datetimes_are_refused(calendar_2026):
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 2), -1, calendar=calendar_2026)
    with pytest.raises(TypeError):
        add_working_days(datetime(2026, 3, 2, 9), 1, calendar=calendar_2026)
    with pytest.raises(TypeError):
        working_days_between(date(2026, 3, 2), datetime(2026, 3, 9), calendar=calendar_2026)


def test_an_override_decides_a_year_chinesecalendar_does_not_cover():
    assert not library_covers(2031)
    weekdays_only = WorkingCalendar()
    assert not weekdays_only.covers(2031)
    assert add_working_days(date(2031, 1, 17), 1, calendar=weekdays_only) == date(2031, 1, 20)

    calendar = WorkingCalendar({date(2031, 1, 18): True, date(2031, 1, 20): False,
                                date(2031, 1, 21): False})
    assert calendar.covers(2031)
    assert not calendar.covers(2032)
    assert add_working_days(date(2031, 1, 17), 1, calendar=calendar) == date(2031, 1, 18)
    assert add_working_days(date(2031, 1, 17), 2, calendar=calendar) == date(2031, 1, 22)


def test_an_override_turns_a_weekday_into_a_holiday_inside_a_covered_year(calendar_2026):
    assert calendar_2026.is_working_day(date(2026, 3, 10))
    calendar = WorkingCalendar({date(2026, 3, 10): False, date(2026, 10, 7): True})
    assert not calendar.is_working_day(date(2026, 3, 10))
    assert add_working_days(date(2026, 3, 9), 1, calendar=calendar) == date(2026, 3, 11)
    # …and the other way round: a library holiday made a working day.
    assert add_working_days(date(2026, 10, 6), 1, calendar=calendar) == date(2026, 10, 7)


def test_deadlines_into_a_year_nobody_has_entered_fall_back_to_monday_to_friday(calendar_2026):
    assert not calendar_2026.covers(2027)
    assert add_working_days(date(2026, 12, 31), 1, calendar=calendar_2026) == date(2027, 1, 1)
    entered = WorkingCalendar({date(2027, 1, 1): False})
    assert add_working_days(date(2026, 12, 31), 1, calendar=entered) == date(2027, 1, 4)


def test_the_years_chinesecalendar_ships_are_covered_without_overrides(calendar_2026):
    assert calendar_2026.covers(2004) and calendar_2026.covers(2026)
    assert not calendar_2026.covers(2003)


def test_working_days_between_counts_the_days_after_start_up_to_and_including_end(
        calendar_2026):
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 24), calendar=calendar_2026) == 2
    assert working_days_between(date(2026, 2, 24), date(2026, 2, 24), calendar=calendar_2026) == 0
    assert working_days_between(date(2026, 2, 24), date(2026, 2, 13), calendar=calendar_2026) == 0
    assert working_days_between(date(2026, 10, 1), date(2026, 10, 7), calendar=calendar_2026) == 0


@pytest.mark.parametrize("days", [0, 1, 2, 5, 7, 20])
def test_working_days_between_undoes_add_working_days_on_every_day_of_2026(calendar_2026, days):
    day = date(2026, 1, 1)
    while day.year == 2026:
        end = add_working_days(day, days, calendar=calendar_2026)
        assert working_days_between(day, end, calendar=calendar_2026) == days, day
        # The due day is the first day on which that many working days have passed.
        if days:
            assert calendar_2026.is_working_day(end)
            assert working_days_between(day, end - timedelta(days=1),
                                        calendar=calendar_2026) == days - 1
        day += timedelta(days=1)


@pytest.mark.parametrize("kwargs", [
    {"source": "无期间"},
    {"working_days": 20, "calendar_days": 30, "source": "两种期间"},
    {"working_days": -1, "source": "负数"},
    {"calendar_days": True, "source": "布尔值"},
    {"working_days": 2.5, "source": "小数"},
    {"working_days": 20, "source": " "},
])
def test_a_statutory_period_has_exactly_one_positive_length_and_a_named_source(kwargs):
    with pytest.raises(ValueError):
        StatutoryPeriod(**kwargs)


def test_a_statutory_period_cannot_be_made_without_its_source():
    with pytest.raises(TypeError):
        StatutoryPeriod(working_days=20)
    with pytest.raises(TypeError):
        StatutoryPeriod(20, 0, "政府信息公开条例")  # positional arguments would hide the unit


def test_a_calendar_day_period_ending_on_a_working_day_ends_that_day(calendar_2026):
    period = StatutoryPeriod(calendar_days=15, source="示例 十五日")
    assert due_date(date(2026, 3, 2), period, calendar=calendar_2026) == date(2026, 3, 17)


def test_a_calendar_day_period_ending_in_national_day_ends_on_the_first_working_day_after(
        calendar_2026):
    # 2 August + 60 days is 1 October (民法典 第二百零三条: moved past the holiday).
    assert due_date(date(2026, 8, 2), REVIEW_APPLICATION_PERIOD,
                    calendar=calendar_2026) == date(2026, 10, 8)


def test_a_calendar_day_period_ending_on_a_makeup_saturday_ends_that_saturday(calendar_2026):
    period = StatutoryPeriod(calendar_days=14, source="示例 十四日")
    assert due_date(date(2026, 2, 14), period, calendar=calendar_2026) == date(2026, 2, 28)


@pytest.mark.django_db
def test_working_calendar_loads_every_override_with_one_query(django_assert_num_queries):
    set_working_day_override(day=date(2031, 1, 20), is_working_day=False, name="春节",
                             source="国务院办公厅关于2031年部分节假日安排的通知")
    set_working_day_override(day=date(2031, 1, 18), is_working_day=True, name="春节调休上班",
                             source="国务院办公厅关于2031年部分节假日安排的通知")
    with django_assert_num_queries(1):
        calendar = working_calendar()
    assert calendar.overrides == {date(2031, 1, 20): False, date(2031, 1, 18): True}
    assert not calendar.is_working_day(date(2031, 1, 20))


@pytest.mark.django_db
def test_a_new_override_takes_effect_on_the_next_calendar_loaded():
    assert working_calendar().is_working_day(date(2031, 1, 20))
    set_working_day_override(day=date(2031, 1, 20), is_working_day=False, name="春节",
                             source="国务院办公厅关于2031年部分节假日安排的通知")
    assert not working_calendar().is_working_day(date(2031, 1, 20))


def test_a_calendar_never_changes_after_it_is_made():
    overrides = {date(2031, 1, 20): False}
    calendar = WorkingCalendar(overrides)
    overrides[date(2031, 1, 20)] = True
    calendar.overrides[date(2031, 1, 20)] = True
    assert not calendar.is_working_day(date(2031, 1, 20))
