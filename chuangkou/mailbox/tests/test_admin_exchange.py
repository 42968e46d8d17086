"""The admin screen of 12345热线工单交换: who may use it, upload with a result per row,
download, both audited."""

import json

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangkou.core.models import AuditEvent
from chuangkou.mailbox.models import Letter
from chuangkou.organizations.choices import Role

pytestmark = pytest.mark.django_db
PAGE = "/admin/mailbox/hotline/"
EXPORT = "/admin/mailbox/hotline/export/"
CSV = ("工单编号,来电时间,诉求类型,诉求内容,承办单位,来电人,联系电话,工单状态\n"
       "GD0001,2026-03-02 09:30,咨询,请问新生入学需要哪些材料？,市教育局,王五,13700002222,已派单\n"
       "GD0002,2026-03-02 09:40,表扬,<b>谢谢</b>,市教育局,赵六,13700003333,已派单\n")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        yield


def upload(content: bytes | str, name: str = "orders.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def menu_items(client) -> set[str]:
    from wagtail.admin.menu import admin_menu  # noqa: F401 (the hooks register on import)

    from chuangkou.mailbox.hooks.menu import mailbox_menu

    request = client.get("/admin/").wsgi_request
    return {item.name for item in mailbox_menu.menu_items_for_request(request)}


@pytest.fixture
def dispatcher_client(client, cluster):
    client.force_login(cluster.user("city", Role.LETTER_DISPATCHER))
    return client


def test_a_dispatcher_sees_the_import_and_export_forms_and_the_menu_item(dispatcher_client):
    response = dispatcher_client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="fmt"' in page
    assert "mailbox-hotline" in menu_items(dispatcher_client)


def test_an_upload_imports_good_rows_and_shows_every_rows_result(dispatcher_client, cluster):
    response = dispatcher_client.post(PAGE, {"file": upload(CSV)})
    assert response.status_code == 200
    page = response.content.decode()
    letter = Letter.objects.get(external_id="GD0001")
    assert letter.assigned_body == cluster.education
    assert not Letter.objects.filter(external_id="GD0002").exists()
    assert "新建来信 1 件，更新 0 件，无变化 0 件，未导入 1 行。" in page
    assert f"/admin/mailbox/letters/{letter.number}/" in page
    assert "诉求类型" in page and "诉求内容：“诉求内容”不能包含HTML标记" in page
    assert "<b>谢谢</b>" not in page
    assert AuditEvent.objects.filter(action="mailbox.hotline.imported").count() == 1
    again = dispatcher_client.post(PAGE, {"file": upload(CSV)}).content.decode()
    assert "新建来信 0 件，更新 0 件，无变化 1 件，未导入 1 行。" in again


@pytest.mark.parametrize("content, name, message", [
    (CSV, "orders.txt", "CSV、XLSX或JSON"),
    ("标题\n1\n", "orders.csv", "表头缺少以下列"),
    (b"PK\x03\x04 broken", "orders.xlsx", "无法读取XLSX文件"),
    ("工单编号,诉求类型,诉求内容,工单状态\n", "orders.csv", "文件中没有工单"),
])
def test_an_unreadable_file_is_refused_with_a_clear_message(dispatcher_client, content, name,
                                                            message):
    response = dispatcher_client.post(PAGE, {"file": upload(content, name)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Letter.objects.exists()
    assert not AuditEvent.objects.filter(action="mailbox.hotline.imported").exists()


def test_a_missing_file_is_named(dispatcher_client):
    response = dispatcher_client.post(PAGE, {})
    assert response.status_code == 400
    assert "请选择要导入的工单文件" in response.content.decode()


def test_the_export_downloads_a_file_and_is_audited(dispatcher_client):
    dispatcher_client.post(PAGE, {"file": upload(CSV)})
    response = dispatcher_client.post(EXPORT, {"fmt": "json", "hotline_only": "on"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="12345-work-orders-20260302.json"')
    assert "no-store" in response["Cache-Control"]
    (item,) = json.loads(response.content)
    assert item["工单编号"] == "GD0001" and item["工单状态"] == "办理中"
    assert AuditEvent.objects.get(action="mailbox.hotline.exported").data["letters"] == 1


def test_a_reversed_export_period_is_a_field_error(dispatcher_client):
    response = dispatcher_client.post(EXPORT, {"fmt": "csv", "received_from": "2026-03-02",
                                               "received_to": "2026-03-01"})
    assert response.status_code == 400
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert not AuditEvent.objects.filter(action="mailbox.hotline.exported").exists()


def test_export_by_get_is_not_allowed(dispatcher_client):
    assert dispatcher_client.get(EXPORT).status_code == 405


@pytest.mark.parametrize("role", [Role.LETTER_HANDLER, Role.LETTER_REVIEWER,
                                  Role.LETTER_SUPERVISOR, Role.EDITOR, Role.AUDITOR])
def test_staff_without_dispatch_or_manage_permission_get_403_and_no_menu_item(
        client, cluster, role):
    client.force_login(cluster.user("education", role))
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"file": upload(CSV)}).status_code == 403
    assert client.post(EXPORT, {"fmt": "csv"}).status_code == 403
    assert not Letter.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="mailbox.hotline").exists()
    assert "mailbox-hotline" not in menu_items(client)


def test_anonymous_visitors_are_sent_to_the_login(client, cluster):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert client.post(EXPORT, {"fmt": "csv"}).status_code == 302
