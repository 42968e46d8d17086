import pytest

from chuangkou.disclosure.choices import ResponseKind
from chuangkou.disclosure.response_kinds import RESPONSE_KINDS

# 国办公开办函〔2021〕30号 表三 "三、本年度办理结果": every row a response can land in.
OFFICIAL_RESULT_ROWS = (
    "3.1", "3.2",
    "3.3.1", "3.3.2", "3.3.3", "3.3.4", "3.3.5", "3.3.6", "3.3.7", "3.3.8",
    "3.4.1", "3.4.2", "3.4.3",
    "3.5.1", "3.5.2", "3.5.3", "3.5.4", "3.5.5",
    "3.6.1", "3.6.2", "3.6.3",
)


def test_every_response_kind_has_exactly_one_annual_report_row():
    assert set(RESPONSE_KINDS) == set(ResponseKind.values)
    rows = [rule.report_row for rule in RESPONSE_KINDS.values()]
    assert len(rows) == len(set(rows))


def test_the_response_kinds_cover_every_result_row_of_the_annual_report():
    assert sorted(rule.report_row for rule in RESPONSE_KINDS.values()) == sorted(
        OFFICIAL_RESULT_ROWS
    )


@pytest.mark.parametrize("kind", ResponseKind.values)
def test_each_response_kind_cites_its_source_and_opens_a_letter(kind):
    rule = RESPONSE_KINDS[kind]
    assert rule.source.startswith("条例") and rule.letter_opening.endswith("。")


def test_only_the_no_correction_and_unpaid_fee_kinds_close_without_substance():
    assert {kind for kind, rule in RESPONSE_KINDS.items() if rule.closes_without_substance} == {
        ResponseKind.OTHER_NO_CORRECTION, ResponseKind.OTHER_UNPAID_FEE,
    }
