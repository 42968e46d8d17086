"""Import and export of the service catalogue (事项导入导出) as JSON and XLSX.

One column scheme serves both formats: each column has a JSON key and an XLSX header (the
model field's verbose name). A city loads its items from its existing system with either, and
loading the same file again changes nothing: items are matched on 事项编码 (``code``).

JSON::

    {"format": "chuangkou-service-catalogue", "version": 1,
     "items": [{"code": "...", "name": "...", "kind": "licensing", "implementing_body": "education",
                "themes": ["person:jiaoyu"], "channels": ["shimin"], ...,
                "materials": [{...}], "steps": [{...}], "faqs": [{...}], "form_fields": [{...}]}]}

XLSX: sheet 事项 (one row per item) and the list sheets 申请材料, 办理流程, 常见问题 and
申请表字段, whose rows name their item in the column 事项编码 and are kept in sheet order.

Values (both formats):

- 实施主体 is the body's slug (its full name is accepted too).
- 办事主题 are ``audience:slug`` keys (``person:shengyu``; ``个人办事:生育收养`` is accepted),
  用户频道 are slugs (or names), 结果送达方式 are codes (or labels). In XLSX a list is one cell,
  its entries joined by "、".
- Choices (事项类型, 服务对象, 申请所需身份, 材料形式, 字段类型) are exported as codes in JSON and as
  Chinese labels in XLSX; both are accepted. 网办深度 is 1-4 (or its label, "三级：网上申请").
- Yes/no columns are ``true``/``false`` in JSON and 是/否 in XLSX.
- 选项 of a form field holds one option per line.
- Blank forms and filled examples of materials are documents kept in the admin; they are not
  part of the exchange and an import keeps those of the material with the same name.

Partial files: a column (or JSON key) left out keeps the item's current value, a list sheet (or
list key) left out keeps the item's current list; an empty cell sets the field to empty or its
default. Every row is checked before anything is saved; a file with any error saves nothing.
An XLSX text cell that would start a formula (= + - @) is written with a leading apostrophe,
which the import takes off again.
"""

import io
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangkou.core.audit import json_safe, record_event
from chuangkou.organizations.models import Body

from .choices import (
    Audience,
    DeliveryMethod,
    FormFieldKind,
    MaterialForm,
    OnlineDepth,
    RequiredIdentity,
    ServiceItemKind,
    ThemeAudience,
)
from .completeness import missing_elements
from .exceptions import ServicesRuleViolation
from .models import ServiceItem, ServiceTheme, UserChannel
from .queries.access import managed_bodies

__all__ = [
    "FORMATS",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "IMPORT_MAX_BYTES",
    "ImportReport",
    "ItemOutcome",
    "detect_format",
    "export_catalogue",
    "import_catalogue",
    "record_catalogue_export",
]

FORMAT_NAME = "chuangkou-service-catalogue"
FORMAT_VERSION = 1
JSON, XLSX = "json", "xlsx"
FORMATS = (JSON, XLSX)
CONTENT_TYPES = {
    JSON: "application/json; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
IMPORT_MAX_BYTES = 5 * 1024 * 1024
# A zip bomb: a small XLSX that unpacks to gigabytes.
XLSX_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_ITEMS = 20000
# A cell starting with one of these is a formula to a spreadsheet (CSV/XLSX injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATORS = re.compile(r"[、,，;；\n]+")
YES = ("是", "true", "1", "yes", "y", "√")
NO = ("否", "false", "0", "no", "n", "×")


# ---------------------------------------------------------------------------------------------
# The column scheme
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # JSON key and the ServiceItemData / list dataclass field
    header: str  # XLSX header: the model field's verbose name
    kind: str = "text"  # text, int, optional_int, bool, choice, depth, decimal, list, body
    choices: Any = None
    required: bool = False
    # Headers an XLSX may use instead (the verbose name without its bracketed unit).
    aliases: tuple[str, ...] = ()


def _col(key, header, kind="text", choices=None, required=False):
    short = re.sub(r"（.*?）$", "", header)
    return Column(key, header, kind, choices, required, (short,) if short != header else ())


ITEM_COLUMNS = (
    _col("code", "事项编码", required=True),
    _col("name", "事项名称", required=True),
    _col("kind", "事项类型", "choice", ServiceItemKind, required=True),
    _col("implementing_body", "实施主体", "body", required=True),
    _col("audience", "服务对象", "choice", Audience),
    _col("themes", "办事主题", "themes"),
    _col("channels", "用户频道", "channels"),
    _col("summary", "简介"),
    _col("legal_basis", "设定依据"),
    _col("acceptance_conditions", "受理条件"),
    _col("process_description", "办理流程说明"),
    _col("place", "办理地点"),
    _col("office_hours", "办理时间"),
    _col("legal_time_limit_days", "法定时限（工作日）", "optional_int"),
    _col("promised_time_limit_days", "承诺时限（工作日）", "int"),
    _col("charges_fee", "收费", "bool"),
    _col("fee_basis", "收费依据"),
    _col("fee_standard", "收费标准"),
    _col("consultation_phone", "咨询电话"),
    _col("complaint_phone", "监督投诉电话"),
    _col("visits_required", "到现场次数", "int"),
    _col("special_procedures", "特殊环节"),
    _col("online_depth", "网办深度", "depth"),
    _col("required_identity", "申请所需身份", "choice", RequiredIdentity),
    _col("accepts_proxy", "可代办", "bool"),
    _col("delivery_methods", "结果送达方式", "delivery"),
    _col("is_published", "已公开", "bool"),
    _col("sort_order", "排序", "int"),
)
MATERIAL_COLUMNS = (
    _col("name", "材料名称", required=True),
    _col("form", "材料形式", "choice", MaterialForm),
    _col("copies", "份数", "int"),
    _col("is_required", "必要材料", "bool"),
    _col("source", "来源渠道"),
    _col("notes", "填报须知"),
    _col("upload_required", "网上申请须上传", "bool"),
)
STEP_COLUMNS = (
    _col("name", "环节名称", required=True),
    _col("description", "环节说明"),
    _col("time_limit_days", "环节时限（工作日）", "optional_int"),
)
FAQ_COLUMNS = (
    _col("question", "问题", required=True),
    _col("answer", "解答", required=True),
)
FORM_FIELD_COLUMNS = (
    _col("name", "字段标识", required=True),
    _col("label", "字段名称", required=True),
    _col("kind", "字段类型", "choice", FormFieldKind),
    _col("is_required", "必填", "bool"),
    _col("help_text", "填写说明"),
    _col("choices", "选项", "lines"),
    _col("max_length", "最多字数", "optional_int"),
    _col("min_value", "最小值", "decimal"),
    _col("max_value", "最大值", "decimal"),
    _col("pattern", "格式（正则表达式）"),
    _col("pattern_message", "格式不符时的提示"),
)


@dataclass(frozen=True)
class ListSpec:
    key: str  # ServiceItemData field and JSON key
    sheet: str  # XLSX sheet and the name in messages
    columns: tuple[Column, ...]
    data_class_name: str


ITEM_SHEET = "事项"
CODE_HEADER = "事项编码"
LISTS = (
    ListSpec("materials", "申请材料", MATERIAL_COLUMNS, "MaterialData"),
    ListSpec("steps", "办理流程", STEP_COLUMNS, "StepData"),
    ListSpec("faqs", "常见问题", FAQ_COLUMNS, "FAQData"),
    ListSpec("form_fields", "申请表字段", FORM_FIELD_COLUMNS, "FormFieldData"),
)
# ServiceItemData's names for the two lists the files call themes and channels.
DATA_KEYS = {"themes": "theme_keys", "channels": "channel_slugs"}


def _catalogue_actions():
    # Imported late: the catalogue actions import the models this module's importers load.
    from .actions import catalogue

    return catalogue


# ---------------------------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------------------------


@dataclass
class ItemOutcome:
    code: str
    name: str
    body: str
    outcome: str  # created, updated, unchanged
    missing: list[str] = field(default_factory=list)

    @property
    def outcome_label(self) -> str:
        return {"created": _("新增"), "updated": _("更新"), "unchanged": _("未变")}[self.outcome]


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do): items created, updated and unchanged,
    with the guide elements each lacks; or the errors that stopped it (then nothing is saved)."""

    format: str = ""
    dry_run: bool = False
    items: list[ItemOutcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def _count(self, outcome: str) -> int:
        return sum(1 for item in self.items if item.outcome == outcome) if self.ok else 0

    @property
    def created(self) -> int:
        return self._count("created")

    @property
    def updated(self) -> int:
        return self._count("updated")

    @property
    def unchanged(self) -> int:
        return self._count("unchanged")

    @property
    def incomplete(self) -> list[ItemOutcome]:
        return [item for item in self.items if item.missing]

    def summary(self) -> str:
        if not self.ok:
            return _("导入失败：发现 %(count)d 处错误，没有保存任何事项。") % {
                "count": len(self.errors)}
        text = _("新增 %(created)d 项，更新 %(updated)d 项，未变 %(unchanged)d 项；"
                 "办事指南要素不全 %(incomplete)d 项。") % {
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "incomplete": len(self.incomplete)}
        if self.dry_run:
            text = _("试导入（未保存）：") + text
        return text


class _FileRefused(Exception):
    """The file as a whole cannot be read; the message says why."""


# ---------------------------------------------------------------------------------------------
# Reading the two formats into the same raw records
# ---------------------------------------------------------------------------------------------


@dataclass
class _RawRow:
    where: str  # "事项 第5行" / "事项 第5条"
    values: dict[str, Any]  # column key -> raw value, only the columns the file has


@dataclass
class _RawItem:
    row: _RawRow
    # list key -> rows; a key absent from the dict: the file does not give that list
    lists: dict[str, list[_RawRow]] = field(default_factory=dict)


def detect_format(data: bytes) -> str | None:
    """``xlsx`` for a ZIP holding a workbook, ``json`` for text starting with ``{``."""
    if data.startswith(b"PK\x03\x04"):
        return XLSX
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return JSON
    return None


def _read_json(data: bytes) -> list[_RawItem]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise _FileRefused(_("文件不是 UTF-8 编码的 JSON。")) from error
    except json.JSONDecodeError as error:
        raise _FileRefused(_("JSON 格式错误（第%(line)d行第%(column)d列）：%(message)s") % {
            "line": error.lineno, "column": error.colno, "message": error.msg}) from error
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise _FileRefused(_("JSON 文件不是事项目录：format 应为“%(name)s”。") % {
            "name": FORMAT_NAME})
    if document.get("version") != FORMAT_VERSION:
        raise _FileRefused(_("不支持的事项目录版本：%(version)s（应为 %(expected)d）。") % {
            "version": document.get("version"), "expected": FORMAT_VERSION})
    items = document.get("items")
    if not isinstance(items, list):
        raise _FileRefused(_("JSON 文件缺少事项列表 items。"))
    if len(items) > MAX_ITEMS:
        raise _FileRefused(_("一次最多导入 %(max)d 个事项，请拆分文件。") % {"max": MAX_ITEMS})
    known = {column.key for column in ITEM_COLUMNS} | {spec.key for spec in LISTS}
    records = []
    for number, entry in enumerate(items, 1):
        where = _("事项 第%(number)d条") % {"number": number}
        if not isinstance(entry, dict):
            raise _FileRefused(_("%(where)s：应为对象（键值对）。") % {"where": where})
        unknown = sorted(set(entry) - known)
        if unknown:
            raise _FileRefused(_("%(where)s：未知的字段 %(keys)s。") % {
                "where": where, "keys": "、".join(unknown)})
        record = _RawItem(_RawRow(where, {key: value for key, value in entry.items()
                                          if key not in {spec.key for spec in LISTS}}))
        for spec in LISTS:
            if spec.key not in entry:
                continue
            rows = entry[spec.key]
            if not isinstance(rows, list):
                raise _FileRefused(_("%(where)s %(list)s：应为列表。") % {
                    "where": where, "list": spec.sheet})
            record.lists[spec.key] = []
            names = {column.key for column in spec.columns}
            for index, row in enumerate(rows, 1):
                row_where = _("%(where)s %(list)s 第%(number)d条") % {
                    "where": where, "list": spec.sheet, "number": index}
                if not isinstance(row, dict):
                    raise _FileRefused(_("%(where)s：应为对象（键值对）。") % {"where": row_where})
                unknown = sorted(set(row) - names)
                if unknown:
                    raise _FileRefused(_("%(where)s：未知的字段 %(keys)s。") % {
                        "where": row_where, "keys": "、".join(unknown)})
                record.lists[spec.key].append(_RawRow(row_where, dict(row)))
        records.append(record)
    return records


def _header_map(columns: tuple[Column, ...]) -> dict[str, str]:
    names = {}
    for column in columns:
        for name in (column.header, column.key, *column.aliases):
            names[name.strip().lower()] = column.key
    return names


def _sheet_rows(sheet, columns: tuple[Column, ...], sheet_name: str,
                *, with_code: bool) -> list[tuple[str, _RawRow]]:
    """(事项编码, row) for each non-empty row of ``sheet`` under its header row."""
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return []
    names = _header_map(columns)
    code_names = {CODE_HEADER.lower(), "code", "item_code"}
    keys = []
    for position, cell in enumerate(header, 1):
        text = _cell_text(cell).lower()
        if not text:
            keys.append(None)
        elif not with_code and text in code_names:
            keys.append("__code__")
        elif text in names:
            keys.append(names[text])
        else:
            raise _FileRefused(_("%(sheet)s 第1行第%(column)d列：未知的列“%(header)s”。") % {
                "sheet": sheet_name, "column": position, "header": _cell_text(cell)})
    if not with_code and "__code__" not in keys:
        raise _FileRefused(_("%(sheet)s：缺少“%(header)s”列。") % {
            "sheet": sheet_name, "header": CODE_HEADER})
    if with_code and "code" not in keys:
        raise _FileRefused(_("%(sheet)s：缺少“%(header)s”列。") % {
            "sheet": sheet_name, "header": CODE_HEADER})
    result = []
    for number, values in enumerate(rows, 2):
        if not any(_cell_text(value) for value in values):
            continue
        row = {key: _unguard(value) for key, value in zip(keys, values, strict=False)
               if key is not None}
        where = _("%(sheet)s 第%(number)d行") % {"sheet": sheet_name, "number": number}
        code = _cell_text(row.pop("__code__", None) if not with_code else row.get("code"))
        result.append((code, _RawRow(where, row)))
        if len(result) > MAX_ITEMS * 20:
            raise _FileRefused(_("%(sheet)s 行数过多，请拆分文件。") % {"sheet": sheet_name})
    return result


def _read_xlsx(data: bytes) -> list[_RawItem]:
    if not data.startswith(b"PK\x03\x04"):
        raise _FileRefused(_("文件不是有效的 XLSX 文件。旧版 .xls 请另存为 .xlsx。"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise _FileRefused(_("文件不是有效的 XLSX 文件（压缩包已损坏）。")) from error
    if "xl/workbook.xml" not in names:
        raise _FileRefused(_("文件不是有效的 XLSX 文件（缺少工作簿）。"))
    if unpacked > XLSX_MAX_UNCOMPRESSED_BYTES:
        raise _FileRefused(_("XLSX 文件解压后过大，请拆分后导入。"))
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of error on malformed files
        raise _FileRefused(_("无法读取 XLSX 文件：%(error)s") % {
            "error": type(error).__name__}) from error
    try:
        if ITEM_SHEET not in workbook.sheetnames:
            raise _FileRefused(_("XLSX 文件缺少工作表“%(sheet)s”。") % {"sheet": ITEM_SHEET})
        known_sheets = {ITEM_SHEET, *(spec.sheet for spec in LISTS)}
        unknown = [name for name in workbook.sheetnames if name not in known_sheets]
        if unknown:
            raise _FileRefused(_("未知的工作表：%(sheets)s。") % {"sheets": "、".join(unknown)})
        records, by_code = [], {}
        for code, row in _sheet_rows(workbook[ITEM_SHEET], ITEM_COLUMNS, ITEM_SHEET,
                                     with_code=True):
            record = _RawItem(row)
            records.append(record)
            by_code.setdefault(code, record)
            if len(records) > MAX_ITEMS:
                raise _FileRefused(_("一次最多导入 %(max)d 个事项，请拆分文件。") % {
                    "max": MAX_ITEMS})
        orphans = []
        for spec in LISTS:
            if spec.sheet not in workbook.sheetnames:
                continue
            for record in records:
                record.lists[spec.key] = []
            for code, row in _sheet_rows(workbook[spec.sheet], spec.columns, spec.sheet,
                                         with_code=False):
                if code in by_code:
                    by_code[code].lists[spec.key].append(row)
                else:
                    orphans.append(_("%(where)s 事项编码：“事项”表中没有编码为“%(code)s”的事项。") % {
                        "where": row.where, "code": code})
        if orphans:
            raise _Orphans(orphans)
        return records
    finally:
        workbook.close()


class _Orphans(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


# ---------------------------------------------------------------------------------------------
# Converting raw values
# ---------------------------------------------------------------------------------------------


class _Invalid(Exception):
    pass


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _unguard(value):
    """An exported cell's text without the apostrophe that kept it from being a formula."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] and \
            value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _guard(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def _to_text(value) -> str:
    if isinstance(value, list | dict):
        raise _Invalid(_("应为文字"))
    return _cell_text(value)


def _to_int(value, *, optional: bool):
    if value is None or (isinstance(value, str) and not value.strip()):
        if optional:
            return None
        raise _Invalid(_("不能为空，必须是整数"))
    if isinstance(value, bool):
        raise _Invalid(_("必须是整数"))
    if isinstance(value, float):
        if not value.is_integer():
            raise _Invalid(_("必须是整数"))
        value = int(value)
    if isinstance(value, str):
        if not re.fullmatch(r"-?\d+", value.strip()):
            raise _Invalid(_("必须是整数"))
        value = int(value.strip())
    if not isinstance(value, int):
        raise _Invalid(_("必须是整数"))
    if value < 0:
        raise _Invalid(_("不能是负数"))
    if value > 32767:
        raise _Invalid(_("数值过大"))
    return value


def _to_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = _cell_text(value).lower()
    if text in YES:
        return True
    if text in NO or not text:
        return False
    raise _Invalid(_("只能填“是”或“否”"))


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {}
    for value, label in choices.choices:
        lookup[str(value).lower()] = value
        lookup[str(label).lower()] = value
    return lookup


def _to_choice(value, choices):
    text = _cell_text(value).lower()
    lookup = _choice_lookup(choices)
    if text in lookup:
        return lookup[text]
    raise _Invalid(_("“%(value)s”不是有效的取值，可选：%(options)s") % {
        "value": _cell_text(value), "options": "、".join(str(label) for label in choices.labels)})


def _to_depth(value) -> int:
    text = _cell_text(value)
    for depth, label in OnlineDepth.choices:
        label = str(label)
        if text in (str(depth), label, label.split("：")[0]):
            return depth
    raise _Invalid(_("网办深度只能是1至4（一级至四级）"))


def _to_decimal(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _Invalid(_("必须是数字"))
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise _Invalid(_("必须是数字")) from error
    if not number.is_finite():
        raise _Invalid(_("必须是数字"))
    return number


def _to_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        if not all(isinstance(entry, str) for entry in value):
            raise _Invalid(_("应为文字列表"))
        entries = [entry.strip() for entry in value]
    elif isinstance(value, str):
        entries = [entry.strip() for entry in LIST_SEPARATORS.split(value)]
    else:
        raise _Invalid(_("应为文字列表"))
    return [entry for entry in entries if entry]


def _to_lines(value) -> str:
    if isinstance(value, list):
        if not all(isinstance(entry, str) for entry in value):
            raise _Invalid(_("应为文字列表"))
        value = "\n".join(value)
    text = _to_text(value).replace("\r\n", "\n")
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


@dataclass
class _Lookups:
    bodies: dict[str, Body]
    themes: dict[str, tuple[str, str]]
    channels: dict[str, str]

    @classmethod
    def load(cls) -> "_Lookups":
        bodies = {}
        for body in Body.objects.all():
            bodies.setdefault(body.name, body)
            bodies[body.slug] = body
        audience_labels = {value: str(label) for value, label in ThemeAudience.choices}
        themes = {}
        for theme in ServiceTheme.objects.all():
            key = (theme.audience, theme.slug)
            themes[f"{theme.audience}:{theme.slug}"] = key
            themes[f"{audience_labels[theme.audience]}:{theme.name}"] = key
        channels = {}
        for channel in UserChannel.objects.all():
            channels[channel.name] = channel.slug
            channels[channel.slug] = channel.slug
        return cls(bodies, themes, channels)


def _convert(column: Column, value, lookups: _Lookups):
    kind = column.kind
    if kind == "text":
        text = _to_text(value)
        if column.required and not text:
            raise _Invalid(_("不能为空"))
        return text
    if kind == "lines":
        return _to_lines(value)
    if kind == "int":
        return _to_int(value, optional=False)
    if kind == "optional_int":
        return _to_int(value, optional=True)
    if kind == "bool":
        return _to_bool(value)
    if kind == "choice":
        return _to_choice(value, column.choices)
    if kind == "depth":
        return _to_depth(value)
    if kind == "decimal":
        return _to_decimal(value)
    if kind == "body":
        text = _to_text(value)
        if not text:
            raise _Invalid(_("不能为空"))
        if text not in lookups.bodies:
            raise _Invalid(_("没有标识为“%(slug)s”的单位") % {"slug": text})
        return lookups.bodies[text]
    if kind == "themes":
        keys = []
        for entry in _to_list(value):
            normalized = re.sub(r"\s*[:：]\s*", ":", entry)
            if normalized not in lookups.themes:
                raise _Invalid(_("没有办事主题“%(theme)s”（格式：person:shengyu）") % {
                    "theme": entry})
            keys.append(lookups.themes[normalized])
        return tuple(sorted(set(keys)))
    if kind == "channels":
        slugs = []
        for entry in _to_list(value):
            if entry not in lookups.channels:
                raise _Invalid(_("没有用户频道“%(channel)s”") % {"channel": entry})
            slugs.append(lookups.channels[entry])
        return tuple(sorted(set(slugs)))
    if kind == "delivery":
        return tuple(dict.fromkeys(_to_choice(entry, DeliveryMethod)
                                   for entry in _to_list(value)))
    raise AssertionError(kind)


def _convert_row(row: _RawRow, columns: tuple[Column, ...], lookups: _Lookups,
                 errors: list[str], *, new: bool) -> dict[str, Any]:
    values = {}
    for column in columns:
        if column.key not in row.values:
            if column.required and new:
                errors.append(_("%(where)s %(header)s：不能为空") % {
                    "where": row.where, "header": column.header})
            continue
        try:
            values[column.key] = _convert(column, row.values[column.key], lookups)
        except _Invalid as error:
            errors.append(_("%(where)s %(header)s：%(message)s") % {
                "where": row.where, "header": column.header, "message": error})
    return values


# ---------------------------------------------------------------------------------------------
# Items as ServiceItemData, both ways
# ---------------------------------------------------------------------------------------------


def _item_queryset(queryset: QuerySet[ServiceItem]) -> QuerySet[ServiceItem]:
    return queryset.select_related("implementing_body").prefetch_related(
        "materials", "steps", "faqs", "form_fields",
        Prefetch("themes", queryset=ServiceTheme.objects.order_by("audience", "slug")),
        Prefetch("channels", queryset=UserChannel.objects.order_by("slug")))


def item_data(item: ServiceItem):
    """``item`` as the ``ServiceItemData`` that would save it as it is (lists prefetched)."""
    catalogue = _catalogue_actions()
    return catalogue.ServiceItemData(
        code=item.code, name=item.name, kind=item.kind, implementing_body=item.implementing_body,
        audience=item.audience,
        theme_keys=tuple(sorted((theme.audience, theme.slug) for theme in item.themes.all())),
        channel_slugs=tuple(sorted(channel.slug for channel in item.channels.all())),
        summary=item.summary, legal_basis=item.legal_basis,
        acceptance_conditions=item.acceptance_conditions,
        process_description=item.process_description, place=item.place,
        office_hours=item.office_hours, legal_time_limit_days=item.legal_time_limit_days,
        promised_time_limit_days=item.promised_time_limit_days, charges_fee=item.charges_fee,
        fee_basis=item.fee_basis, fee_standard=item.fee_standard,
        consultation_phone=item.consultation_phone, complaint_phone=item.complaint_phone,
        visits_required=item.visits_required, special_procedures=item.special_procedures,
        online_depth=item.online_depth, required_identity=item.required_identity,
        accepts_proxy=item.accepts_proxy, delivery_methods=tuple(item.delivery_methods or ()),
        is_published=item.is_published, sort_order=item.sort_order,
        materials=tuple(catalogue.MaterialData(
            name=m.name, form=m.form, copies=m.copies, is_required=m.is_required,
            source=m.source, notes=m.notes, upload_required=m.upload_required,
            blank_form_id=m.blank_form_id, example_id=m.example_id)
            for m in item.materials.all()),
        steps=tuple(catalogue.StepData(name=s.name, description=s.description,
                                       time_limit_days=s.time_limit_days)
                    for s in item.steps.all()),
        faqs=tuple(catalogue.FAQData(question=f.question, answer=f.answer)
                   for f in item.faqs.all()),
        form_fields=tuple(catalogue.FormFieldData(
            name=f.name, label=f.label, kind=f.kind, is_required=f.is_required,
            help_text=f.help_text, choices=f.choices, max_length=f.max_length,
            min_value=f.min_value, max_value=f.max_value, pattern=f.pattern,
            pattern_message=f.pattern_message)
            for f in item.form_fields.all()),
    )


def _plain(value, column: Column, *, labels: bool):
    """A value of ``column`` as it is written to a file."""
    kind = column.kind
    if kind == "body":
        return value.slug
    if kind == "themes":
        return [f"{audience}:{slug}" for audience, slug in value]
    if kind in ("channels", "delivery"):
        values = list(value)
        if kind == "delivery" and labels:
            values = [str(DeliveryMethod(entry).label) for entry in values]
        return values
    if kind == "choice" and labels:
        return str(column.choices(value).label)
    if kind == "depth":
        return int(value)
    if kind == "decimal":
        return None if value is None else str(value)
    return value


def _json_item(data) -> dict:
    record = {}
    for column in ITEM_COLUMNS:
        record[column.key] = _plain(getattr(data, DATA_KEYS.get(column.key, column.key)),
                                    column, labels=False)
    for spec in LISTS:
        record[spec.key] = [
            {column.key: _plain(getattr(row, column.key), column, labels=False)
             for column in spec.columns}
            for row in getattr(data, spec.key)]
    return record


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


def _prefetched(items) -> list[ServiceItem]:
    if isinstance(items, QuerySet):
        return list(_item_queryset(items).order_by("code"))
    items = sorted(items, key=lambda item: item.code)
    prefetch_related_objects(items, "implementing_body", "materials", "steps", "faqs",
                             "form_fields", "themes", "channels")
    return items


def export_catalogue(*, items: Iterable[ServiceItem], format: str) -> bytes:
    """``items`` (a queryset or a list) as a JSON or XLSX file, in order of their codes."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}")
    data = [item_data(item) for item in _prefetched(items)]
    if format == JSON:
        document = {"format": FORMAT_NAME, "version": FORMAT_VERSION,
                    "exported_at": timezone.now().isoformat(timespec="seconds"),
                    "items": [_json_item(entry) for entry in data]}
        return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    return _xlsx(data)


def _xlsx_cell(value, column: Column):
    value = _plain(value, column, labels=True)
    if column.kind == "bool":
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(value)
    if isinstance(value, str):
        return _guard(value)
    return value


def _xlsx(data: list) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)

    def sheet(title: str, headers: list[str], rows: Iterable[list]):
        from openpyxl.cell import WriteOnlyCell

        worksheet = workbook.create_sheet(title)
        worksheet.freeze_panes = "B2"
        for index, header in enumerate(headers):
            letter = openpyxl.utils.get_column_letter(index + 1)
            worksheet.column_dimensions[letter].width = max(10, min(40, len(header) * 2 + 4))
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(worksheet, value=header)
            cell.font = bold
            header_cells.append(cell)
        worksheet.append(header_cells)
        for row in rows:
            worksheet.append(row)

    sheet(ITEM_SHEET, [column.header for column in ITEM_COLUMNS], (
        [_xlsx_cell(getattr(entry, DATA_KEYS.get(column.key, column.key)), column)
         for column in ITEM_COLUMNS] for entry in data))
    for spec in LISTS:
        sheet(spec.sheet, [CODE_HEADER, *(column.header for column in spec.columns)], (
            [_guard(entry.code), *(_xlsx_cell(getattr(row, column.key), column)
                                   for column in spec.columns)]
            for entry in data for row in getattr(entry, spec.key)))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def record_catalogue_export(*, actor, format: str, bodies: Iterable[Body], count: int) -> None:
    """Audit an export (``services.catalogue.exported``): who took which bodies' items."""
    record_event("services.catalogue.exported", actor=actor, data=json_safe({
        "format": format, "bodies": sorted(body.slug for body in bodies), "items": count}))


# ---------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------


LIST_ERROR_KEY = re.compile(r"^(?P<list>materials|steps|faqs|form_fields)-(?P<index>\d+)-"
                            r"(?P<field>\w+)$")


def _violation_messages(violation: ServicesRuleViolation, record: _RawItem,
                        list_base: int) -> list[str]:
    """The action's ``{field: [messages]}`` as messages naming the file's row and column."""
    item_headers = {column.key: column.header for column in ITEM_COLUMNS}
    item_headers.update({"theme_keys": "办事主题", "channel_slugs": "用户频道"})
    messages = []
    for name, texts in violation.errors.items():
        match = LIST_ERROR_KEY.match(name)
        where, header = record.row.where, item_headers.get(name, "")
        if match:
            spec = next(spec for spec in LISTS if spec.key == match["list"])
            rows = record.lists.get(spec.key) or []
            index = int(match["index"]) - list_base
            where = rows[index].where if 0 <= index < len(rows) else \
                f"{record.row.where} {spec.sheet}"
            header = next((column.header for column in spec.columns
                           if column.key == match["field"]), "")
        elif name in {spec.key for spec in LISTS}:
            where = f"{record.row.where} {next(s.sheet for s in LISTS if s.key == name)}"
        for text in texts:
            messages.append(f"{where} {header}：{text}" if header else f"{where}：{text}")
    return messages


def _list_data(spec: ListSpec, rows: list[_RawRow], existing, lookups: _Lookups,
               errors: list[str]) -> tuple:
    catalogue = _catalogue_actions()
    data_class = getattr(catalogue, spec.data_class_name)
    kept = {row.name: row for row in existing} if spec.key == "materials" else {}
    result = []
    for row in rows:
        before = len(errors)
        values = _convert_row(row, spec.columns, lookups, errors, new=True)
        if len(errors) > before:
            continue
        if spec.key == "materials" and values.get("name") in kept:
            # Blank forms and examples are not exchanged: keep those of the same material.
            previous = kept[values["name"]]
            values.update(blank_form_id=previous.blank_form_id, example_id=previous.example_id)
        try:
            result.append(data_class(**values))
        except TypeError as error:  # a required column missing from the file
            errors.append(f"{row.where}：{error}")
    return tuple(result)


def _refused(report: ImportReport, message: str) -> ImportReport:
    report.errors.append(message)
    return report


def import_catalogue(*, data: bytes, format: str | None, actor, dry_run: bool = False,
                     max_bytes: int = IMPORT_MAX_BYTES) -> ImportReport:
    """Check every row of a JSON or XLSX catalogue and, only if all are valid, save every item
    through ``save_service_item`` in one transaction (idempotent on 事项编码).

    ``actor`` None is a command (import, demo): any body. A user imports only items of bodies
    they manage; a row naming another body is an error. ``dry_run`` checks and reports, saving
    nothing. Audited as ``services.catalogue.imported``.
    """
    report = ImportReport(format=format or "", dry_run=dry_run)
    if actor is not None and not managed_bodies(actor).exists():
        raise PermissionDenied
    if len(data) > max_bytes:
        return _refused(report, _("文件超过 %(mb)s MB，请拆分后导入。") % {
            "mb": f"{max_bytes / (1024 * 1024):g}"})
    if not data:
        return _refused(report, _("文件是空的。"))
    detected = detect_format(data)
    format = format or detected
    report.format = format or ""
    if format not in FORMATS:
        return _refused(report, _("无法识别文件格式：只能导入 JSON 或 XLSX 文件。"))
    if detected != format:
        return _refused(report, _("文件内容不是 %(format)s 格式。") % {"format": format.upper()})
    try:
        records = _read_json(data) if format == JSON else _read_xlsx(data)
    except _FileRefused as error:
        return _refused(report, str(error))
    except _Orphans as error:
        report.errors.extend(error.errors)
        return report
    if not records:
        return _refused(report, _("文件中没有事项。"))
    _import_records(records, actor=actor, report=report)
    if report.ok and not dry_run:
        record_event("services.catalogue.imported", actor=actor, data=json_safe({
            "format": format, "created": report.created, "updated": report.updated,
            "unchanged": report.unchanged,
            "codes": [item.code for item in report.items if item.outcome != "unchanged"][:500]}))
    return report


def _import_records(records: list[_RawItem], *, actor, report: ImportReport) -> None:
    catalogue = _catalogue_actions()
    lookups = _Lookups.load()
    errors = report.errors
    allowed = None if actor is None else set(managed_bodies(actor).values_list("pk", flat=True))
    codes = [_cell_text(record.row.values.get("code")) for record in records]
    existing = {item.code: item for item in _item_queryset(
        ServiceItem.objects.filter(code__in=[code for code in codes if code]))}
    planned = []  # (record, data, existing item or None)
    seen: dict[str, str] = {}
    for record, code in zip(records, codes, strict=True):
        if code in seen:
            errors.append(_("%(where)s 事项编码：“%(code)s”与%(first)s重复。") % {
                "where": record.row.where, "code": code, "first": seen[code]})
            continue
        if code:
            seen[code] = record.row.where
        item = existing.get(code)
        current = item_data(item) if item else None
        before = len(errors)
        values = _convert_row(record.row, ITEM_COLUMNS, lookups, errors, new=item is None)
        for spec in LISTS:
            if spec.key in record.lists:
                values[spec.key] = _list_data(spec, record.lists[spec.key],
                                              getattr(current, spec.key, ()), lookups, errors)
        if len(errors) > before:
            continue
        values = {DATA_KEYS.get(key, key): value for key, value in values.items()}
        data = replace(current, **values) if current else catalogue.ServiceItemData(**values)
        if allowed is not None:
            if data.implementing_body.pk not in allowed:
                errors.append(_("%(where)s 实施主体：您不是“%(body)s”的事项管理员，不能导入该单位的事项。")
                              % {"where": record.row.where, "body": data.implementing_body.name})
                continue
            if item is not None and item.implementing_body_id not in allowed:
                errors.append(_("%(where)s 事项编码：事项“%(code)s”属于“%(body)s”，您不能修改。") % {
                    "where": record.row.where, "code": code,
                    "body": item.implementing_body.name})
                continue
        planned.append((record, data, item, current))
    list_base = _list_error_base()
    with transaction.atomic():
        for record, data, item, current in planned:
            outcome = "unchanged" if current == data else ("updated" if item else "created")
            if outcome != "unchanged":
                try:
                    with transaction.atomic():
                        catalogue.save_service_item(data=data, actor=actor, item=item,
                                                    check_permission=actor is not None)
                except ServicesRuleViolation as violation:
                    errors.extend(_violation_messages(violation, record, list_base))
                    continue
                except PermissionDenied:
                    errors.append(_("%(where)s：您无权修改这个事项。") % {"where": record.row.where})
                    continue
            report.items.append(ItemOutcome(
                code=data.code, name=data.name, body=data.implementing_body.name,
                outcome=outcome,
                missing=missing_elements(data, materials=data.materials, steps=data.steps)))
        if errors or report.dry_run:
            transaction.set_rollback(True)
    if errors:
        report.items.clear()


def _list_error_base() -> int:
    """Whether the catalogue actions number list rows from 0 or 1 in their error keys."""
    return getattr(_catalogue_actions(), "LIST_ERROR_INDEX_BASE", 0)

