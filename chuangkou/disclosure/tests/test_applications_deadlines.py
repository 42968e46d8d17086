"""The law's time limits and fees as pure functions (条例 第三十条、第三十二条、第三十三条;
国办函〔2020〕109号), counted on the 2026 working-day calendar."""

from datetime import date
from decimal import Decimal

import pytest

from chuangkou.core.calendar import WorkingCalendar
from chuangkou.disclosure import deadlines
from chuangkou.disclosure.deadlines import ApplicationTimeline, reply_due
from chuangkou.disclosure.fees import fee_for

CALENDAR = WorkingCalendar()


def test_every_period_names_its_legal_source():
    assert "第三十三条" in deadlines.REPLY_PERIOD.source
    assert "第三十三条" in deadlines.EXTENSION_LIMIT.source
    assert "第三十条" in deadlines.CORRECTION_NOTICE_PERIOD.source
    assert "第三十二条" in deadlines.THIRD_PARTY_PERIOD.source
    assert "109号" in deadlines.FEE_PAYMENT_PERIOD.source
    assert "实践" in deadlines.correction_reply_period().source


def test_reply_due_skips_spring_festival_2026_and_counts_the_makeup_saturdays():
    # Received Tue 10 Feb: 11-14 Feb (14th a make-up Saturday), holiday 15-23 Feb,
    # 24-28 Feb (28th make-up), then 2-6, 9-13 and 16 March.
    due = reply_due(ApplicationTimeline(clock_started_on=date(2026, 2, 10)), calendar=CALENDAR)
    assert due == date(2026, 3, 16)


def test_reply_due_skips_national_day_2026():
    due = reply_due(ApplicationTimeline(clock_started_on=date(2026, 9, 28)), calendar=CALENDAR)
    assert due == date(2026, 10, 30)


def test_paused_and_extension_working_days_move_the_deadline_by_working_days():
    base = ApplicationTimeline(clock_started_on=date(2026, 3, 2))
    assert reply_due(base, calendar=CALENDAR) == date(2026, 3, 30)
    paused = ApplicationTimeline(clock_started_on=date(2026, 3, 2), paused_working_days=5)
    assert reply_due(paused, calendar=CALENDAR) == date(2026, 4, 7)  # 4-6 April: 清明
    extended = ApplicationTimeline(clock_started_on=date(2026, 3, 2), extension_working_days=20)
    assert reply_due(extended, calendar=CALENDAR) == date(2026, 4, 28)


def test_an_extension_of_more_than_20_working_days_is_refused():
    with pytest.raises(ValueError):
        reply_due(ApplicationTimeline(clock_started_on=date(2026, 3, 2),
                                      extension_working_days=21), calendar=CALENDAR)


def test_correction_must_be_asked_within_7_working_days_across_spring_festival():
    # 13, 14 (make-up), 24, 25, 26, 27 and 28 February (make-up Saturday).
    assert deadlines.correction_notice_deadline(date(2026, 2, 12), calendar=CALENDAR) == date(
        2026, 2, 28)


def test_correction_reply_period_is_a_setting_defaulting_to_15_working_days(settings):
    assert deadlines.correction_reply_due(date(2026, 3, 2), calendar=CALENDAR) == date(2026, 3, 23)
    settings.DISCLOSURE_CORRECTION_PERIOD_WORKING_DAYS = 10
    assert deadlines.correction_reply_due(date(2026, 3, 2), calendar=CALENDAR) == date(2026, 3, 16)


def test_reminder_date_counts_working_days_back_from_the_deadline():
    assert deadlines.reminder_date(date(2026, 3, 16), calendar=CALENDAR) == date(2026, 3, 11)


@pytest.mark.parametrize(("ordinal", "yuan"), [
    (1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400),
])
def test_fee_per_application_follows_the_bands_of_guobanhan_2020_109(ordinal, yuan):
    assert fee_for(ordinal) == Decimal(yuan)


def test_fee_ordinal_must_be_positive():
    with pytest.raises(ValueError):
        fee_for(0)
