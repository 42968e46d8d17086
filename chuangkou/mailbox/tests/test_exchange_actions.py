"""Exchange actions: 12345 work orders in (idempotent, row by row) and out, letters from Open311
clients, and the audit of statistics exports."""

import io
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from chuangkou.core.models import AuditEvent
from chuangkou.mailbox import actions, hotline
from chuangkou.mailbox.choices import LetterChannel, LetterEventKind, LetterStatus
from chuangkou.mailbox.exceptions import MailboxRuleViolation
from chuangkou.mailbox.models import Letter, LetterEvent, LetterKind, WriterDetails
from chuangkou.mailbox.tests.factories import answer_letter, letter_draft, make_letter, writer_input
from chuangkou.organizations.choices import Role

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as traveller:
        yield traveller


@pytest.fixture
def dispatcher(cluster):
    return cluster.user("city", Role.LETTER_DISPATCHER)


def order(external_id="GD0001", **values):
    row = {"工单编号": external_id, "来电时间": "2026-03-02 09:30", "诉求类型": "投诉举报",
           "标题": "", "诉求内容": "楼下餐馆油烟扰民，晚上十点后仍在营业，请有关部门处理。",
           "承办单位": "市卫健委", "来电人": "张三", "联系电话": "13800001111",
           "工单状态": "已派单", "办理结果": "", "办结时间": ""}
    row.update(values)
    return row


def run(rows, actor):
    return actions.import_hotline_work_orders(rows=rows, actor=actor)


# --- import ------------------------------------------------------------------------------------


def test_a_new_work_order_becomes_a_hotline_letter_assigned_to_the_named_body(
        cluster, dispatcher):
    result = run([order()], dispatcher)
    assert (result.created, result.updated, result.unchanged, result.errors) == (1, 0, 0, [])
    letter = Letter.objects.select_related("writer", "kind").get(external_id="GD0001")
    assert letter.channel == LetterChannel.HOTLINE and letter.external_source == "12345"
    assert letter.external_status == "已派单"
    assert letter.kind.code == "tousu"
    assert letter.assigned_body == cluster.health and letter.status == LetterStatus.IN_PROGRESS
    assert letter.submitted_at == datetime(2026, 3, 2, 9, 30, tzinfo=TZ)
    assert letter.title == "楼下餐馆油烟扰民，晚上十点后仍在营业，请有关部门处理。"[:30]
    assert letter.may_publish is False
    assert (letter.writer.name, letter.writer.phone) == ("张三", "13800001111")
    event = letter.events.get(kind=LetterEventKind.IMPORTED)
    assert not event.visible_to_writer and "GD0001" in event.internal_note
    assert result.rows[0].outcome == "created" and result.rows[0].letter_number == letter.number
    audit = AuditEvent.objects.get(action="mailbox.hotline.imported")
    assert audit.data["created"] == 1 and audit.actor == dispatcher
    assert "张三" not in json.dumps(audit.data, ensure_ascii=False)


def test_importing_the_same_file_twice_changes_nothing_the_second_time(cluster, dispatcher):
    rows = [order("GD0001"), order("GD0002", 承办单位="", 诉求类型="咨询")]
    first = run(rows, dispatcher)
    assert first.created == 2
    events = LetterEvent.objects.count()
    second = run(rows, dispatcher)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert Letter.objects.count() == 2 and LetterEvent.objects.count() == events
    assert Letter.objects.get(external_id="GD0002").status == LetterStatus.AWAITING_DISPATCH


def test_a_known_work_order_updates_the_hotline_status_and_records_a_concluded_result(
        cluster, dispatcher):
    run([order()], dispatcher)
    result = run([order(工单状态="办理中")], dispatcher)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    letter = Letter.objects.get(external_id="GD0001")
    assert letter.external_status == "办理中"
    concluded = order(工单状态="已办结", 办理结果="已责令餐馆安装油烟净化设备并调整营业时间。",
                      办结时间="2026-03-02 09:50")
    assert run([concluded], dispatcher).updated == 1
    letter.refresh_from_db()
    assert letter.external_status == "已办结"
    assert letter.status == LetterStatus.IN_PROGRESS  # our own reply still has to be approved
    notes = list(letter.events.filter(kind=LetterEventKind.IMPORTED)
                 .values_list("internal_note", flat=True))
    assert any("已责令餐馆安装油烟净化设备" in note and "2026-03-02 09:50" in note for note in notes)
    assert run([concluded], dispatcher).unchanged == 1
    assert letter.events.filter(kind=LetterEventKind.IMPORTED).count() == len(notes)


def test_a_hotline_result_is_not_recorded_on_a_letter_we_already_answered(cluster, dispatcher):
    run([order()], dispatcher)
    letter = answer_letter(Letter.objects.get(external_id="GD0001"), cluster)
    run([order(工单状态="已办结", 办理结果="热线已办结。")], dispatcher)
    notes = " ".join(letter.events.filter(kind=LetterEventKind.IMPORTED)
                     .values_list("internal_note", flat=True))
    assert "已办结" in notes and "热线已办结。" not in notes


def test_a_bad_row_is_reported_and_saves_nothing_while_the_others_go_on(cluster, dispatcher):
    rows = [
        order("GD0001"),
        order("GD0002", 诉求类型="表扬"),  # no such kind
        order("GD0003", 联系电话="", 来电人="李四"),  # submit_letter: phone or e-mail needed
        order("GD0004", 承办单位="月球管理局"),
        order("GD0001", 工单状态="办理中"),  # the same work order twice in one file
        order("GD0005"),
    ]
    result = run(rows, dispatcher)
    assert result.created == 2
    assert [(number, column) for number, column, _message in result.errors] == [
        (2, "诉求类型"), (3, "联系电话"), (4, "承办单位"), (5, "工单编号")]
    assert [row.outcome for row in result.rows] == ["created", "error", "error", "error",
                                                     "error", "created"]
    assert "与第1行的工单编号重复" in result.errors[-1][2]
    assert sorted(Letter.objects.values_list("external_id", flat=True)) == ["GD0001", "GD0005"]
    assert not WriterDetails.objects.filter(name="李四").exists()
    # the refused rows took no letter number: the sequence has no gap
    assert sorted(Letter.objects.values_list("sequence", flat=True)) == [1, 2]


def test_a_routing_rule_does_not_overrule_the_hotlines_dispatch(cluster, dispatcher):
    actions.save_routing_rule(actor=dispatcher, name="油烟归东城", priority=1,
                              keywords="油烟", target_body=cluster.district)
    run([order()], dispatcher)
    letter = Letter.objects.get(external_id="GD0001")
    assert letter.assigned_body == cluster.health
    assert letter.events.filter(kind=LetterEventKind.FORWARDED).exists()


def test_a_dispatcher_may_not_update_letters_outside_their_scope(cluster, dispatcher):
    run([order()], dispatcher)  # assigned to health
    education = cluster.user("education", Role.LETTER_DISPATCHER)
    result = run([order(工单状态="办理中")], education)
    assert result.updated == 0
    assert result.errors[0][1] == "工单编号"
    assert Letter.objects.get(external_id="GD0001").external_status == "已派单"


@pytest.mark.parametrize("role", [Role.LETTER_HANDLER, Role.LETTER_REVIEWER,
                                  Role.LETTER_SUPERVISOR, Role.EDITOR])
def test_only_dispatchers_and_managers_import_or_export(cluster, role):
    user = cluster.user("health", role)
    with pytest.raises(PermissionDenied):
        run([order()], user)
    with pytest.raises(PermissionDenied):
        actions.export_hotline_work_orders(actor=user, fmt="csv")
    assert not Letter.objects.exists()


def test_rows_may_come_from_a_parsed_file(cluster, dispatcher):
    data = hotline.write_file([{
        "external_id": "GD0100", "called_at": datetime(2026, 3, 2, 8, 0, tzinfo=TZ),
        "kind": "咨询", "content": "请问新生入学需要哪些材料？", "body": "示例市教育局",
        "caller": "王五", "phone": "13700002222", "status": "已受理"}], fmt="xlsx", tz=TZ)
    result = run(hotline.parse_file(data, fmt="xlsx"), dispatcher)
    assert result.created == 1
    assert Letter.objects.get(external_id="GD0100").assigned_body == cluster.education


# --- export ------------------------------------------------------------------------------------


def test_export_writes_our_number_the_mapped_status_and_the_approved_reply(cluster, dispatcher):
    run([order()], dispatcher)
    hotline_letter = answer_letter(Letter.objects.get(external_id="GD0001"), cluster,
                                   text="已责令整改。")
    actions.rate_letter(letter=hotline_letter, level=5)
    website = make_letter(cluster=cluster, addressed_body=cluster.education)
    data = actions.export_hotline_work_orders(actor=dispatcher, fmt="json")
    items = {item["网站信件编号"]: item for item in json.loads(data)}
    assert items[hotline_letter.number]["工单编号"] == "GD0001"
    assert items[hotline_letter.number]["工单状态"] == "已回访"
    assert items[hotline_letter.number]["办理结果"] == "已责令整改。"
    assert items[hotline_letter.number]["来电人"] == "张三"
    assert items[website.number]["工单编号"] is None or items[website.number]["工单编号"] == ""
    assert items[website.number]["工单状态"] == "办理中"
    audit = AuditEvent.objects.get(action="mailbox.hotline.exported")
    assert audit.data["letters"] == 2 and audit.data["writer_details"] is True


def test_export_is_limited_to_the_actors_letters_and_dates(cluster, dispatcher, frozen):
    make_letter(cluster=cluster, addressed_body=cluster.education)
    health = make_letter(cluster=cluster, addressed_body=cluster.health)
    frozen.move_to("2026-03-05 10:00 +0800")
    later = make_letter(cluster=cluster, addressed_body=cluster.health)
    health_dispatcher = cluster.user("health", Role.LETTER_DISPATCHER)
    data = actions.export_hotline_work_orders(actor=health_dispatcher, fmt="csv")
    text = data.decode("utf-8-sig")
    assert health.number in text and later.number in text and text.count("\n") == 3
    data = actions.export_hotline_work_orders(actor=health_dispatcher, fmt="xlsx",
                                              received_to=date(2026, 3, 4))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [row[11] for row in sheet.iter_rows(min_row=2, values_only=True)] == [health.number]


def test_export_hotline_only_and_a_reimport_of_it_changes_nothing(cluster, dispatcher):
    run([order("GD0001"), order("GD0002", 工单状态="已受理")], dispatcher)
    make_letter(cluster=cluster, addressed_body=cluster.education)
    data = actions.export_hotline_work_orders(actor=dispatcher, fmt="csv", hotline_only=True)
    rows = hotline.parse_file(data, fmt="csv")
    assert len(rows) == 2
    result = run(rows, dispatcher)
    # our statuses are exported (办理中), which the hotline side then reports back: an update
    assert (result.created, result.updated, result.errors) == (0, 2, [])
    assert run(rows, dispatcher).unchanged == 2


def test_export_refuses_an_unknown_format_and_a_reversed_period(dispatcher, cluster):
    with pytest.raises(MailboxRuleViolation):
        actions.export_hotline_work_orders(actor=dispatcher, fmt="pdf")
    with pytest.raises(MailboxRuleViolation) as error:
        actions.export_hotline_work_orders(actor=dispatcher, fmt="csv",
                                           received_from=date(2026, 3, 2),
                                           received_to=date(2026, 3, 1))
    assert "received_to" in error.value.errors


# --- Open311 and statistics --------------------------------------------------------------------


def test_an_open311_letter_is_submitted_and_the_client_recorded(cluster, dispatcher):
    key, _plaintext = actions.create_open311_api_key(name="掌上示例市", actor=dispatcher)
    letter = actions.submit_open311_request(
        client=key, draft=letter_draft(addressed_body=cluster.education), writer=writer_input())
    assert letter.channel == LetterChannel.OPEN311
    assert letter.external_source == f"open311:{key.key_prefix}"
    key.refresh_from_db()
    assert key.last_used_at is not None
    audit = AuditEvent.objects.get(action="mailbox.open311.request_submitted")
    assert audit.data["client"] == "掌上示例市"
    actions.revoke_open311_api_key(key=key, actor=dispatcher)
    with pytest.raises(PermissionDenied):
        actions.submit_open311_request(client=key, draft=letter_draft(), writer=writer_input())
    assert Letter.objects.count() == 1


def test_a_statistics_export_is_audited_for_supervisors_and_dispatchers_only(cluster):
    supervisor = cluster.user("health", Role.LETTER_SUPERVISOR)
    actions.record_statistics_export(actor=supervisor, year=2026, body=cluster.health,
                                     kind=LetterKind.objects.get(code="zixun"))
    audit = AuditEvent.objects.get(action="mailbox.statistics.exported")
    assert audit.data == {"year": 2026, "body": "health", "kind": "zixun"}
    assert audit.target_label == "示例市卫生健康委员会"
    actions.record_statistics_export(actor=cluster.user("city", Role.LETTER_DISPATCHER),
                                     year=2025)
    with pytest.raises(PermissionDenied):
        actions.record_statistics_export(actor=cluster.user("health", Role.LETTER_HANDLER),
                                         year=2026)
    actions.record_statistics_export(actor=supervisor, year=2026,
                                     body=[cluster.health, cluster.education])
    assert AuditEvent.objects.filter(action="mailbox.statistics.exported").order_by("pk").last().data[
        "body"] == ["education", "health"]
    assert AuditEvent.objects.filter(action="mailbox.statistics.exported").count() == 3


# --- management commands ---------------------------------------------------------------------


def test_the_commands_import_a_file_and_export_it_again(cluster, dispatcher, tmp_path):
    source = tmp_path / "orders.json"
    source.write_text(json.dumps([
        {"work_order_id": "GD0200", "called_at": "2026-03-02T09:00:00+08:00",
         "request_type": "咨询", "content": "请问公租房如何申请？", "handling_body": "市政府",
         "caller": "钱七", "phone": "13600004444", "status": "已受理"},
        {"work_order_id": "GD0201", "request_type": "咨询", "content": "", "status": "已受理"},
    ], ensure_ascii=False), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_hotline_work_orders", str(source), user=dispatcher.username,
                 stdout=out, stderr=err)
    assert "created 1, updated 0, unchanged 0, refused rows 1" in out.getvalue()
    assert "row 2 诉求内容" in err.getvalue()
    assert Letter.objects.get(external_id="GD0200").assigned_body == cluster.city
    target = tmp_path / "out.xlsx"
    call_command("export_hotline_work_orders", str(target), user=dispatcher.username,
                 hotline_only=True, stdout=io.StringIO())
    sheet = openpyxl.load_workbook(target).active
    assert sheet["A2"].value == "GD0200" and sheet["I2"].value == "办理中"


def test_the_commands_refuse_unknown_users_formats_and_permissions(cluster, tmp_path):
    source = tmp_path / "orders.txt"
    source.write_text("x")
    with pytest.raises(CommandError, match="no active user"):
        call_command("import_hotline_work_orders", str(source), user="nobody")
    with pytest.raises(CommandError, match="format"):
        call_command("import_hotline_work_orders", str(source),
                     user=cluster.user("city", Role.LETTER_DISPATCHER).username)
    with pytest.raises(CommandError, match="may not"):
        call_command("export_hotline_work_orders", str(tmp_path / "o.csv"),
                     user=cluster.user("city", Role.LETTER_HANDLER).username)
