"""事项导入导出: the JSON and XLSX formats, every check an import makes, idempotency on 事项编码,
the round trip, the formula guard, the admin screen for every role and the two commands."""

import io
import json
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role

from ..catalogue_io import (
    FORMAT_NAME,
    IMPORT_MAX_BYTES,
    ITEM_COLUMNS,
    LISTS,
    export_catalogue,
    import_catalogue,
)
from ..choices import FormFieldKind, MaterialForm, OnlineDepth, ServiceItemKind
from ..management.commands import export_service_catalogue, import_service_catalogue
from ..models import OnlineFormField, ServiceItem, ServiceMaterial
from .factories import make_item

pytestmark = pytest.mark.django_db

MANAGER, HANDLER, SUPERVISOR = (Role.SERVICE_ITEM_MANAGER, Role.SERVICE_HANDLER,
                                Role.SERVICE_SUPERVISOR)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def item_entry(**overrides) -> dict:
    entry = {
        "code": "JY0001", "name": "义务教育阶段入学登记", "kind": "public_service",
        "implementing_body": "education", "audience": "person",
        "themes": ["person:jiaoyu"], "channels": ["shimin"],
        "legal_basis": "《中华人民共和国义务教育法》第十二条", "acceptance_conditions": "适龄儿童。",
        "place": "示例市政务服务中心二楼教育窗口", "office_hours": "工作日 9:00-17:00",
        "legal_time_limit_days": 20, "promised_time_limit_days": 5,
        "consultation_phone": "0571-87010001", "complaint_phone": "12345",
        "online_depth": 3, "delivery_methods": ["online"], "is_published": True,
        "materials": [
            {"name": "户口簿", "form": "original", "copies": 1},
            {"name": "入学登记表", "form": "electronic", "upload_required": True},
        ],
        "steps": [{"name": "受理"}, {"name": "审核", "time_limit_days": 3}, {"name": "办结"}],
        "faqs": [{"question": "非本市户籍能否登记？", "answer": "持居住证可以登记。"}],
        "form_fields": [
            {"name": "child_name", "label": "儿童姓名", "max_length": 20},
            {"name": "grade", "label": "年级", "kind": "choice", "choices": "一年级\n七年级"},
        ],
    }
    entry.update(overrides)
    return entry


def json_file(*entries) -> bytes:
    return json.dumps({"format": FORMAT_NAME, "version": 1, "items": list(entries)},
                      ensure_ascii=False).encode()


def run(data: bytes, format="json", actor=None, **kwargs):
    return import_catalogue(data=data, format=format, actor=actor, **kwargs)


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def read_workbook(data: bytes) -> dict[str, list[list]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in workbook.worksheets}


# ------------------------------------------------------------------------------ JSON import


def test_json_import_creates_the_item_with_its_lists(cluster):
    report = run(json_file(item_entry()))
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (1, 0, 0)
    item = ServiceItem.objects.get(code="JY0001")
    assert item.implementing_body == cluster.education
    assert item.is_published and item.online_depth == OnlineDepth.ONLINE_APPLICATION
    assert [t.slug for t in item.themes.all()] == ["jiaoyu"]
    assert [c.slug for c in item.channels.all()] == ["shimin"]
    assert list(item.materials.values_list("name", flat=True)) == ["户口簿", "入学登记表"]
    assert item.materials.get(name="入学登记表").upload_required
    assert list(item.steps.values_list("name", flat=True)) == ["受理", "审核", "办结"]
    assert item.faqs.count() == 1
    assert item.form_fields.get(name="grade").choice_list == ["一年级", "七年级"]
    assert report.items[0].missing == []
    event = AuditEvent.objects.get(action="services.catalogue.imported")
    assert event.data["created"] == 1


def test_reimporting_the_same_file_changes_nothing(cluster):
    data = json_file(item_entry(), item_entry(code="JY0002", name="转学申请"))
    assert run(data).created == 2
    stamps = dict(ServiceItem.objects.values_list("code", "updated_at"))
    item_events = AuditEvent.objects.filter(action__startswith="services.item.").count()
    report = run(data)
    assert report.ok
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert dict(ServiceItem.objects.values_list("code", "updated_at")) == stamps
    assert AuditEvent.objects.filter(action__startswith="services.item.").count() == item_events


def test_a_changed_row_is_updated_and_the_others_stay_unchanged(cluster):
    run(json_file(item_entry(), item_entry(code="JY0002", name="转学申请")))
    changed = item_entry(promised_time_limit_days=3,
                         materials=[{"name": "户口簿", "form": "copy", "copies": 2}])
    report = run(json_file(changed, item_entry(code="JY0002", name="转学申请")))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    item = ServiceItem.objects.get(code="JY0001")
    assert item.promised_time_limit_days == 3
    assert list(item.materials.values_list("name", "form", "copies")) == [
        ("户口簿", MaterialForm.COPY, 2)]


def test_keys_left_out_keep_the_current_values_and_lists(cluster):
    run(json_file(item_entry()))
    report = run(json_file({"code": "JY0001", "summary": "适龄儿童入学前的登记。"}))
    assert report.ok, report.errors
    assert report.updated == 1
    item = ServiceItem.objects.get(code="JY0001")
    assert item.summary == "适龄儿童入学前的登记。"
    assert item.name == "义务教育阶段入学登记"
    assert item.materials.count() == 2 and item.form_fields.count() == 2


def test_import_keeps_the_blank_form_of_a_material_with_the_same_name(cluster):
    from wagtail.documents.models import Document

    run(json_file(item_entry()))
    document = Document.objects.create(title="户口簿样例", file="documents/sample.pdf")
    ServiceMaterial.objects.filter(name="户口簿").update(blank_form=document)
    report = run(json_file(item_entry()))
    assert report.unchanged == 1
    report = run(json_file(item_entry(summary="新的简介")))
    assert report.updated == 1
    assert ServiceMaterial.objects.get(name="户口簿").blank_form == document


def test_dry_run_reports_but_saves_nothing(cluster):
    report = run(json_file(item_entry()), dry_run=True)
    assert report.ok and report.dry_run and report.created == 1
    assert "试导入" in report.summary()
    assert not ServiceItem.objects.exists()
    assert not AuditEvent.objects.filter(action="services.catalogue.imported").exists()


def test_the_report_lists_the_guide_elements_an_item_lacks(cluster):
    report = run(json_file(item_entry(place="", complaint_phone="", materials=[])),
                 dry_run=True)
    assert report.items[0].missing == ["申请材料", "办理地点", "监督投诉电话"]
    assert len(report.incomplete) == 1


def test_json_accepts_chinese_labels_for_choices(cluster):
    entry = item_entry(kind="行政许可", audience="个人", online_depth="三级：网上申请",
                       required_identity="实名认证", themes=["个人办事:教育科研"],
                       channels=["市民"], delivery_methods=["窗口领取"])
    report = run(json_file(entry))
    assert report.ok, report.errors
    item = ServiceItem.objects.get()
    assert item.kind == ServiceItemKind.ADMINISTRATIVE_LICENSING
    assert item.required_identity == "real_name"
    assert item.delivery_methods == ["collect"]


# ------------------------------------------------------------------------------ row errors


@pytest.mark.parametrize(("overrides", "message"), [
    ({"implementing_body": "nowhere"}, "事项 第1条 实施主体：没有标识为“nowhere”的单位"),
    ({"themes": ["person:nothing"]}, "事项 第1条 办事主题：没有办事主题“person:nothing”"),
    ({"channels": ["mars"]}, "事项 第1条 用户频道：没有用户频道“mars”"),
    ({"kind": "magic"}, "事项 第1条 事项类型：“magic”不是有效的取值"),
    ({"online_depth": 5}, "事项 第1条 网办深度：网办深度只能是1至4"),
    ({"charges_fee": "maybe"}, "事项 第1条 收费：只能填“是”或“否”"),
    ({"promised_time_limit_days": "三天"}, "事项 第1条 承诺时限（工作日）：必须是整数"),
    ({"visits_required": -1}, "事项 第1条 到现场次数：不能是负数"),
    ({"name": ""}, "事项 第1条 事项名称：不能为空"),
    ({"delivery_methods": ["pigeon"]}, "事项 第1条 结果送达方式：“pigeon”不是有效的取值"),
    ({"code": "jy 01"}, "事项 第1条 事项编码：事项编码只能由大写字母、数字和连字符组成"),
    ({"promised_time_limit_days": 30}, "事项 第1条 承诺时限（工作日）：承诺时限不能长于法定时限"),
    ({"materials": [{"name": "户口簿"}, {"name": "户口簿"}]},
     "事项 第1条 申请材料 第2条 材料名称：材料名称“户口簿”重复"),
    ({"materials": [{"name": "户口簿", "copies": "两份"}]},
     "事项 第1条 申请材料 第1条 份数：必须是整数"),
    ({"form_fields": [{"name": "grade", "label": "年级", "kind": "choice", "choices": "一年级"}]},
     "事项 第1条 申请表字段 第1条 选项：字段“年级”是单选或多选，至少要有两个选项"),
    ({"form_fields": [{"name": "x", "label": "金额", "min_value": "abc"}]},
     "事项 第1条 申请表字段 第1条 最小值：必须是数字"),
    ({"steps": [{"description": "没有名称"}]}, "事项 第1条 办理流程 第1条 环节名称：不能为空"),
])
def test_each_invalid_value_is_named_with_its_row_and_column(cluster, overrides, message):
    report = run(json_file(item_entry(**overrides)))
    assert not report.ok
    assert any(error.startswith(message) for error in report.errors), report.errors
    assert not ServiceItem.objects.exists()


def test_a_new_item_without_its_required_keys_is_an_error(cluster):
    report = run(json_file({"code": "JY0009"}))
    assert "事项 第1条 事项名称：不能为空" in report.errors
    assert "事项 第1条 实施主体：不能为空" in report.errors


def test_a_code_repeated_in_the_file_is_an_error(cluster):
    report = run(json_file(item_entry(), item_entry(name="重复")))
    assert report.errors == ["事项 第2条 事项编码：“JY0001”与事项 第1条重复。"]


def test_one_bad_row_saves_nothing(cluster):
    report = run(json_file(item_entry(code="JY0002"), item_entry(implementing_body="nowhere")))
    assert not report.ok and report.created == 0 and report.items == []
    assert not ServiceItem.objects.exists()


def test_an_error_found_when_saving_rolls_back_the_items_saved_before(cluster):
    report = run(json_file(item_entry(code="JY0002"), item_entry(promised_time_limit_days=30)))
    assert not report.ok
    assert not ServiceItem.objects.exists()


# ------------------------------------------------------------------------------ file errors


@pytest.mark.parametrize(("data", "format", "message"), [
    (b"", "json", "文件是空的"),
    (b"{\"format\": ", "json", "JSON 格式错误"),
    (b"\xff\xfe{}", "json", "文件内容不是 JSON 格式"),
    (json.dumps({"format": "other", "items": []}).encode(), "json", "JSON 文件不是事项目录"),
    (json.dumps({"format": FORMAT_NAME, "version": 2, "items": []}).encode(), "json",
     "不支持的事项目录版本"),
    (json.dumps({"format": FORMAT_NAME, "version": 1, "items": {}}).encode(), "json",
     "JSON 文件缺少事项列表"),
    (json.dumps({"format": FORMAT_NAME, "version": 1, "items": []}).encode(), "json",
     "文件中没有事项"),
    (json.dumps({"format": FORMAT_NAME, "version": 1, "items": [{"code": "A1", "colour": 1}]}
                ).encode(), "json", "事项 第1条：未知的字段 colour"),
    (json.dumps({"format": FORMAT_NAME, "version": 1, "items": ["A1"]}).encode(), "json",
     "事项 第1条：应为对象"),
    (b"{\"format\": 1}", "xlsx", "文件内容不是 XLSX 格式"),
    (b"PK\x03\x04broken", "xlsx", "压缩包已损坏"),
    (b"%PDF-1.4", None, "无法识别文件格式"),
])
def test_a_file_that_cannot_be_read_is_refused_whole(cluster, data, format, message):
    report = run(data, format=format)
    assert not report.ok
    assert message in report.errors[0], report.errors
    assert not ServiceItem.objects.exists()


def test_a_file_over_the_size_limit_is_refused(cluster):
    report = run(b"{" + b" " * IMPORT_MAX_BYTES + b"}")
    assert report.errors == ["文件超过 5 MB，请拆分后导入。"]


def test_a_zip_without_a_workbook_is_not_an_xlsx(cluster):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    report = run(output.getvalue(), format="xlsx")
    assert report.errors == ["文件不是有效的 XLSX 文件（缺少工作簿）。"]


def test_xlsx_errors_name_sheet_row_and_column(cluster):
    headers = ["事项编码", "事项名称", "事项类型", "实施主体", "承诺时限"]
    data = workbook_bytes({"事项": [
        headers,
        ["JY0001", "义务教育阶段入学登记", "公共服务", "education", 5],
        [None, None, None, None, None],
        ["JY0002", "转学申请", "公共服务", "education", "三天"],
    ]})
    report = run(data, format="xlsx")
    assert report.errors == ["事项 第4行 承诺时限（工作日）：必须是整数"]


def test_xlsx_with_an_unknown_sheet_column_or_item_code_is_refused(cluster):
    base = [["事项编码", "事项名称", "事项类型", "实施主体"], ["JY0001", "入学登记", "公共服务", "city"]]
    assert "未知的工作表：附件" in run(workbook_bytes({"事项": base, "附件": [["x"]]}),
                                    format="xlsx").errors[0]
    assert "事项 第1行第5列：未知的列“颜色”" in run(workbook_bytes({"事项": [
        base[0] + ["颜色"], base[1] + ["红"]]}), format="xlsx").errors[0]
    assert run(workbook_bytes({"申请材料": [["事项编码", "材料名称"]]}),
               format="xlsx").errors == ["XLSX 文件缺少工作表“事项”。"]
    report = run(workbook_bytes({"事项": base, "申请材料": [["事项编码", "材料名称"],
                                                       ["JY0404", "户口簿"]]}), format="xlsx")
    assert report.errors == ["申请材料 第2行 事项编码：“事项”表中没有编码为“JY0404”的事项。"]
    assert not ServiceItem.objects.exists()


def test_hand_written_xlsx_with_labels_and_joined_lists_is_imported(cluster):
    data = workbook_bytes({
        "事项": [
            ["事项编码", "事项名称", "事项类型", "实施主体", "服务对象", "办事主题", "用户频道",
             "承诺时限", "法定时限", "收费", "网办深度", "可代办", "结果送达方式", "已公开"],
            ["JY0001", "教师资格认定", "行政许可", "示例市教育局", "个人",
             "person:jiaoyu、个人办事:就业创业", "市民、华侨", 20, 60, "否", "四级：全程网办", "是",
             "网上送达（电子证照或文书）、邮寄送达", "否"],
        ],
        "申请材料": [["事项编码", "材料名称", "材料形式", "份数", "网上申请须上传"],
                 ["JY0001", "体检合格证明", "原件", 1, "是"],
                 ["JY0001", "学历证书", "原件和复印件", 2, "否"]],
        "申请表字段": [["事项编码", "字段标识", "字段名称", "字段类型", "选项"],
                  ["JY0001", "subject", "任教学科", "单选", "语文\n数学\n英语"]],
    })
    report = run(data, format="xlsx")
    assert report.ok, report.errors
    item = ServiceItem.objects.get(code="JY0001")
    assert item.kind == ServiceItemKind.ADMINISTRATIVE_LICENSING
    assert item.implementing_body == cluster.education
    assert sorted(t.slug for t in item.themes.all()) == ["jiaoyu", "jiuye"]
    assert sorted(c.slug for c in item.channels.all()) == ["huaqiao", "shimin"]
    assert item.online_depth == 4 and item.accepts_proxy
    assert item.delivery_methods == ["online", "post"]
    assert list(item.materials.values_list("name", "copies")) == [("体检合格证明", 1),
                                                                 ("学历证书", 2)]
    assert item.form_fields.get().choice_list == ["语文", "数学", "英语"]


# ------------------------------------------------------------------------------ export


@pytest.fixture
def catalogue(cluster):
    first = make_item(body=cluster.education, code="JY0100", name="教师资格认定",
                      charges_fee=True, fee_basis="《关于教师资格认定收费的通知》",
                      fee_standard="每人 20 元", delivery_methods=["online", "collect"],
                      required_identity="real_name", accepts_proxy=True)
    first.themes.set(list(__import__("chuangkou.services.models", fromlist=["ServiceTheme"])
                          .ServiceTheme.objects.filter(slug__in=["jiaoyu", "jiuye"])))
    OnlineFormField.objects.create(item=first, name="amount", label="金额",
                                   kind=FormFieldKind.DECIMAL, min_value=Decimal("0.50"),
                                   max_value=Decimal("100"), sort_order=3, pattern=r"^\d+$",
                                   pattern_message="只能填数字")
    second = make_item(body=cluster.health, code="WJ0100", name="医师执业注册",
                       legal_days=None, with_form=False,
                       summary="=HYPERLINK(\"http://example.com\",\"点击\")")
    return first, second


@pytest.mark.parametrize("format", ["json", "xlsx"])
def test_export_then_import_changes_nothing(cluster, catalogue, format):
    data = export_catalogue(items=ServiceItem.objects.all(), format=format)
    report = run(data, format=format)
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)


@pytest.mark.parametrize("format", ["json", "xlsx"])
def test_export_to_an_empty_database_recreates_the_same_items(cluster, catalogue, format):
    from ..catalogue_io import item_data

    items = ServiceItem.objects.all()
    before = [item_data(item) for item in items.order_by("code")]
    data = export_catalogue(items=items, format=format)
    ServiceItem.objects.all().delete()
    report = run(data, format=format)
    assert report.created == 2
    after = [item_data(item) for item in ServiceItem.objects.order_by("code")]
    assert after == before


def test_json_export_has_the_documented_shape(cluster, catalogue):
    document = json.loads(export_catalogue(items=ServiceItem.objects.all(), format="json"))
    assert document["format"] == FORMAT_NAME and document["version"] == 1
    first = document["items"][0]
    assert first["code"] == "JY0100" and first["implementing_body"] == "education"
    assert first["themes"] == ["person:jiaoyu", "person:jiuye"]
    assert first["kind"] == "public_service" and first["charges_fee"] is True
    assert {row["name"] for row in first["form_fields"]} == {"student_name", "grade", "amount"}
    assert first["form_fields"][2]["min_value"] == "0.50"
    assert set(first) == {column.key for column in ITEM_COLUMNS} | {spec.key for spec in LISTS}


def test_xlsx_export_has_chinese_headers_labels_and_the_formula_guard(cluster, catalogue):
    sheets = read_workbook(export_catalogue(items=ServiceItem.objects.all(), format="xlsx"))
    assert list(sheets) == ["事项", "申请材料", "办理流程", "常见问题", "申请表字段"]
    header = sheets["事项"][0]
    assert header[:4] == ["事项编码", "事项名称", "事项类型", "实施主体"]
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in sheets["事项"][1:]}
    assert rows["JY0100"]["事项类型"] == "公共服务"
    assert rows["JY0100"]["收费"] == "是"
    assert rows["JY0100"]["结果送达方式"] == "网上送达（电子证照或文书）、窗口领取"
    assert rows["JY0100"]["网办深度"] == 3
    assert rows["WJ0100"]["简介"].startswith("'=HYPERLINK")
    assert sheets["申请材料"][0][:2] == ["事项编码", "材料名称"]
    assert sheets["申请材料"][1][:2] == ["JY0100", "居民身份证"]


def test_headers_are_the_models_verbose_names(cluster):
    fields = {field.name: str(field.verbose_name) for field in ServiceItem._meta.get_fields()
              if hasattr(field, "verbose_name")}
    for column in ITEM_COLUMNS:
        if column.key in fields:
            assert column.header == fields[column.key]
    materials = {f.name: str(f.verbose_name) for f in ServiceMaterial._meta.get_fields()
                 if hasattr(f, "verbose_name")}
    for column in LISTS[0].columns:
        assert column.header == materials[column.key]


def test_export_uses_a_constant_number_of_queries(cluster):
    for number in range(2):
        make_item(body=cluster.education, code=f"JY{number:04d}")
    with CaptureQueriesContext(connection) as few:
        export_catalogue(items=ServiceItem.objects.all(), format="json")
    for number in range(2, 8):
        make_item(body=cluster.education, code=f"JY{number:04d}")
    with CaptureQueriesContext(connection) as many:
        export_catalogue(items=ServiceItem.objects.all(), format="xlsx")
    assert len(many) == len(few)


# ------------------------------------------------------------------------------ managers


def test_a_manager_imports_items_of_their_own_body(cluster):
    report = run(json_file(item_entry()), actor=cluster.user("education", MANAGER))
    assert report.ok and report.created == 1
    event = AuditEvent.objects.get(action="services.catalogue.imported")
    assert event.actor == cluster.user("education", MANAGER)


def test_a_manager_cannot_import_items_of_another_body(cluster):
    data = json_file(item_entry(code="JY0002"), item_entry(implementing_body="health"))
    report = run(data, actor=cluster.user("education", MANAGER))
    assert report.errors == [
        "事项 第2条 实施主体：您不是“示例市卫生健康委员会”的事项管理员，不能导入该单位的事项。"]
    assert not ServiceItem.objects.exists()


def test_a_manager_cannot_take_over_an_item_of_another_body(cluster):
    make_item(body=cluster.health, code="JY0001")
    report = run(json_file(item_entry()), actor=cluster.user("education", MANAGER))
    assert report.errors == ["事项 第1条 事项编码：事项“JY0001”属于“示例市卫生健康委员会”，您不能修改。"]
    assert ServiceItem.objects.get().implementing_body == cluster.health


@pytest.mark.parametrize("role", [HANDLER, SUPERVISOR, Role.SYSTEM_ADMINISTRATOR, Role.AUDITOR])
def test_staff_without_the_manager_role_may_not_import(cluster, role):
    with pytest.raises(PermissionDenied):
        run(json_file(item_entry()), actor=cluster.user("education", role))


# ------------------------------------------------------------------------------ admin screen


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


INDEX = "services_catalogue_io"
EXPORT = "services_catalogue_io_export"


def upload(data: bytes, name: str, dry_run: bool = False) -> dict:
    content_type = "application/json" if name.endswith(".json") else XLSX_TYPE
    payload = {"file": SimpleUploadedFile(name, data, content_type=content_type)}
    if dry_run:
        payload["dry_run"] = "on"
    return payload


def admin_requests():
    return [("get", INDEX, {}), ("post", INDEX, None), ("post", EXPORT, {"format": "json"})]


ROLE_TABLE = [
    # (body, role, allowed)
    ("education", MANAGER, True),
    ("city", MANAGER, True),
    ("education", HANDLER, False),
    ("education", SUPERVISOR, False),
    ("city", SUPERVISOR, False),
    ("city", Role.SYSTEM_ADMINISTRATOR, False),
    ("city", Role.AUDITOR, False),
    ("education", Role.EDITOR, False),
]


@pytest.mark.parametrize(("body", "role", "allowed"), ROLE_TABLE)
@pytest.mark.parametrize(("method", "route", "payload"), admin_requests())
def test_admin_routes_answer_only_item_managers(cluster, body, role, allowed, method, route,
                                                payload):
    client = client_for(cluster.user(body, role))
    if payload is None:
        payload = upload(json_file(item_entry(implementing_body=body)), "catalogue.json",
                         dry_run=True)
    response = getattr(client, method)(reverse(route), payload)
    assert (response.status_code == 200) is allowed, response.status_code
    if not allowed:
        assert response.status_code == 403


@pytest.mark.parametrize(("method", "route"), [("get", INDEX), ("post", INDEX), ("post", EXPORT)])
def test_anonymous_users_are_sent_to_sign_in(cluster, method, route):
    response = getattr(client_for(), method)(reverse(route))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def menu_items(client) -> set[str]:
    from wagtail.admin.menu import admin_menu  # noqa: F401 (the hooks register on import)

    from ..hooks.menu import services_menu

    request = client.get("/admin/").wsgi_request
    return {item.name for item in services_menu.menu_items_for_request(request)}


@pytest.mark.parametrize(("body", "role", "allowed"), ROLE_TABLE)
def test_menu_item_shows_only_to_item_managers(cluster, body, role, allowed):
    shown = "services-catalogue-io" in menu_items(client_for(cluster.user(body, role)))
    assert shown is allowed


def test_admin_dry_run_shows_the_report_and_saves_nothing(cluster):
    client = client_for(cluster.user("education", MANAGER))
    response = client.post(reverse(INDEX), upload(json_file(item_entry(place="")),
                                                  "catalogue.json", dry_run=True))
    assert response.status_code == 200
    page = response.content.decode()
    assert "试导入（未保存）" in page and "JY0001" in page and "办理地点" in page
    assert not ServiceItem.objects.exists()


def test_admin_import_saves_and_is_audited(cluster):
    manager = cluster.user("education", MANAGER)
    data = export_catalogue(items=[], format="xlsx")
    response = client_for(manager).post(reverse(INDEX), upload(json_file(item_entry()),
                                                               "catalogue.json"))
    assert response.status_code == 200
    assert ServiceItem.objects.filter(code="JY0001").exists()
    assert AuditEvent.objects.filter(action="services.catalogue.imported", actor=manager).exists()
    response = client_for(manager).post(reverse(INDEX), upload(data, "catalogue.xlsx"))
    assert response.status_code == 400
    assert "文件中没有事项" in response.content.decode()


def test_admin_import_of_another_bodys_items_shows_the_row_error(cluster):
    client = client_for(cluster.user("education", MANAGER))
    response = client.post(reverse(INDEX), upload(
        json_file(item_entry(implementing_body="health")), "catalogue.json"))
    assert response.status_code == 400
    assert "事项 第1条 实施主体：您不是“示例市卫生健康委员会”的事项管理员" in response.content.decode()
    assert not ServiceItem.objects.exists()


@pytest.mark.parametrize(("name", "data", "message"), [
    ("catalogue.csv", b"code,name", "只能是 .json 或 .xlsx 文件"),
    ("catalogue.xlsx", b"{\"format\": 1}", "内容不是 XLSX 工作簿"),
    ("catalogue.json", b"PK\x03\x04", "内容不是 JSON"),
    ("catalogue.json", b"{" + b" " * IMPORT_MAX_BYTES + b"}", "超过 5 MB"),
])
def test_admin_upload_is_checked_by_extension_content_and_size(cluster, name, data, message):
    client = client_for(cluster.user("education", MANAGER))
    response = client.post(reverse(INDEX), upload(data, name))
    assert response.status_code == 400
    assert message in response.content.decode()


def test_admin_upload_without_a_file_names_the_field(cluster):
    response = client_for(cluster.user("education", MANAGER)).post(reverse(INDEX), {})
    assert response.status_code == 400
    assert "请选择要导入的事项目录文件" in response.content.decode()


def test_admin_report_escapes_names_from_the_file(cluster):
    client = client_for(cluster.user("education", MANAGER))
    response = client.post(reverse(INDEX), upload(
        json_file(item_entry(name="<script>alert(1)</script>")), "catalogue.json", dry_run=True))
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_admin_export_gives_only_the_managers_items_and_is_audited(cluster, catalogue):
    manager = cluster.user("education", MANAGER)
    response = client_for(manager).post(reverse(EXPORT), {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="service-catalogue')
    codes = [item["code"] for item in json.loads(response.content)["items"]]
    assert codes == ["JY0100"]
    event = AuditEvent.objects.get(action="services.catalogue.exported")
    assert event.actor == manager and event.data["bodies"] == ["education"]
    response = client_for(manager).post(reverse(EXPORT), {"format": "xlsx", "body": "education"})
    assert response["Content-Type"] == XLSX_TYPE
    assert read_workbook(response.content)["事项"][1][0] == "JY0100"


def test_admin_export_of_a_body_not_managed_is_refused(cluster, catalogue):
    client = client_for(cluster.user("education", MANAGER))
    assert client.post(reverse(EXPORT), {"format": "json", "body": "health"}).status_code == 403
    assert client.post(reverse(EXPORT), {"format": "csv"}).status_code == 400
    assert client.get(reverse(EXPORT)).status_code == 405
    assert not AuditEvent.objects.filter(action="services.catalogue.exported").exists()


# ------------------------------------------------------------------------------ commands


def test_import_command_imports_and_reports(cluster, tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_bytes(json_file(item_entry()))
    output = io.StringIO()
    call_command("import_service_catalogue", str(path), stdout=output)
    assert "新增 1 项" in output.getvalue()
    call_command("import_service_catalogue", str(path), stdout=output)
    assert "未变 1 项" in output.getvalue()


def test_import_command_dry_run_saves_nothing(cluster, tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_bytes(json_file(item_entry()))
    output = io.StringIO()
    call_command("import_service_catalogue", str(path), "--dry-run", stdout=output)
    assert "试导入" in output.getvalue()
    assert not ServiceItem.objects.exists()


@pytest.fixture
def exit_code(monkeypatch):
    from django.db import connections

    # run_from_argv closes every connection when done, the test's own included.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    return run_command


def run_command(command, *argv) -> int:
    with pytest.raises(SystemExit) as stopped:
        command.Command(stdout=io.StringIO(), stderr=io.StringIO()).run_from_argv(
            ["manage.py", command.__name__.rsplit(".", 1)[-1], *argv])
    return stopped.value.code


def test_import_command_exits_1_on_invalid_input(cluster, tmp_path, exit_code):
    bad = tmp_path / "bad.json"
    bad.write_bytes(json_file(item_entry(implementing_body="nowhere")))
    assert exit_code(import_service_catalogue, str(bad)) == 1
    assert exit_code(import_service_catalogue, str(tmp_path / "missing.json")) == 1
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    assert exit_code(import_service_catalogue, str(broken)) == 1
    assert not ServiceItem.objects.exists()
    with pytest.raises(CommandError, match="导入失败"):
        call_command("import_service_catalogue", str(bad), stderr=io.StringIO())


def test_export_command_writes_the_chosen_bodies_items(cluster, catalogue, tmp_path):
    path = tmp_path / "education.xlsx"
    call_command("export_service_catalogue", str(path), "--body", "education",
                 stdout=io.StringIO())
    rows = read_workbook(path.read_bytes())["事项"]
    assert [row[0] for row in rows[1:]] == ["JY0100"]
    path = tmp_path / "all.data"
    call_command("export_service_catalogue", str(path), "--format", "json", stdout=io.StringIO())
    assert len(json.loads(path.read_bytes())["items"]) == 2
    assert AuditEvent.objects.filter(action="services.catalogue.exported").count() == 2


def test_export_command_exits_1_on_an_unknown_body_or_format(cluster, tmp_path, exit_code):
    assert exit_code(export_service_catalogue, str(tmp_path / "x.json"), "--body", "mars") == 1
    assert exit_code(export_service_catalogue, str(tmp_path / "x.csv")) == 1
    assert not (tmp_path / "x.json").exists()
