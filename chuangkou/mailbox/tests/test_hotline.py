"""The pure 12345 work-order module: column aliases, status mapping both ways, row checks and
the three file formats (no database)."""

import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from chuangkou.mailbox import hotline
from chuangkou.mailbox.choices import LetterStatus

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=TZ)
HEADER = "工单编号,来电时间,诉求类型,标题,诉求内容,承办单位,来电人,联系电话,工单状态,办理结果,办结时间"
ROW = ("GD202603020001,2026-03-02 09:30,投诉举报,,楼下餐馆油烟扰民，晚上十点后仍在营业。,市卫健委,"
       "张三,13800001111,已派单,,")


def raw(**values):
    base = {"工单编号": "GD1", "来电时间": "2026-03-01 09:30", "诉求类型": "咨询",
            "诉求内容": "请问社保卡如何补办？", "工单状态": "已受理", "联系电话": "13800001111"}
    base.update(values)
    return hotline.RawRow(number=2, values={k: v for k, v in base.items() if v is not None})


def columns_with_errors(order):
    return [column for column, _message in order.errors]


# --- statuses ----------------------------------------------------------------------------------


@pytest.mark.parametrize("hotline_status, ours", [
    ("待受理", LetterStatus.HELD),
    ("已受理", LetterStatus.AWAITING_DISPATCH),
    ("已派单", LetterStatus.IN_PROGRESS),
    ("办理中", LetterStatus.IN_PROGRESS),
    ("已办结", LetterStatus.ANSWERED),
    ("已回访", LetterStatus.ANSWERED),
    ("已退单", LetterStatus.AWAITING_DISPATCH),
    ("不予受理", LetterStatus.REFUSED),
])
def test_hotline_statuses_map_onto_ours(hotline_status, ours):
    assert hotline.letter_status_for(hotline_status) == ours
    assert hotline.letter_status_for(f" {hotline_status} ") == ours


@pytest.mark.parametrize("status", LetterStatus.values)
def test_every_status_of_ours_survives_a_round_trip_through_the_hotline(status):
    assert hotline.letter_status_for(hotline.hotline_status_for(status)) == status


def test_an_answered_letter_the_writer_rated_exports_as_visited():
    assert hotline.hotline_status_for(LetterStatus.ANSWERED) == "已办结"
    assert hotline.hotline_status_for(LetterStatus.ANSWERED, rated=True) == "已回访"
    assert hotline.hotline_status_for(LetterStatus.IN_PROGRESS, rated=True) == "办理中"


def test_concluded_means_closed_on_the_hotline_side():
    assert hotline.is_concluded("已办结") and hotline.is_concluded("已回访")
    assert not hotline.is_concluded("办理中") and not hotline.is_concluded("胡乱")
    assert hotline.letter_status_for("胡乱") is None


def test_kind_synonyms_of_hotline_systems_become_our_kind_names():
    assert hotline.normalise_kind_name("投诉举报") == "投诉"
    assert hotline.normalise_kind_name(" 意见建议 ") == "建议"
    assert hotline.normalise_kind_name("求助") == "求助"


# --- rows --------------------------------------------------------------------------------------


def test_a_good_row_is_parsed_with_its_local_time_and_a_title_from_the_content():
    order = hotline.parse_work_order(raw(), tz=TZ, now=NOW)
    assert order.is_valid, order.errors
    assert order.called_at == datetime(2026, 3, 1, 9, 30, tzinfo=TZ)
    assert order.title == "请问社保卡如何补办？"
    assert order.caller == hotline.ANONYMOUS_CALLER


@pytest.mark.parametrize("column", ["工单编号", "诉求类型", "诉求内容", "工单状态"])
def test_a_required_cell_left_empty_is_named_in_the_error(column):
    order = hotline.parse_work_order(raw(**{column: "  "}), tz=TZ, now=NOW)
    assert column in columns_with_errors(order)
    assert any(column in message for _column, message in order.errors)


@pytest.mark.parametrize("values, column", [
    ({"工单状态": "已经好了"}, "工单状态"),
    ({"来电时间": "三月二日"}, "来电时间"),
    ({"来电时间": "2026-03-03 09:00"}, "来电时间"),  # in the future
    ({"办结时间": "2026-02-01 09:00"}, "办结时间"),  # before the call
    ({"联系电话": "call me"}, "联系电话"),
    ({"标题": "标" * 101}, "标题"),
    ({"诉求内容": "<script>alert(1)</script>"}, "诉求内容"),
    ({"工单编号": "GD 1/2"}, "工单编号"),
])
def test_bad_cells_are_reported_by_column(values, column):
    order = hotline.parse_work_order(raw(**values), tz=TZ, now=NOW)
    assert column in columns_with_errors(order)


@pytest.mark.parametrize("text, expected", [
    ("2026-03-01T09:30:00+08:00", datetime(2026, 3, 1, 9, 30, tzinfo=TZ)),
    ("2026-03-01T01:30:00Z", datetime(2026, 3, 1, 9, 30, tzinfo=TZ)),
    ("2026/03/01 09:30", datetime(2026, 3, 1, 9, 30, tzinfo=TZ)),
    ("2026年3月1日", datetime(2026, 3, 1, tzinfo=TZ)),
    (datetime(2026, 3, 1, 9, 30), datetime(2026, 3, 1, 9, 30, tzinfo=TZ)),
    ("", None),
])
def test_moments_are_read_in_the_usual_ways(text, expected):
    assert hotline.parse_moment(text, tz=TZ) == expected


# --- files -------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding, bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"),
                                           ("gbk", b"")])
def test_csv_is_read_in_utf8_with_or_without_bom_and_in_gbk(encoding, bom):
    data = bom + f"{HEADER}\n{ROW}\n".encode(encoding)
    (row,) = hotline.parse_file(data, fmt="csv")
    assert row.number == 2
    assert row.values["工单编号"] == "GD202603020001"
    assert row.values["承办单位"] == "市卫健委"
    assert hotline.parse_work_order(row, tz=TZ, now=NOW).kind == "投诉"


def test_english_aliases_are_accepted_as_headers_and_json_keys():
    data = ("work_order_id,called_at,category,content,status\n"
            "GD1,2026-03-01 09:30,咨询,请问,已受理\n").encode()
    (row,) = hotline.parse_file(data, fmt="csv")
    assert row.values["工单编号"] == "GD1" and row.values["工单状态"] == "已受理"
    items = [{"work_order_id": "GD2", "request_type": "建议", "description": "多种树",
              "status": "办理中", "unknown": "ignored"}]
    (row,) = hotline.parse_file(json.dumps(items).encode(), fmt="json")
    assert row.number == 1
    assert row.values == {"工单编号": "GD2", "诉求类型": "建议", "诉求内容": "多种树",
                          "工单状态": "办理中"}


def test_blank_lines_are_skipped_and_row_numbers_follow_the_sheet():
    data = f"{HEADER}\n{ROW}\n,,,,,,,,,,\n{ROW.replace('0001', '0002')}\n".encode()
    assert [row.number for row in hotline.parse_file(data, fmt="csv")] == [2, 4]


def test_xlsx_numbers_and_dates_come_back_as_text_and_datetimes():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["工单编号", "来电时间", "诉求类型", "诉求内容", "工单状态", "联系电话"])
    sheet.append([202603020001, datetime(2026, 3, 1, 9, 30), "咨询", "请问", "已受理",
                  13800001111])
    buffer = io.BytesIO()
    workbook.save(buffer)
    (row,) = hotline.parse_file(buffer.getvalue(), fmt="xlsx")
    order = hotline.parse_work_order(row, tz=TZ, now=NOW)
    assert order.is_valid, order.errors
    assert order.external_id == "202603020001" and order.phone == "13800001111"
    assert order.called_at == datetime(2026, 3, 1, 9, 30, tzinfo=TZ)


@pytest.mark.parametrize("data, fmt, fragment", [
    (b"\x81\xff\xfe\x00garbage\xff", "csv", "编码"),
    ("标题,内容\n1,2\n".encode(), "csv", "工单编号"),
    (b"", "csv", "空"),
    (b"not a zip", "xlsx", "XLSX"),
    (b'{"a": 1}', "json", "列表"),
    (b"[1, 2]", "json", "第1项"),
    (b"[{", "json", "JSON"),
    (b"x", "pdf", "不支持"),
])
def test_unreadable_files_raise_one_clear_message(data, fmt, fragment):
    with pytest.raises(hotline.HotlineFileError) as error:
        hotline.parse_file(data, fmt=fmt)
    assert fragment in str(error.value)


RECORD = {
    "external_id": "GD1", "called_at": datetime(2026, 3, 1, 1, 30, tzinfo=ZoneInfo("UTC")),
    "kind": "咨询", "title": "=HYPERLINK(\"http://evil\")", "content": "请问社保卡如何补办？",
    "body": "示例市教育局", "caller": "张三", "phone": "+86 138 0000 1111", "status": "已办结",
    "result": "已答复", "concluded_at": datetime(2026, 3, 2, 9, 0, tzinfo=TZ),
    "letter_number": "XJ2026000001",
}


def test_csv_export_has_a_bom_local_times_and_defuses_formulas():
    data = hotline.write_file([RECORD], fmt="csv", tz=TZ)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    header, line = text.splitlines()[:2]
    assert header.endswith("网站信件编号")
    assert "2026-03-01 09:30:00" in line
    assert "'=HYPERLINK" in line
    assert "+86 138 0000 1111" in line and "'+86" not in line


def test_xlsx_export_has_a_bold_header_and_date_cells():
    workbook = openpyxl.load_workbook(io.BytesIO(hotline.write_file([RECORD], fmt="xlsx", tz=TZ)))
    sheet = workbook.active
    assert sheet["A1"].value == "工单编号" and sheet["A1"].font.bold
    assert sheet["B2"].value == datetime(2026, 3, 1, 9, 30)
    assert sheet["L2"].value == "XJ2026000001"


@pytest.mark.parametrize("fmt", hotline.FORMATS)
def test_every_export_format_reads_back_to_the_same_work_order(fmt):
    data = hotline.write_file([RECORD], fmt=fmt, tz=TZ)
    (row,) = hotline.parse_file(data, fmt=fmt)
    order = hotline.parse_work_order(row, tz=TZ)
    assert order.external_id == "GD1"
    assert order.called_at == RECORD["called_at"]
    assert order.concluded_at == RECORD["concluded_at"]
    assert order.status == "已办结" and order.body == "示例市教育局"
    assert row.values["网站信件编号"] == "XJ2026000001"


def test_json_export_can_use_english_keys_with_offsets():
    (item,) = json.loads(hotline.write_file([RECORD], fmt="json", tz=TZ, english_keys=True))
    assert item["work_order_id"] == "GD1"
    assert item["called_at"] == "2026-03-01T09:30:00+08:00"
    assert item["letter_number"] == "XJ2026000001"


def test_file_format_comes_from_the_extension():
    assert hotline.format_of("工单.XLSX") == "xlsx"
    assert hotline.format_of("orders.csv") == "csv"
    assert hotline.format_of("orders.exe") is None
    assert hotline.format_of("orders") is None
