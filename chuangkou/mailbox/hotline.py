"""12345 hotline work orders (12345热线工单): columns, statuses and file formats, as pure functions.

国办发〔2020〕53号 makes the 12345 hotline the one number for citizens' requests and asks every
other channel (the government mailbox among them) to exchange work orders with it. Work orders
travel as files with the columns below; the hotline's own statuses are mapped onto ours both ways.
Nothing here touches the database: :mod:`chuangkou.mailbox.actions.exchange` resolves kinds and
bodies, creates and updates letters, and audits.

Columns (工单字段) and the English aliases accepted in JSON and in CSV/XLSX headers:

============  ==================================  =========================================
column        aliases                             meaning
============  ==================================  =========================================
工单编号      work_order_id, order_id, id        the hotline's id (our ``external_id``)
来电时间      called_at, created_at              when the caller called (``submitted_at``)
诉求类型      request_type, category, kind       咨询 / 求助 / 投诉 / 建议 / 批评 (``kind``)
标题          title                              optional; the first 30 characters of the
                                                 content when empty
诉求内容      content, description               what the caller asked (``content``)
承办单位      handling_body, agency, body        the body the hotline dispatched it to
来电人        caller, caller_name, name          the caller's name (``WriterDetails``)
联系电话      phone, caller_phone                the caller's number (``WriterDetails``)
工单状态      status, order_status               the hotline's status (``external_status``)
办理结果      result, handling_result            the hotline's result text
办结时间      concluded_at, closed_at            when the hotline concluded it
网站信件编号  letter_number, number              our letter number (export only)
============  ==================================  =========================================

Status mapping (工单状态 ↔ 信件状态). Hotline → ours tells what a hotline status means in our
terms (used to decide whether the hotline has concluded a work order); ours → hotline is what an
export writes. Round trips of every status of ours give the status back.

===========  ==========================  ====================================================
hotline      ours                        ours → hotline
===========  ==========================  ====================================================
待受理       HELD (待审核)               HELD → 待受理
已受理       AWAITING_DISPATCH (待分办)  AWAITING_DISPATCH → 已受理
已派单       IN_PROGRESS (办理中)        (import only; ours IN_PROGRESS exports as 办理中)
办理中       IN_PROGRESS (办理中)        IN_PROGRESS → 办理中
待审核       IN_REVIEW (答复待审核)      IN_REVIEW → 待审核
已办结       ANSWERED (已答复)           ANSWERED (not rated) → 已办结
已回访       ANSWERED (已答复)           ANSWERED and rated by the writer → 已回访
已退单       AWAITING_DISPATCH (待分办)  (import only)
已合并       MERGED (已合并)             MERGED → 已合并
不予受理     REFUSED (不予受理)          REFUSED → 不予受理
===========  ==========================  ====================================================
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from decimal import Decimal

from django.utils.translation import gettext as _

from .choices import CLOSED_STATUSES, LetterStatus

__all__ = [
    "COLUMNS",
    "EXPORT_COLUMNS",
    "FORMATS",
    "HOTLINE_STATUSES",
    "HotlineFileError",
    "RawRow",
    "WorkOrder",
    "hotline_status_for",
    "is_concluded",
    "letter_status_for",
    "normalise_kind_name",
    "parse_file",
    "parse_work_order",
    "title_from_content",
    "write_file",
]


@dataclass(frozen=True)
class Column:
    """One column of a work order file: its Chinese header, field name and aliases."""

    header: str
    name: str
    aliases: tuple[str, ...]
    max_length: int | None = None


COLUMNS: tuple[Column, ...] = (
    Column("工单编号", "external_id", ("work_order_id", "order_id", "id"), 64),
    Column("来电时间", "called_at", ("called_at", "created_at")),
    Column("诉求类型", "kind", ("request_type", "category", "kind"), 40),
    Column("标题", "title", ("title",), 100),
    Column("诉求内容", "content", ("content", "description")),
    Column("承办单位", "body", ("handling_body", "agency", "body"), 120),
    Column("来电人", "caller", ("caller", "caller_name", "name"), 60),
    Column("联系电话", "phone", ("phone", "caller_phone"), 20),
    Column("工单状态", "status", ("status", "order_status"), 40),
    Column("办理结果", "result", ("result", "handling_result"), 5000),
    Column("办结时间", "concluded_at", ("concluded_at", "closed_at")),
)
LETTER_NUMBER = Column("网站信件编号", "letter_number", ("letter_number", "number"), 24)
EXPORT_COLUMNS: tuple[Column, ...] = (*COLUMNS, LETTER_NUMBER)
HEADER_OF = {column.name: column.header for column in EXPORT_COLUMNS}
REQUIRED_HEADERS = ("工单编号", "诉求类型", "诉求内容", "工单状态")
FORMATS = ("csv", "xlsx", "json")
TITLE_CHARS = 30
# A caller who gives no name (匿名来电) is recorded under this name.
ANONYMOUS_CALLER = "12345匿名来电人"

# hotline status → our status (see the module docstring's table)
HOTLINE_TO_OURS: dict[str, str] = {
    "待受理": LetterStatus.HELD,
    "已受理": LetterStatus.AWAITING_DISPATCH,
    "已派单": LetterStatus.IN_PROGRESS,
    "办理中": LetterStatus.IN_PROGRESS,
    "待审核": LetterStatus.IN_REVIEW,
    "已办结": LetterStatus.ANSWERED,
    "已回访": LetterStatus.ANSWERED,
    "已退单": LetterStatus.AWAITING_DISPATCH,
    "已合并": LetterStatus.MERGED,
    "不予受理": LetterStatus.REFUSED,
}
OURS_TO_HOTLINE: dict[str, str] = {
    LetterStatus.HELD: "待受理",
    LetterStatus.AWAITING_DISPATCH: "已受理",
    LetterStatus.IN_PROGRESS: "办理中",
    LetterStatus.IN_REVIEW: "待审核",
    LetterStatus.ANSWERED: "已办结",
    LetterStatus.MERGED: "已合并",
    LetterStatus.REFUSED: "不予受理",
}
RATED_ANSWERED = "已回访"
HOTLINE_STATUSES = tuple(HOTLINE_TO_OURS)
# Hotline systems write the kind in several ways; these are the common ones.
KIND_SYNONYMS = {
    "咨询类": "咨询", "政策咨询": "咨询",
    "求助类": "求助", "求决": "求助", "求决类": "求助",
    "投诉类": "投诉", "举报": "投诉", "投诉举报": "投诉",
    "建议类": "建议", "意见建议": "建议",
    "批评类": "批评", "批评意见": "批评",
}
HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
PHONE = re.compile(r"^\+?[0-9][0-9 \-]{2,18}[0-9]$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S",
                    "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日 %H:%M",
                    "%Y年%m月%d日")


class HotlineFileError(ValueError):
    """The file as a whole cannot be read (wrong format, encoding, no header, bad JSON)."""


def letter_status_for(hotline_status: str) -> str | None:
    """Our letter status for a hotline status, or None when the hotline status is unknown."""
    return HOTLINE_TO_OURS.get((hotline_status or "").strip())


def hotline_status_for(status: str, *, rated: bool = False) -> str:
    """The hotline status an export writes for one of our statuses (已回访 once rated)."""
    if status == LetterStatus.ANSWERED and rated:
        return RATED_ANSWERED
    return OURS_TO_HOTLINE[status]


def is_concluded(hotline_status: str) -> bool:
    """True when the hotline considers the work order closed (已办结, 已回访, …)."""
    return letter_status_for(hotline_status) in CLOSED_STATUSES


def normalise_kind_name(text: str) -> str:
    """The kind name a hotline's 诉求类型 stands for (投诉举报 → 投诉); unknown text unchanged."""
    text = (text or "").strip()
    return KIND_SYNONYMS.get(text, text)


def title_from_content(content: str, *, length: int = TITLE_CHARS) -> str:
    """A title made of the content's first ``length`` characters, whitespace collapsed."""
    return " ".join(content.split())[:length]


@dataclass(frozen=True)
class RawRow:
    """One row of a file as read: its number in the file (a spreadsheet's row number, the
    header being row 1; a JSON list's position from 1) and its cells by Chinese header."""

    number: int
    values: Mapping[str, object]


@dataclass
class WorkOrder:
    """A row checked at the edge: text trimmed, dates parsed, required cells present."""

    number: int
    external_id: str
    called_at: datetime | None
    kind: str
    title: str
    content: str
    body: str
    caller: str
    phone: str
    status: str
    result: str
    concluded_at: datetime | None
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _alias_table() -> dict[str, str]:
    table = {}
    for column in EXPORT_COLUMNS:
        table[column.header] = column.header
        for alias in column.aliases:
            table[alias.lower()] = column.header
    return table


ALIASES = _alias_table()


def canonical_header(name: object) -> str | None:
    """The Chinese header a file's header cell (Chinese or an English alias) stands for."""
    text = str(name or "").strip().lstrip("\ufeff").strip()
    return ALIASES.get(text) or ALIASES.get(text.lower())


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # spreadsheets store long numeric ids and phones as floats
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return CONTROL.sub("", str(value)).strip()


def parse_moment(value: object, *, tz: tzinfo) -> datetime | None:
    """A date/time cell as an aware datetime (naive values are in ``tz``); None when empty.

    Accepts ISO 8601 (with or without offset), ``2026-03-02 09:30[:00]``, slashes,
    ``2026年3月2日``, a bare date (midnight) and the datetime objects spreadsheets give.
    Raises ValueError for anything else.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    else:
        text = str(value).strip()
        if not text:
            return None
        moment = None
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            for pattern in DATETIME_FORMATS:
                try:
                    moment = datetime.strptime(text, pattern)
                    break
                except ValueError:
                    continue
        if moment is None:
            raise ValueError(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment


def parse_work_order(row: RawRow, *, tz: tzinfo, now: datetime | None = None) -> WorkOrder:
    """Check one raw row; every problem is listed as ``(column header, message)``.

    Kinds and bodies are only normalised here (the action resolves them); statuses must be one
    of :data:`HOTLINE_STATUSES`.
    """
    cells = {header: _text(value) for header, value in row.values.items()}
    raw_moments = {header: row.values.get(header) for header in ("来电时间", "办结时间")}
    errors: list[tuple[str, str]] = []

    def cell(header: str) -> str:
        return cells.get(header, "")

    for header in ("工单编号", "诉求类型", "诉求内容", "工单状态"):
        if not cell(header):
            errors.append((header, _("“%(column)s”不能为空。") % {"column": header}))
    for column in COLUMNS:
        value = cell(column.header)
        if column.max_length and len(value) > column.max_length:
            errors.append((column.header, _("“%(column)s”不能超过%(limit)d个字符（现有%(count)d个）。")
                           % {"column": column.header, "limit": column.max_length,
                              "count": len(value)}))
    for header in ("标题", "诉求内容", "办理结果", "来电人"):
        if HTML_TAG.search(cell(header)):
            errors.append((header, _("“%(column)s”不能包含HTML标记，请只填写纯文本。")
                           % {"column": header}))
    external_id = cell("工单编号")
    if external_id and not re.fullmatch(r"[0-9A-Za-z_\-.]+", external_id):
        errors.append(("工单编号", _("“工单编号”只能由字母、数字、下划线、连字符和点组成。")))
    phone = cell("联系电话")
    if phone and not PHONE.fullmatch(phone):
        errors.append(("联系电话", _("“联系电话”应为电话号码（数字，可含+、-和空格）。")))
    status = cell("工单状态")
    if status and status not in HOTLINE_TO_OURS:
        errors.append(("工单状态", _("“工单状态”应为以下之一：%(allowed)s。")
                       % {"allowed": "、".join(HOTLINE_STATUSES)}))
    moments: dict[str, datetime | None] = {}
    for header, value in raw_moments.items():
        try:
            moments[header] = parse_moment(value, tz=tz)
        except ValueError:
            moments[header] = None
            errors.append((header, _("“%(column)s”不是有效的日期时间，请按“2026-03-02 09:30”填写。")
                           % {"column": header}))
    called_at, concluded_at = moments["来电时间"], moments["办结时间"]
    if now is not None:
        for header, moment in (("来电时间", called_at), ("办结时间", concluded_at)):
            if moment is not None and moment > now:
                errors.append((header, _("“%(column)s”不能晚于现在。") % {"column": header}))
    if called_at and concluded_at and concluded_at < called_at:
        errors.append(("办结时间", _("“办结时间”不能早于“来电时间”。")))
    content = cell("诉求内容")
    return WorkOrder(
        number=row.number, external_id=external_id, called_at=called_at,
        kind=normalise_kind_name(cell("诉求类型")),
        title=cell("标题") or title_from_content(content), content=content,
        body=cell("承办单位"), caller=cell("来电人") or ANONYMOUS_CALLER, phone=phone,
        status=status, result=cell("办理结果"), concluded_at=concluded_at, errors=errors,
    )


# --- reading files -----------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    """UTF-8 with or without BOM, else GB18030 (a superset of GBK, what Excel in China writes)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise HotlineFileError(_("文件编码无法识别，请保存为UTF-8或GBK编码的CSV文件。")) from error


def _rows_from_table(header: Sequence[object], body: Iterable[tuple[int, Sequence[object]]]
                     ) -> list[RawRow]:
    headers = [canonical_header(name) for name in header]
    missing = [name for name in REQUIRED_HEADERS if name not in headers]
    if missing:
        raise HotlineFileError(_("表头缺少以下列：%(columns)s。第一行应为列名，如“工单编号”“诉求类型”。")
                               % {"columns": "、".join(missing)})
    rows = []
    for number, cells in body:
        values = {name: cells[index] if index < len(cells) else None
                  for index, name in enumerate(headers) if name}
        if all(_text(value) == "" for value in values.values()):
            continue  # blank lines at the end of a sheet
        rows.append(RawRow(number=number, values=values))
    return rows


def parse_csv(data: bytes) -> list[RawRow]:
    text = _decode(data)
    try:
        table = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise HotlineFileError(_("CSV文件格式有误：%(error)s") % {"error": error}) from error
    if not table:
        raise HotlineFileError(_("文件是空的。"))
    return _rows_from_table(table[0], ((index, cells) for index, cells in enumerate(table[1:], 2)))


def parse_xlsx(data: bytes) -> list[RawRow]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of error on malformed files
        raise HotlineFileError(_("无法读取XLSX文件，请确认文件未损坏且为Excel 2007及以上格式。")) from error
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise HotlineFileError(_("文件是空的。"))
        return _rows_from_table(header, ((index, cells) for index, cells in enumerate(rows, 2)))
    finally:
        workbook.close()


def parse_json(data: bytes) -> list[RawRow]:
    try:
        payload = json.loads(_decode(data))
    except json.JSONDecodeError as error:
        raise HotlineFileError(_("JSON格式有误（第%(line)d行）：%(error)s")
                               % {"line": error.lineno, "error": error.msg}) from error
    if not isinstance(payload, list):
        raise HotlineFileError(_("JSON文件应为工单对象的列表（[...]）。"))
    rows = []
    for number, item in enumerate(payload, 1):
        if not isinstance(item, dict):
            raise HotlineFileError(_("JSON列表的第%(number)d项不是对象。") % {"number": number})
        values = {}
        for key, value in item.items():
            header = canonical_header(key)
            if header and not isinstance(value, dict | list):
                values[header] = value
        rows.append(RawRow(number=number, values=values))
    return rows


def parse_file(data: bytes, *, fmt: str) -> list[RawRow]:
    """The rows of a work-order file in ``fmt`` (csv, xlsx or json); raises HotlineFileError."""
    parsers = {"csv": parse_csv, "xlsx": parse_xlsx, "json": parse_json}
    if fmt not in parsers:
        raise HotlineFileError(_("不支持的文件格式：%(fmt)s（支持CSV、XLSX、JSON）。") % {"fmt": fmt})
    return parsers[fmt](data)


def format_of(filename: str) -> str | None:
    """The format a file name's extension names, or None."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return extension if extension in FORMATS else None


# --- writing files -----------------------------------------------------------------------------

FORMULA_START = ("=", "@", "\t", "\r")
SIGNED_NUMBER = re.compile(r"^[+-][0-9 ()\-.]*$")


def spreadsheet_safe(value: str) -> str:
    """Text that a spreadsheet will not run as a formula (CSV injection): a leading =, @, +
    or - gets a quote, except a signed number such as a phone number (+86 …)."""
    if value.startswith(FORMULA_START) or (
            value.startswith(("+", "-")) and not SIGNED_NUMBER.match(value)):
        return "'" + value
    return value


def _local_text(moment: datetime | None, tz: tzinfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def write_file(records: Sequence[Mapping[str, object]], *, fmt: str, tz: tzinfo,
               english_keys: bool = False) -> bytes:
    """``records`` (dicts keyed by field name, see :data:`EXPORT_COLUMNS`) as a file.

    CSV is UTF-8 with a BOM (Excel opens it as Unicode); XLSX has a bold header and real date
    cells; JSON is a list of objects keyed by the Chinese headers (English aliases with
    ``english_keys``) with ISO 8601 times carrying their offset.
    """
    if fmt == "csv":
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow([column.header for column in EXPORT_COLUMNS])
        for record in records:
            writer.writerow([
                _local_text(value, tz) if isinstance(value, datetime)
                else spreadsheet_safe(_text(value))
                for value in (record.get(column.name) for column in EXPORT_COLUMNS)
            ])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        return _write_xlsx(records, tz=tz)
    if fmt == "json":
        items = []
        for record in records:
            item = {}
            for column in EXPORT_COLUMNS:
                value = record.get(column.name)
                key = column.aliases[0] if english_keys else column.header
                if isinstance(value, datetime):
                    item[key] = value.astimezone(tz).isoformat()
                else:
                    item[key] = _text(value) if value is not None else None
            items.append(item)
        return json.dumps(items, ensure_ascii=False, indent=2).encode("utf-8")
    raise HotlineFileError(_("不支持的文件格式：%(fmt)s（支持CSV、XLSX、JSON）。") % {"fmt": fmt})


def _write_xlsx(records: Sequence[Mapping[str, object]], *, tz: tzinfo) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "12345工单"
    sheet.append([column.header for column in EXPORT_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for record in records:
        row = []
        for column in EXPORT_COLUMNS:
            value = record.get(column.name)
            if isinstance(value, datetime):
                row.append(value.astimezone(tz).replace(tzinfo=None))
            else:
                row.append(spreadsheet_safe(_text(value)))
        sheet.append(row)
    for index, column in enumerate(EXPORT_COLUMNS):
        if column.name in ("called_at", "concluded_at"):
            for cell in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
                cell[0].number_format = "yyyy-mm-dd hh:mm:ss"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
