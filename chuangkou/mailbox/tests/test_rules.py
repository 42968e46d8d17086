"""The pure rules of the mailbox: default kinds, deadlines on the working-day calendar, keyword
matching, numbers, query codes and text cleaning."""

import importlib
from datetime import date

from chuangkou.core.calendar import WorkingCalendar
from chuangkou.mailbox import rules

MIGRATION = importlib.import_module("chuangkou.mailbox.migrations.0002_default_letter_kinds")
CALENDAR = WorkingCalendar()


def test_default_kinds_are_the_five_of_the_issue_with_5_to_15_working_days():
    assert [(kind.code, kind.name, kind.reply_working_days)
            for kind in rules.DEFAULT_LETTER_KINDS] == [
        ("zixun", "咨询", 5), ("qiuzhu", "求助", 10), ("tousu", "投诉", 15),
        ("jianyi", "建议", 15), ("piping", "批评", 15)]
    assert all(5 <= kind.reply_working_days <= 15 for kind in rules.DEFAULT_LETTER_KINDS)
    assert "regulations.md §8" in rules.LETTER_KIND_TIME_LIMIT_SOURCE


def test_migration_seeds_the_same_kinds_as_the_rules_module():
    assert [tuple(row) for row in MIGRATION.DEFAULT_LETTER_KINDS] == [
        (kind.code, kind.name, kind.reply_working_days, kind.description, kind.sort_order)
        for kind in rules.DEFAULT_LETTER_KINDS]


def test_reply_due_on_skips_the_spring_festival_and_counts_the_makeup_saturday():
    # 2026: Saturday 14 February is a make-up working day; 15–23 February are the holiday.
    assert rules.reply_due_on(date(2026, 2, 12), 5, 0, CALENDAR) == date(2026, 2, 26)


def test_reply_due_on_crosses_the_national_day_holiday():
    # 2026: 1–7 October off, Saturday 10 October worked.
    assert rules.reply_due_on(date(2026, 9, 29), 5, 0, CALENDAR) == date(2026, 10, 12)


def test_reply_due_on_adds_the_approved_extension_in_working_days():
    # Monday 2 March 2026 + 5 → Monday 9 March; + 3 more → Thursday 12 March.
    assert rules.reply_due_on(date(2026, 3, 2), 5, 0, CALENDAR) == date(2026, 3, 9)
    assert rules.reply_due_on(date(2026, 3, 2), 5, 3, CALENDAR) == date(2026, 3, 12)


def test_reply_due_on_follows_staff_overrides_of_the_calendar():
    calendar = WorkingCalendar({date(2026, 3, 3): False})
    assert rules.reply_due_on(date(2026, 3, 2), 1, 0, calendar) == date(2026, 3, 4)


def test_keywords_match_ignores_case_and_full_width_letters():
    assert rules.keywords_match(["WiFi"], "学校的ｗｉｆｉ信号差", "")
    assert rules.keywords_match(["停车"], "标题", "小区停车难")
    assert not rules.keywords_match(["停车"], "标题", "内容")
    assert not rules.keywords_match(["", "  "], "任何文字", "")


def test_routing_rule_without_conditions_matches_any_letter():
    assert rules.routing_rule_matches(rule_kind_id=None, rule_addressed_body_id=None,
                                      rule_keywords=[], kind_id=1, addressed_body_id=None,
                                      title="标题", content="内容")


def test_routing_rule_needs_every_condition_it_sets():
    values = {"rule_kind_id": 1, "rule_addressed_body_id": 7, "rule_keywords": ["学校"],
              "title": "学校门口拥堵", "content": ""}
    assert rules.routing_rule_matches(kind_id=1, addressed_body_id=7, **values)
    assert not rules.routing_rule_matches(kind_id=2, addressed_body_id=7, **values)
    assert not rules.routing_rule_matches(kind_id=1, addressed_body_id=None, **values)
    assert not rules.routing_rule_matches(kind_id=1, addressed_body_id=7,
                                          **{**values, "title": "医院门口拥堵"})


def test_letter_number_has_the_year_and_a_six_digit_sequence():
    assert rules.letter_number(2026, 57) == "XJ2026000057"
    assert rules.letter_number(2027, 123456) == "XJ2027123456"


def test_query_code_digest_binds_the_code_to_the_number():
    digest = rules.query_code_digest("XJ2026000001", "ABCD2345")
    assert len(digest) == 64 and "ABCD2345" not in digest
    assert rules.query_code_matches(digest, "XJ2026000001", "abcd 2345")
    assert not rules.query_code_matches(digest, "XJ2026000002", "ABCD2345")
    assert not rules.query_code_matches(digest, "XJ2026000001", "ABCD2346")


def test_query_code_alphabet_has_no_look_alike_characters():
    assert not set("01OIL") & set(rules.QUERY_CODE_ALPHABET)
    assert rules.QUERY_CODE_LENGTH == 8


def test_clean_text_removes_nul_and_control_characters_but_keeps_lines():
    assert rules.clean_text(" 第一行\r\n第二\x00行\x07\t尾\x1b ") == "第一行\n第二行\t尾"
    assert rules.clean_text("<b>粗体</b>") == "<b>粗体</b>"  # escaped when shown, not here


def test_clean_line_folds_line_breaks_into_spaces():
    assert rules.clean_line("关于\n学校\t\x00门口 ") == "关于 学校 门口"
