"""办事指南要素完整 (regulations.md §6; 国办秘函〔2019〕19号): each key element, one test each."""

from types import SimpleNamespace

import pytest

from ..choices import ServiceItemKind
from ..completeness import KEY_ELEMENTS, is_complete, missing_elements


def complete_item(**changes):
    values = {
        "kind": ServiceItemKind.ADMINISTRATIVE_LICENSING,
        "legal_basis": "《中华人民共和国行政许可法》", "acceptance_conditions": "符合条件的申请人。",
        "process_description": "", "place": "政务服务中心", "office_hours": "工作日",
        "legal_time_limit_days": 20, "promised_time_limit_days": 5, "charges_fee": False,
        "fee_standard": "", "consultation_phone": "0571-1234567", "complaint_phone": "12345",
    }
    values.update(changes)
    return SimpleNamespace(**values)


MATERIALS = [object()]
STEPS = [object()]


def missing(item, materials=MATERIALS, steps=STEPS):
    return missing_elements(item, materials=materials, steps=steps)


def test_a_complete_item_lacks_nothing():
    assert missing(complete_item()) == []
    assert is_complete(complete_item(), materials=MATERIALS, steps=STEPS)


@pytest.mark.parametrize(("field", "element"), [
    ("legal_basis", "设定依据"),
    ("acceptance_conditions", "受理条件"),
    ("place", "办理地点"),
    ("office_hours", "办理时间"),
    ("consultation_phone", "咨询电话"),
    ("complaint_phone", "监督投诉电话"),
])
def test_an_empty_text_element_is_missing(field, element):
    assert missing(complete_item(**{field: ""})) == [element]
    assert missing(complete_item(**{field: "   "})) == [element]
    assert not is_complete(complete_item(**{field: ""}), materials=MATERIALS, steps=STEPS)


def test_no_materials_means_the_materials_element_is_missing():
    assert missing(complete_item(), materials=[]) == ["申请材料"]


def test_no_steps_and_no_description_means_the_process_is_missing():
    assert missing(complete_item(), steps=[]) == ["办理流程"]


def test_a_written_process_description_stands_in_for_steps():
    assert missing(complete_item(process_description="受理、审查、决定。"), steps=[]) == []


def test_an_administrative_power_without_a_statutory_limit_is_incomplete():
    assert missing(complete_item(legal_time_limit_days=None)) == ["法定时限"]


def test_a_public_service_may_have_no_statutory_limit():
    item = complete_item(kind=ServiceItemKind.PUBLIC_SERVICE, legal_time_limit_days=None)
    assert missing(item) == []


def test_a_zero_day_statutory_limit_counts_as_present():
    assert missing(complete_item(legal_time_limit_days=0, promised_time_limit_days=0)) == []


def test_the_promised_limit_is_always_present_even_for_instant_items():
    assert "承诺时限" not in missing(complete_item(promised_time_limit_days=0))


def test_a_fee_without_a_standard_is_missing_the_fee_standard():
    assert missing(complete_item(charges_fee=True)) == ["收费标准"]
    assert missing(complete_item(charges_fee=True, fee_standard="每件20元")) == []


def test_a_free_item_needs_no_fee_standard():
    assert missing(complete_item(charges_fee=False, fee_standard="")) == []


def test_missing_elements_come_in_guide_order():
    empty = complete_item(legal_basis="", acceptance_conditions="", place="", office_hours="",
                          legal_time_limit_days=None, charges_fee=True,
                          consultation_phone="", complaint_phone="")
    result = missing(empty, materials=[], steps=[])
    assert result == [name for name in KEY_ELEMENTS if name != "承诺时限"]


def test_a_service_item_model_instance_works_too():
    from ..models import ServiceItem

    item = ServiceItem(kind=ServiceItemKind.PUBLIC_SERVICE, legal_basis="依据")
    assert missing_elements(item, materials=[], steps=[]) == [
        "受理条件", "申请材料", "办理流程", "办理地点", "办理时间", "咨询电话", "监督投诉电话"]
