"""The application form built from the item's online form: every field kind's validation
message names the field; applicant fields by audience; materials."""

from decimal import Decimal

import pytest
from django.utils.datastructures import MultiValueDict

from ..choices import Audience, FormFieldKind, RequiredIdentity
from ..forms.applications import QueryForm, SupplementForm, build_application_form
from .factories import make_item
from .test_applications_support import add_field, pdf, required_material

pytestmark = pytest.mark.django_db

VALID_APPLICANT = {"name": "李建华", "phone": "13912345678", "form_token": "t"}


@pytest.fixture
def item(cluster):
    return make_item(body=cluster.education, with_form=False)


def _errors(item, answers, files=None):
    files = files if files is not None else {
        f"material_{required_material(item).pk}": [pdf()]}
    form = build_application_form(item)({**VALID_APPLICANT, **answers}, MultiValueDict(files))
    form.is_valid()
    return form


@pytest.mark.parametrize(("kind", "extra", "value", "message"), [
    (FormFieldKind.TEXT, {"max_length": 4}, "", "请填写学生姓名。"),
    (FormFieldKind.TEXT, {"max_length": 4}, "李小明明明", "学生姓名不能超过4个字（现有5个字）。"),
    (FormFieldKind.TEXTAREA, {"max_length": 3}, "很长的说明", "学生姓名不能超过3个字（现有5个字）。"),
    (FormFieldKind.INTEGER, {"min_value": Decimal(1)}, "abc", "学生姓名须为整数。"),
    (FormFieldKind.INTEGER, {"min_value": Decimal(1)}, "0", "学生姓名不能小于1。"),
    (FormFieldKind.INTEGER, {"max_value": Decimal(9)}, "10", "学生姓名不能大于9。"),
    (FormFieldKind.DECIMAL, {"max_value": Decimal("99.5")}, "100", "学生姓名不能大于99.50。"),
    (FormFieldKind.DECIMAL, {}, "1.234", "学生姓名最多保留两位小数。"),
    (FormFieldKind.DECIMAL, {}, "x", "学生姓名须为数字。"),
    (FormFieldKind.DATE, {}, "2026-02-30", "学生姓名须为有效日期，格式如 2026-09-01。"),
    (FormFieldKind.EMAIL, {}, "nobody", "学生姓名格式不正确，例如 wang@example.cn。"),
    (FormFieldKind.PHONE, {}, "12345678901", "学生姓名应为以1开头的11位手机号码。"),
    (FormFieldKind.RESIDENT_ID, {}, "110105194912310021",
     "居民身份证号码校验位不正确（GB 11643），请核对。"),
    (FormFieldKind.CREDIT_CODE, {}, "91330100MA2B3C4D5X",
     "统一社会信用代码应为18位且校验位正确（GB 32100），请核对。"),
    (FormFieldKind.CHOICE, {"choices": "甲\n乙"}, "丙", "请从列出的选项中选择学生姓名。"),
    (FormFieldKind.CHOICE, {"choices": "甲\n乙"}, "", "请选择学生姓名。"),
    (FormFieldKind.TEXT, {"pattern": r"[A-Z]{2}\d{4}", "pattern_message": "应为两个大写字母加四位数字。"},
     "ab12", "应为两个大写字母加四位数字。"),
])
def test_each_field_kind_names_itself_in_its_message(item, kind, extra, value, message):
    add_field(item, "student_name", kind, label="学生姓名", **extra)
    form = _errors(item, {"answer_student_name": value})
    assert form.errors["answer_student_name"] == [message]
    summary = [f"{entry['label']}：{entry['message']}" for entry in form.error_summary()]
    assert f"学生姓名：{message}" in summary


def test_multiple_choice_and_checkbox(item):
    add_field(item, "needs", FormFieldKind.MULTIPLE_CHOICE, label="所需服务",
              choices="接送\n午餐")
    add_field(item, "confirm", FormFieldKind.CHECKBOX, label="我确认所填信息真实")
    form = _errors(item, {"answer_needs": ["晚餐"]})
    assert form.errors["answer_needs"] == ["请从列出的选项中选择所需服务。"]
    assert form.errors["answer_confirm"] == ["请勾选“我确认所填信息真实”。"]
    good = _errors(item, {"answer_needs": ["接送", "午餐"], "answer_confirm": "on"})
    assert good.is_valid(), good.errors
    assert good.answers() == {"needs": ["接送", "午餐"], "confirm": True}


def test_optional_fields_and_json_answers(item):
    add_field(item, "born", FormFieldKind.DATE, label="出生日期")
    add_field(item, "income", FormFieldKind.DECIMAL, label="月收入", is_required=False)
    form = _errors(item, {"answer_born": "2015-06-01", "answer_income": ""})
    assert form.is_valid(), form.errors
    assert form.answers() == {"born": "2015-06-01", "income": None}
    assert "（选填）" in str(form["answer_income"].label)


def test_required_material_and_file_count(item):
    material = required_material(item)
    missing = _errors(item, {}, files={})
    assert missing.errors[f"material_{material.pk}"] == ["请上传“转学申请表”的电子件。"]
    many = _errors(item, {}, files={f"material_{material.pk}": [pdf(f"{n}.pdf")
                                                                 for n in range(6)]})
    assert many.errors[f"material_{material.pk}"] == ["“转学申请表”最多上传5个文件。"]


def test_applicant_fields_follow_the_audience(cluster):
    person = build_application_form(make_item(body=cluster.education, with_form=False))
    assert "enterprise_name" not in person.base_fields and "kind" not in person.base_fields
    enterprise = make_item(body=cluster.education, with_form=False,
                           audience=Audience.ENTERPRISE)
    form = build_application_form(enterprise)(
        {**VALID_APPLICANT, "credit_code": "123"},
        MultiValueDict({f"material_{required_material(enterprise).pk}": [pdf()]}))
    assert not form.is_valid()
    assert form.errors["enterprise_name"] == ["请填写单位名称。"]
    assert "GB 32100" in form.errors["credit_code"][0]
    assert "resident_id" not in form.fields
    both = build_application_form(make_item(body=cluster.education, with_form=False,
                                            audience=Audience.BOTH))
    assert "kind" in both.base_fields


def test_real_name_item_needs_the_resident_id(cluster):
    item = make_item(body=cluster.education, with_form=False,
                     required_identity=RequiredIdentity.REAL_NAME)
    form = _errors(item, {})
    assert form.errors["resident_id"] == ["本事项须实名申请，请填写居民身份证号码。"]
    bad_phone = _errors(item, {"phone": "1391234"})
    assert bad_phone.errors["phone"] == ["手机号码应为以1开头的11位手机号码。"]


def test_query_and_supplement_forms(cluster):
    query = QueryForm({"number": "", "code": ""})
    assert not query.is_valid()
    assert query.errors["number"] == ["请填写办件编号。"]
    assert query.errors["code"] == ["请填写查询码。"]
    supplement = SupplementForm({"note": ""}, {})
    assert not supplement.is_valid()
    assert supplement.errors["uploads"] == ["请上传补正材料或填写补正说明。"]
