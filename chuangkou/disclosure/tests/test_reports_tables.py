"""Annual report tables (国办公开办函〔2021〕30号) built from a year of known data."""

from datetime import date

import pytest
import time_machine

from chuangkou.disclosure.annual_report import (
    APPLICANT_COLUMNS,
    build_tables,
    cell_values,
    cross_check,
    empty_counts,
    tables_from_counts,
)
from chuangkou.disclosure.choices import (
    AppealKind,
    AppealOutcome,
    ApplicationStatus,
    Genre,
    ResponseKind,
    Validity,
)
from chuangkou.disclosure.report_rules import report_due
from chuangkou.disclosure.tests.factories_reports import (
    ApplicationFactory,
    make_answered,
    make_appeal,
    make_open,
    make_record,
)
from chuangkou.organizations.choices import BodyKind

NP, CE, RI, PW, LS, OT = ("natural_person", "commercial_enterprise", "research_institution",
                          "public_welfare_organisation", "legal_service_provider", "other")
COLUMNS = [key for key, _label in APPLICANT_COLUMNS]

# Every cell of table 三 for the data set of ``year_of_applications`` (columns: 自然人, 商业企业,
# 科研机构, 社会公益组织, 法律服务机构, 其他, 总计).
EXPECTED_TABLE_THREE = {
    "1": [26, 4, 1, 1, 3, 2, 37],
    "2": [2, 1, 1, 0, 0, 0, 4],
    "3.1": [5, 2, 1, 0, 1, 0, 9],
    "3.2": [1, 1, 0, 0, 0, 0, 2],
    "3.3.1": [1, 0, 0, 0, 0, 0, 1],
    "3.3.2": [1, 0, 0, 0, 0, 0, 1],
    "3.3.3": [1, 0, 0, 0, 0, 0, 1],
    "3.3.4": [1, 1, 0, 0, 0, 0, 2],
    "3.3.5": [1, 0, 0, 0, 0, 0, 1],
    "3.3.6": [1, 0, 0, 0, 0, 1, 2],
    "3.3.7": [1, 0, 0, 0, 0, 0, 1],
    "3.3.8": [1, 0, 0, 0, 0, 0, 1],
    "3.4.1": [1, 1, 0, 1, 0, 0, 3],
    "3.4.2": [1, 0, 0, 0, 0, 0, 1],
    "3.4.3": [1, 0, 0, 0, 0, 0, 1],
    "3.5.1": [1, 0, 0, 0, 0, 0, 1],
    "3.5.2": [2, 0, 0, 0, 0, 0, 2],
    "3.5.3": [1, 0, 0, 0, 0, 0, 1],
    "3.5.4": [1, 0, 0, 0, 0, 0, 1],
    "3.5.5": [1, 0, 0, 0, 0, 0, 1],
    "3.6.1": [1, 0, 0, 0, 1, 0, 2],
    "3.6.2": [1, 0, 0, 0, 0, 0, 1],
    "3.6.3": [1, 0, 0, 0, 0, 0, 1],
    "3.7": [26, 5, 1, 1, 2, 1, 36],
    "4": [2, 0, 1, 0, 1, 1, 5],
}
EXPECTED_TABLE_TWO = {
    "regulation": {"issued": 1, "repealed": 1, "in_force": 2},
    "normative_document": {"issued": 3, "repealed": 1, "in_force": 2},
    "licensing": {"decisions": 120},
    "penalty": {"decisions": 8},
    "coercion": {"decisions": 2},
    "fees": {"fee_income": "1.25"},
}
EXPECTED_TABLE_FOUR = [2, 1, 0, 2, 5, 0, 0, 1, 0, 1, 0, 0, 0, 1, 1]
EDITED = {"licensing_decisions": 120, "penalty_decisions": 8, "coercion_decisions": 2,
          "fee_income": "1.2500"}

NEW_AND_CONCLUDED_IN_2025 = [
    *[(NP, ResponseKind.DISCLOSED)] * 3,
    (NP, ResponseKind.PARTIALLY_DISCLOSED),
    (NP, ResponseKind.REFUSED_STATE_SECRET), (NP, ResponseKind.REFUSED_OTHER_LAW),
    (NP, ResponseKind.REFUSED_SECURITY_STABILITY), (NP, ResponseKind.REFUSED_THIRD_PARTY),
    (NP, ResponseKind.REFUSED_INTERNAL_AFFAIRS), (NP, ResponseKind.REFUSED_PROCESS_INFORMATION),
    (NP, ResponseKind.REFUSED_ENFORCEMENT_FILE), (NP, ResponseKind.REFUSED_ADMINISTRATIVE_QUERY),
    (NP, ResponseKind.NOT_HELD), (NP, ResponseKind.NEEDS_NEW_PROCESSING),
    (NP, ResponseKind.STILL_UNCLEAR),
    (NP, ResponseKind.NOT_PROCESSED_PETITION), *[(NP, ResponseKind.NOT_PROCESSED_REPEATED)] * 2,
    (NP, ResponseKind.NOT_PROCESSED_PUBLICATION), (NP, ResponseKind.NOT_PROCESSED_EXCESSIVE),
    (NP, ResponseKind.NOT_PROCESSED_CONFIRMATION),
    (NP, ResponseKind.OTHER_NO_CORRECTION), (NP, ResponseKind.OTHER_UNPAID_FEE),
    (NP, ResponseKind.OTHER),
    *[(CE, ResponseKind.DISCLOSED)] * 2, (CE, ResponseKind.PARTIALLY_DISCLOSED),
    (CE, ResponseKind.REFUSED_THIRD_PARTY),
    (RI, ResponseKind.DISCLOSED),
    (LS, ResponseKind.DISCLOSED), (LS, ResponseKind.OTHER_NO_CORRECTION),
    (OT, ResponseKind.REFUSED_PROCESS_INFORMATION),
]


@pytest.fixture
def year_of_applications(cluster):
    """A year (2025) of the education bureau's disclosure work with known outcomes."""
    body, other = cluster.education, cluster.health
    # Carried over from 2024 and answered in 2025; one still open at the end of 2025.
    for _ in range(2):
        make_answered(body=body, column=NP, kind=ResponseKind.DISCLOSED,
                      received_on=date(2024, 12, 20), closed_on=date(2025, 1, 10))
    make_answered(body=body, column=CE, kind=ResponseKind.NOT_HELD,
                  received_on=date(2024, 12, 28), closed_on=date(2025, 1, 15))
    make_open(body=body, column=RI, received_on=date(2024, 11, 1),
              status=ApplicationStatus.CONSULTING)
    # Concluded in 2024: in no row of 2025.
    make_answered(body=body, column=NP, kind=ResponseKind.DISCLOSED,
                  received_on=date(2024, 6, 1), closed_on=date(2024, 7, 1))
    # Submitted but receipt not yet confirmed (条例 第三十一条): not counted.
    make_open(body=body, column=NP, received_on=None,
              status=ApplicationStatus.AWAITING_CONFIRMATION)
    for day, (column, kind) in enumerate(NEW_AND_CONCLUDED_IN_2025, start=1):
        make_answered(body=body, column=column, kind=kind, received_on=date(2025, 3, day % 28 + 1),
                      closed_on=date(2025, 4, day % 28 + 1))
    # Transferred to the health commission (条例 第三十六条第（五）项): answered here as not
    # held, received there as a new application of its own.
    transferred = make_answered(body=body, column=PW, kind=ResponseKind.NOT_HELD,
                                received_on=date(2025, 5, 6), closed_on=date(2025, 5, 10),
                                status=ApplicationStatus.TRANSFERRED)
    make_open(body=other, column=PW, received_on=date(2025, 5, 10),
              transferred_from=transferred)
    # Still open at the end of 2025.
    make_open(body=body, column=NP, received_on=date(2025, 12, 29))
    make_open(body=body, column=NP, received_on=date(2025, 12, 1),
              status=ApplicationStatus.AWAITING_CORRECTION)
    make_open(body=body, column=LS, received_on=date(2025, 12, 15))
    make_answered(body=body, column=OT, kind=ResponseKind.DISCLOSED,
                  received_on=date(2025, 12, 20), closed_on=date(2026, 1, 8))
    # Another body's application is never counted here.
    make_answered(body=other, column=NP, kind=ResponseKind.DISCLOSED,
                  received_on=date(2025, 2, 1), closed_on=date(2025, 2, 10))

    # Table 二: regulations and normative documents.
    make_record(body=body, genre=Genre.REGULATION, written_on=date(2025, 3, 1))
    make_record(body=body, genre=Genre.REGULATION, written_on=date(2023, 5, 1),
                validity=Validity.REPEALED, validity_changed_on=date(2025, 6, 1))
    make_record(body=body, genre=Genre.REGULATION, written_on=date(2024, 9, 1))
    make_record(body=body, genre=Genre.REGULATION, written_on=date(2026, 1, 5))
    make_record(body=body, genre=Genre.NORMATIVE_DOCUMENT, written_on=date(2025, 2, 1))
    make_record(body=body, genre=Genre.NORMATIVE_DOCUMENT, written_on=date(2025, 4, 1),
                validity=Validity.LAPSED, validity_changed_on=date(2026, 2, 1))
    make_record(body=body, genre=Genre.NORMATIVE_DOCUMENT, written_on=date(2022, 1, 1),
                validity=Validity.LAPSED, validity_changed_on=date(2024, 5, 1))
    make_record(body=body, genre=Genre.NORMATIVE_DOCUMENT, written_on=date(2025, 5, 1),
                validity=Validity.REPEALED, validity_changed_on=date(2025, 11, 1))
    make_record(body=body, genre=Genre.NOTICE, written_on=date(2025, 5, 1))
    make_record(body=other, genre=Genre.REGULATION, written_on=date(2025, 5, 1))

    # Table 四.
    review = AppealKind.ADMINISTRATIVE_REVIEW
    for _ in range(2):
        make_appeal(body=body, kind=review, filed_on=date(2025, 2, 1),
                    outcome=AppealOutcome.UPHELD, concluded_on=date(2025, 5, 1))
    make_appeal(body=body, kind=review, filed_on=date(2025, 3, 1),
                outcome=AppealOutcome.CORRECTED, concluded_on=date(2025, 6, 1))
    make_appeal(body=body, kind=review, filed_on=date(2025, 11, 1))
    make_appeal(body=body, kind=review, filed_on=date(2025, 11, 20),
                outcome=AppealOutcome.UPHELD, concluded_on=date(2026, 1, 20))
    make_appeal(body=body, kind=AppealKind.LAWSUIT_DIRECT, filed_on=date(2025, 4, 1),
                outcome=AppealOutcome.OTHER, concluded_on=date(2025, 10, 1))
    make_appeal(body=body, kind=AppealKind.LAWSUIT_DIRECT, filed_on=date(2024, 4, 1))
    make_appeal(body=body, kind=AppealKind.LAWSUIT_AFTER_REVIEW, filed_on=date(2025, 7, 1))
    make_appeal(body=other, kind=review, filed_on=date(2025, 7, 1))
    return body


def rows_as_lists(grid: dict) -> dict:
    return {row: [values[column] for column in COLUMNS] for row, values in grid.items()}


@time_machine.travel("2026-01-25 10:00 +0800")
def test_every_cell_of_table_three_matches_a_year_of_known_applications(year_of_applications):
    tables = build_tables(body=year_of_applications, year=2025, edited=EDITED)
    assert rows_as_lists(cell_values(tables, "applications")) == EXPECTED_TABLE_THREE


@time_machine.travel("2026-01-25 10:00 +0800")
def test_tables_two_and_four_and_the_cross_check_match_the_known_year(year_of_applications):
    tables = build_tables(body=year_of_applications, year=2025, edited=EDITED)
    assert cell_values(tables, "proactive") == EXPECTED_TABLE_TWO
    assert list(cell_values(tables, "appeals")["cases"].values()) == EXPECTED_TABLE_FOUR
    assert cross_check(tables) == []
    assert tables["cross_check"] == []


@time_machine.travel("2026-01-25 10:00 +0800")
def test_a_closed_application_without_a_response_makes_the_cross_check_name_its_column(
        year_of_applications):
    ApplicationFactory(body=year_of_applications, received_on=date(2025, 6, 1),
                       closed_on=date(2025, 6, 20), status=ApplicationStatus.ANSWERED,
                       applicant_kind="legal_person", organisation_kind=RI)
    problems = cross_check(build_tables(body=year_of_applications, year=2025))
    assert [(p.column_label, p.difference) for p in problems] == [("科研机构", 1), ("总计", 1)]
    assert "科研机构" in problems[0].message and "相差1" in problems[0].message


def test_the_table_query_count_stays_constant_as_applications_grow(
        cluster, django_assert_num_queries):
    body = cluster.education
    make_answered(body=body, column=NP, kind=ResponseKind.DISCLOSED,
                  received_on=date(2025, 3, 1), closed_on=date(2025, 3, 5))
    with django_assert_num_queries(4):
        build_tables(body=body, year=2025)
    for index in range(20):
        make_answered(body=body, column=[NP, CE, OT][index % 3],
                      kind=[ResponseKind.DISCLOSED, ResponseKind.NOT_HELD][index % 2],
                      received_on=date(2025, 3, 1), closed_on=date(2025, 3, 5))
        make_appeal(body=body, filed_on=date(2025, 4, 1))
        make_record(body=body, genre=Genre.REGULATION, written_on=date(2025, 1, 2))
    with django_assert_num_queries(4):
        build_tables(body=body, year=2025)


def test_a_body_without_activity_reports_zero_in_every_cell_and_passes_the_check():
    tables = tables_from_counts(empty_counts(2025))
    grid = cell_values(tables, "applications")
    assert len(grid) == 25 and all(value == 0 for row in grid.values() for value in row.values())
    assert len(cell_values(tables, "appeals")["cases"]) == 15
    assert cross_check(tables) == []


def test_table_three_totals_add_the_result_rows_and_the_columns():
    counts = empty_counts(2025)
    counts["applications"]["new"][NP] = 3
    counts["applications"]["results"]["3.3.4"][CE] = 2
    counts["applications"]["results"]["3.1"][NP] = 1
    counts["applications"]["carried_forward"][NP] = 2
    grid = cell_values(tables_from_counts(counts), "applications")
    assert grid["3.7"][NP] == 1 and grid["3.7"][CE] == 2 and grid["3.7"]["total"] == 3
    assert grid["1"]["total"] == 3


def test_table_three_layout_follows_the_official_order_and_labels():
    block = tables_from_counts(empty_counts(2025))["tables"][1]["blocks"][0]
    labels = [row["label"] for row in block["rows"]]
    assert labels[0] == "一、本年新收政府信息公开申请数量"
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]
    assert [column["label"] for column in block["columns"]] == [
        "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    headings = [row["label"] for row in block["rows"] if row["values"] is None]
    assert headings == ["三、本年度办理结果", "（三）不予公开", "（四）无法提供", "（五）不予处理",
                        "（六）其他处理"]


def test_a_department_report_is_due_before_31_january_and_a_government_report_before_31_march():
    department = report_due(body_kind=BodyKind.DEPARTMENT, year=2025)
    government = report_due(body_kind=BodyKind.DISTRICT_GOVERNMENT, year=2025)
    assert department.due_on == date(2026, 1, 31)
    assert government.due_on == date(2026, 3, 31)
    assert "第四十九条" in department.rule.source and "第四十九条" in government.text
