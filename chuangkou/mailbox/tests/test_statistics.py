"""Letter statistics per body, kind and month, the XLSX workbook and the "unanswered for more
than three months" list (检查指标 单项否决 item 5), on letters built through the actions."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangkou.mailbox import actions
from chuangkou.mailbox.models import LetterKind
from chuangkou.mailbox.queries.statistics import (
    StatisticsRow,
    letter_statistics,
    letters_unanswered_over_three_months,
    months_before,
    percentage,
    statistics_total,
    statistics_workbook,
)
from chuangkou.mailbox.tests.factories import answer_letter, make_letter
from chuangkou.organizations.choices import Role

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 25)


@pytest.fixture
def clock():
    with time_machine.travel("2025-12-01 10:00 +0800", tick=False) as traveller:
        yield traveller


@pytest.fixture
def letters(cluster, clock):
    """March 2026 (no holidays; 5 working days for 咨询, 15 for 投诉, counted from the day of
    assignment, which is the day of receipt here):

    - A education 咨询, received Mon 2 March (due 9 March), answered Wed 4 March (2 working
      days), rated 5;
    - B education 咨询, received 2 March, answered Wed 11 March (7 working days, late), rated 2;
    - C education 投诉, received 2 March (due 23 March), open;
    - D health 咨询, received Tue 3 March (due 10 March), open; E, its duplicate, merged into it;
    - H 咨询 to "不确定", received 3 March, waiting for dispatch;
    - G education 咨询, received 1 December 2025, open (another year).
    """
    made = {"G": make_letter(cluster=cluster, addressed_body=cluster.education)}
    clock.move_to("2026-03-02 09:00 +0800")
    made["A"] = make_letter(cluster=cluster, addressed_body=cluster.education)
    made["B"] = make_letter(cluster=cluster, addressed_body=cluster.education)
    made["C"] = make_letter(cluster=cluster, addressed_body=cluster.education, kind_code="tousu")
    clock.move_to("2026-03-03 09:00 +0800")
    made["D"] = make_letter(cluster=cluster, addressed_body=cluster.health)
    made["E"] = make_letter(cluster=cluster, addressed_body=cluster.health)
    made["H"] = make_letter(cluster=cluster)
    actions.merge_letters(duplicate=made["E"], into=made["D"], reason="内容相同，合并办理",
                          actor=cluster.user("city", Role.LETTER_DISPATCHER))
    clock.move_to("2026-03-04 15:00 +0800")
    made["A"] = answer_letter(made["A"], cluster)
    actions.rate_letter(letter=made["A"], level=5)
    clock.move_to("2026-03-11 15:00 +0800")
    made["B"] = answer_letter(made["B"], cluster)
    actions.rate_letter(letter=made["B"], level=2, comment="答复太慢")
    clock.move_to("2026-03-25 10:00 +0800")
    return made


def row_of(rows, **match):
    (row,) = [row for row in rows if all(getattr(row, name) == value
                                         for name, value in match.items())]
    return row


def test_statistics_per_body_count_rate_and_time_the_years_letters(cluster, letters):
    rows = letter_statistics(year=2026, group_by=("body",), today=TODAY)
    assert [row.body for row in rows] == [cluster.education, cluster.health, None]
    education = row_of(rows, body=cluster.education)
    assert (education.received, education.answered, education.answered_on_time) == (3, 2, 1)
    assert education.average_handling_days == Decimal("4.5")
    assert education.reply_rate == Decimal("66.7")
    assert education.on_time_rate == Decimal("50.0")
    assert education.satisfaction_rate == Decimal("50.0")
    assert education.overdue_now == 1  # C, due 23 March
    health = row_of(rows, body=cluster.health)
    assert (health.received, health.answered, health.overdue_now) == (1, 0, 1)  # E merged
    assert health.reply_rate == Decimal("0.0")
    assert health.on_time_rate is None and health.average_handling_days is None
    assert health.satisfaction_rate is None
    unassigned = row_of(rows, body=None)
    assert unassigned.received == 1 and unassigned.label == "未分办"
    assert education.label == "示例市教育局"


def test_the_total_row_recomputes_rates_from_the_sums(cluster, letters):
    total = statistics_total(letter_statistics(year=2026, today=TODAY))
    assert total.is_total and total.label == "合计"
    assert (total.received, total.answered, total.answered_on_time) == (5, 2, 1)
    assert total.reply_rate == Decimal("40.0")
    assert total.average_handling_days == Decimal("4.5")
    assert total.overdue_now == 2


def test_statistics_per_month_list_every_month_of_the_year(cluster, letters):
    rows = letter_statistics(year=2026, group_by=("month",), today=TODAY)
    assert [row.month for row in rows] == list(range(1, 13))
    assert [row.received for row in rows] == [0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert rows[2].label == "3月"
    (march,) = letter_statistics(year=2026, month=3, group_by=("month",), today=TODAY)
    assert march.received == 5
    assert letter_statistics(year=2026, month=4, group_by=("month",), today=TODAY)[0].received == 0
    (december,) = letter_statistics(year=2025, month=12, group_by=("month",), today=TODAY)
    assert december.received == 1 and december.overdue_now == 1


def test_statistics_per_kind_list_every_active_kind_in_order(cluster, letters):
    rows = letter_statistics(year=2026, group_by=("kind",), today=TODAY)
    assert [row.kind.code for row in rows] == ["zixun", "qiuzhu", "tousu", "jianyi", "piping"]
    assert [row.received for row in rows] == [4, 0, 1, 0, 0]
    assert row_of(rows, kind=LetterKind.objects.get(code="tousu")).overdue_now == 1


def test_statistics_filter_by_body_and_kind_and_combine_groups(cluster, letters):
    zixun = LetterKind.objects.get(code="zixun")
    (row,) = letter_statistics(year=2026, body=cluster.education, kind=zixun, today=TODAY)
    assert (row.body, row.received, row.answered) == (cluster.education, 2, 2)
    (empty,) = letter_statistics(year=2026, body=cluster.district, today=TODAY)
    assert empty.body == cluster.district and empty.received == 0
    rows = letter_statistics(year=2026, group_by=("body", "kind"), today=TODAY)
    assert row_of(rows, body=cluster.education, kind=zixun).received == 2
    assert row_of(rows, body=cluster.education, kind=zixun).label == "示例市教育局 · 咨询"
    scoped = letter_statistics(year=2026, body=[cluster.education, cluster.health], today=TODAY)
    assert [row.body for row in scoped] == [cluster.education, cluster.health]


def test_overdue_now_depends_on_today(cluster, letters):
    (education,) = letter_statistics(year=2026, body=cluster.education, today=date(2026, 3, 23))
    assert education.overdue_now == 0  # due today is not overdue yet
    (education,) = letter_statistics(year=2026, body=cluster.education, today=date(2026, 3, 24))
    assert education.overdue_now == 1


def test_statistics_cost_the_same_queries_for_few_letters_or_many(cluster, clock):
    clock.move_to("2026-03-02 09:00 +0800")
    make_letter(cluster=cluster, addressed_body=cluster.education)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            for group_by in (("body",), ("kind",), ("month",), ("body", "kind", "month")):
                letter_statistics(year=2026, group_by=group_by, today=TODAY)
        return len(captured)

    few = queries()
    for body in (cluster.health, cluster.district, cluster.city):
        letter = make_letter(cluster=cluster, addressed_body=body, kind_code="jianyi")
        answer_letter(letter, cluster)
    assert queries() == few


def test_unknown_groups_are_refused():
    with pytest.raises(ValueError):
        letter_statistics(year=2026, group_by=("weekday",))


def test_rates_are_one_decimal_percentages_or_none():
    assert percentage(2, 3) == Decimal("66.7")
    assert percentage(1, 8) == Decimal("12.5")
    assert percentage(0, 0) is None
    row = StatisticsRow(received=3, answered=1, answered_on_time=1, handling_days_total=4)
    assert (row.reply_rate, row.on_time_rate, row.average_handling_days) == (
        Decimal("33.3"), Decimal("100.0"), Decimal("4.0"))


# --- workbook ----------------------------------------------------------------------------------


def test_the_workbook_has_four_sheets_with_bold_headers_numbers_and_totals(cluster, letters):
    workbook = openpyxl.load_workbook(io.BytesIO(statistics_workbook(year=2026, today=TODAY)))
    assert workbook.sheetnames == ["按单位", "按类型", "按月份", "超期未答复"]
    by_body = workbook["按单位"]
    assert by_body["A1"].value == "承办单位" and by_body["A1"].font.bold
    values = list(by_body.iter_rows(min_row=2, values_only=True))
    assert values[0][:4] == ("示例市教育局", 3, 2, 1)
    assert values[0][4] == pytest.approx(4.5) and values[0][5] == pytest.approx(66.7)
    assert isinstance(values[0][1], int)
    assert values[-1][0] == "合计" and values[-1][1] == 5
    assert by_body.cell(row=by_body.max_row, column=1).font.bold
    assert values[2][0] == "未分办" and values[2][6] is None  # no ratings: no rate
    assert [row[0] for row in workbook["按月份"].iter_rows(min_row=2, values_only=True)][:3] == [
        "1月", "2月", "3月"]
    overdue = list(workbook["超期未答复"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in overdue] == [letters["D"].number, letters["C"].number]
    assert overdue[0][3] == "示例市卫生健康委员会"
    assert overdue[0][5].date() == date(2026, 3, 10) and overdue[0][6] == 11
    assert workbook["超期未答复"]["A1"].font.bold


def test_the_workbook_of_one_body_holds_only_its_letters(cluster, letters):
    workbook = openpyxl.load_workbook(io.BytesIO(
        statistics_workbook(year=2026, body=cluster.health, today=TODAY)))
    assert [row[0] for row in workbook["按单位"].iter_rows(min_row=2, values_only=True)] == [
        "示例市卫生健康委员会", "合计"]
    assert [row[0] for row in workbook["超期未答复"].iter_rows(min_row=2, values_only=True)] == [
        letters["D"].number]


# --- unanswered for more than three months ------------------------------------------------------


@pytest.mark.parametrize("day, months, expected", [
    (date(2026, 6, 15), 3, date(2026, 3, 15)),
    (date(2026, 5, 31), 3, date(2026, 2, 28)),
    (date(2024, 5, 31), 3, date(2024, 2, 29)),
    (date(2026, 2, 10), 3, date(2025, 11, 10)),
    (date(2026, 1, 31), 1, date(2025, 12, 31)),
])
def test_months_before_counts_calendar_months_and_clamps_to_the_month_end(day, months, expected):
    assert months_before(day, months) == expected


def test_unanswered_over_three_months_lists_open_letters_of_the_last_year(cluster, letters, clock):
    clock.move_to("2025-06-14 10:00 +0800")
    too_old = make_letter(cluster=cluster, addressed_body=cluster.education)
    clock.move_to("2026-03-14 10:00 +0800")
    just_over = make_letter(cluster=cluster, addressed_body=cluster.health)
    clock.move_to("2026-03-15 10:00 +0800")
    exactly_three = make_letter(cluster=cluster, addressed_body=cluster.health)
    today = date(2026, 6, 15)  # three months before: 15 March; a year before: 15 June 2025
    numbers = [letter.number for letter in letters_unanswered_over_three_months(today=today)]
    assert numbers == [letters["G"].number, letters["C"].number, letters["D"].number,
                       letters["H"].number, just_over.number]
    assert too_old.number not in numbers and exactly_three.number not in numbers
    assert letters["A"].number not in numbers and letters["E"].number not in numbers
    health = letters_unanswered_over_three_months(today=today, body=cluster.health)
    assert [letter.number for letter in health] == [letters["D"].number, just_over.number]
    # seen from 25 March the letter of June 2025 is within the year again, the others too new
    assert [letter.number for letter in letters_unanswered_over_three_months(
        today=date(2026, 3, 25))] == [too_old.number, letters["G"].number]
