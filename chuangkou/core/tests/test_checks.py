"""core.W002: staff are warned while next year's holidays are unknown to the working-day
calendar (neither shipped by chinesecalendar nor entered from the State Council's notice)."""

from datetime import date, datetime

import pytest
import time_machine
from django.core.checks import Tags, run_checks
from django.core.checks import Warning as CheckWarning

from chuangkou.core.actions import set_working_day_override
from chuangkou.core.checks import next_years_holidays_are_known

pytestmark = pytest.mark.django_db

IN_2026 = datetime(2026, 11, 22, 9, 0).astimezone()
IN_2025 = datetime(2025, 6, 1, 9, 0).astimezone()


def test_next_year_without_library_data_or_overrides_gives_a_warning_naming_the_notice():
    with time_machine.travel(IN_2026, tick=False):
        found = next_years_holidays_are_known(databases=["default"])
    assert len(found) == 1
    assert isinstance(found[0], CheckWarning)
    assert found[0].id == "core.W002"
    assert "2027" in found[0].msg
    assert "国务院办公厅关于2027年部分节假日安排的通知" in found[0].hint
    assert "工作日历" in found[0].hint


def test_one_entered_day_of_next_years_notice_silences_the_warning():
    set_working_day_override(day=date(2027, 1, 1), is_working_day=False, name="元旦",
                             source="国务院办公厅关于2027年部分节假日安排的通知")
    with time_machine.travel(IN_2026, tick=False):
        assert next_years_holidays_are_known(databases=["default"]) == []


def test_an_override_of_another_year_does_not_silence_the_warning():
    set_working_day_override(day=date(2028, 1, 1), is_working_day=False, name="元旦",
                             source="国务院办公厅关于2028年部分节假日安排的通知")
    with time_machine.travel(IN_2026, tick=False):
        assert [w.id for w in next_years_holidays_are_known(databases=["default"])] == [
            "core.W002"]


def test_no_warning_when_chinesecalendar_ships_next_year(django_assert_num_queries):
    with time_machine.travel(IN_2025, tick=False), django_assert_num_queries(0):
        assert next_years_holidays_are_known(databases=["default"]) == []


def test_a_check_without_a_database_does_not_query_and_does_not_warn(django_assert_num_queries):
    with time_machine.travel(IN_2026, tick=False), django_assert_num_queries(0):
        assert next_years_holidays_are_known() == []
        ids = [message.id for message in run_checks(include_deployment_checks=False)]
    assert "core.W002" not in ids


def test_the_check_runs_with_the_database_checks_that_migrate_runs():
    with time_machine.travel(IN_2026, tick=False):
        ids = [message.id for message in run_checks(tags=[Tags.database],
                                                    databases=["default"])]
    assert "core.W002" in ids
