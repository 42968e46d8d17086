"""The statistical tables of the annual disclosure report (政府信息公开工作年度报告) in the
format of 国办公开办函〔2021〕30号: tables 二, 三 and 四 with every row and column, and the
cross-check of table 三 (一 + 二 = 三(七) + 四, per column).

Split in two so the rules are tested without a database: ``queries.reports.annual_report_counts``
fetches the raw counts with a constant number of aggregate queries, and ``tables_from_counts``
(pure) lays them out in the official order with the printed labels. Templates and the XLSX
export iterate the result; nothing else knows the layout.

A table is ``{"key", "number", "caption", "blocks": [block]}``; a block is ``{"heading",
"corner", "header_rows": [[{"label", "colspan", "rowspan"}]], "columns": [{"key", "label"}],
"rows": [{"key", "label", "level", "values": [..] or None}]}`` (``values`` None: a group
heading such as "（三）不予公开", whose sub-rows follow).
"""

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from .choices import AppealKind, AppealOutcome, Genre, OrganisationKind
from .response_kinds import RESPONSE_KINDS

FORMAT_SOURCE = "国办公开办函〔2021〕30号"

# Table 三 columns (条例 第二十九条 applicant kinds), in the printed order.
APPLICANT_COLUMNS: list[tuple[str, str]] = [
    ("natural_person", "自然人"),
    (OrganisationKind.COMMERCIAL_ENTERPRISE, "商业企业"),
    (OrganisationKind.RESEARCH_INSTITUTION, "科研机构"),
    (OrganisationKind.PUBLIC_WELFARE_ORGANISATION, "社会公益组织"),
    (OrganisationKind.LEGAL_SERVICE_PROVIDER, "法律服务机构"),
    (OrganisationKind.OTHER, "其他"),
    ("total", "总计"),
]
COUNTED_APPLICANT_COLUMNS = [key for key, _label in APPLICANT_COLUMNS if key != "total"]

# Table 三 rows: (key, printed label, level, group heading?). The result rows 3.x.y are those of
# ``response_kinds.RESPONSE_KINDS``; the module-level assertion below keeps them in step.
APPLICATION_ROWS: list[tuple[str, str, int, bool]] = [
    ("1", "一、本年新收政府信息公开申请数量", 0, False),
    ("2", "二、上年结转政府信息公开申请数量", 0, False),
    ("3", "三、本年度办理结果", 0, True),
    ("3.1", "（一）予以公开", 1, False),
    ("3.2", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, False),
    ("3.3", "（三）不予公开", 1, True),
    ("3.3.1", "1.属于国家秘密", 2, False),
    ("3.3.2", "2.其他法律行政法规禁止公开", 2, False),
    ("3.3.3", "3.危及“三安全一稳定”", 2, False),
    ("3.3.4", "4.保护第三方合法权益", 2, False),
    ("3.3.5", "5.属于三类内部事务信息", 2, False),
    ("3.3.6", "6.属于四类过程性信息", 2, False),
    ("3.3.7", "7.属于行政执法案卷", 2, False),
    ("3.3.8", "8.属于行政查询事项", 2, False),
    ("3.4", "（四）无法提供", 1, True),
    ("3.4.1", "1.本机关不掌握相关政府信息", 2, False),
    ("3.4.2", "2.没有现成信息需要另行制作", 2, False),
    ("3.4.3", "3.补正后申请内容仍不明确", 2, False),
    ("3.5", "（五）不予处理", 1, True),
    ("3.5.1", "1.信访举报投诉类申请", 2, False),
    ("3.5.2", "2.重复申请", 2, False),
    ("3.5.3", "3.要求提供公开出版物", 2, False),
    ("3.5.4", "4.无正当理由大量反复申请", 2, False),
    ("3.5.5", "5.要求行政机关确认或重新出具已获取信息", 2, False),
    ("3.6", "（六）其他处理", 1, True),
    ("3.6.1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 2, False),
    ("3.6.2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 2, False),
    ("3.6.3", "3.其他", 2, False),
    ("3.7", "（七）总计", 1, False),
    ("4", "四、结转下年度继续办理", 0, False),
]
RESULT_ROWS = [key for key, _label, _level, heading in APPLICATION_ROWS
               if key.startswith("3.") and key != "3.7" and not heading]
assert {rule.report_row for rule in RESPONSE_KINDS.values()} == set(RESULT_ROWS), (
    "every result row of table 三 needs exactly the response kinds that fill it")

CROSS_CHECK_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# Table 二, 第二十条第（一）项: the genres counted from the catalogue.
DOCUMENT_GENRES: list[tuple[str, str]] = [
    (Genre.REGULATION, "规章"),
    (Genre.NORMATIVE_DOCUMENT, "行政规范性文件"),
]

# Table 四: columns, in the printed order.
APPEAL_KINDS: list[tuple[str, str]] = [
    (AppealKind.ADMINISTRATIVE_REVIEW, "行政复议"),
    (AppealKind.LAWSUIT_DIRECT, "未经复议直接起诉"),
    (AppealKind.LAWSUIT_AFTER_REVIEW, "复议后起诉"),
]
APPEAL_RESULTS: list[tuple[str, str]] = [
    (AppealOutcome.UPHELD, "结果维持"),
    (AppealOutcome.CORRECTED, "结果纠正"),
    (AppealOutcome.OTHER, "其他结果"),
    (AppealOutcome.PENDING, "尚未审结"),
    ("total", "总计"),
]

# Figures no system here records, typed in on the report page (表二 第二十条第（五）（六）（八）项).
EDITED_FIGURES = ("licensing_decisions", "penalty_decisions", "coercion_decisions", "fee_income")


def empty_counts(year: int) -> dict[str, Any]:
    """Counts with every cell present and zero: what a body with no activity reports."""
    return {
        "year": year,
        "documents": {genre: {"issued": 0, "repealed": 0, "in_force": 0}
                      for genre, _label in DOCUMENT_GENRES},
        "applications": {
            "new": dict.fromkeys(COUNTED_APPLICANT_COLUMNS, 0),
            "carried_over": dict.fromkeys(COUNTED_APPLICANT_COLUMNS, 0),
            "carried_forward": dict.fromkeys(COUNTED_APPLICANT_COLUMNS, 0),
            "results": {row: dict.fromkeys(COUNTED_APPLICANT_COLUMNS, 0) for row in RESULT_ROWS},
        },
        "appeals": {kind: {outcome: 0 for outcome, _label in APPEAL_RESULTS if outcome != "total"}
                    for kind, _label in APPEAL_KINDS},
    }


def applicant_column(applicant_kind: str, organisation_kind: str) -> str:
    """The table 三 column of an applicant: 自然人, or the kind of 法人或其他组织."""
    if applicant_kind == "natural_person":
        return "natural_person"
    return organisation_kind or OrganisationKind.OTHER


def _cell(label: str, *, colspan: int = 1, rowspan: int = 1) -> dict[str, Any]:
    return {"label": label, "colspan": colspan, "rowspan": rowspan}


def _row(key: str, label: str, values: list | None, *, level: int = 0) -> dict[str, Any]:
    return {"key": key, "label": label, "level": level, "values": values}


def _decimal_text(value: Any) -> str:
    number = Decimal(str(value or 0))
    return f"{number.normalize():f}" if number else "0"


def _table_two(counts: dict[str, Any], edited: dict[str, Any]) -> dict[str, Any]:
    documents = counts["documents"]
    decision_columns = [{"key": "decisions", "label": "本年处理决定数量"}]
    return {
        "key": "proactive", "number": "二", "caption": "二、主动公开政府信息情况",
        "blocks": [
            {
                "heading": "第二十条第（一）项", "corner": "信息内容",
                "header_rows": [[_cell("本年制发件数"), _cell("本年废止件数"), _cell("现行有效件数")]],
                "columns": [{"key": "issued", "label": "本年制发件数"},
                            {"key": "repealed", "label": "本年废止件数"},
                            {"key": "in_force", "label": "现行有效件数"}],
                "rows": [_row(str(genre), label, [documents[genre]["issued"],
                                                  documents[genre]["repealed"],
                                                  documents[genre]["in_force"]])
                         for genre, label in DOCUMENT_GENRES],
            },
            {
                "heading": "第二十条第（五）项", "corner": "信息内容",
                "header_rows": [[_cell("本年处理决定数量")]], "columns": decision_columns,
                "rows": [_row("licensing", "行政许可", [int(edited.get("licensing_decisions") or 0)])],
            },
            {
                "heading": "第二十条第（六）项", "corner": "信息内容",
                "header_rows": [[_cell("本年处理决定数量")]], "columns": decision_columns,
                "rows": [_row("penalty", "行政处罚", [int(edited.get("penalty_decisions") or 0)]),
                         _row("coercion", "行政强制", [int(edited.get("coercion_decisions") or 0)])],
            },
            {
                "heading": "第二十条第（八）项", "corner": "信息内容",
                "header_rows": [[_cell("本年收费金额（万元）")]],
                "columns": [{"key": "fee_income", "label": "本年收费金额（万元）"}],
                "rows": [_row("fees", "行政事业性收费",
                              [_decimal_text(edited.get("fee_income"))])],
            },
        ],
    }


def _with_total(by_column: dict[str, int]) -> list[int]:
    values = [int(by_column.get(key, 0)) for key in COUNTED_APPLICANT_COLUMNS]
    return [*values, sum(values)]


def _table_three(counts: dict[str, Any]) -> dict[str, Any]:
    applications = counts["applications"]
    results = applications["results"]
    result_total = {key: sum(int(results[row].get(key, 0)) for row in RESULT_ROWS)
                    for key in COUNTED_APPLICANT_COLUMNS}
    by_row = {"1": applications["new"], "2": applications["carried_over"],
              "3.7": result_total, "4": applications["carried_forward"], **results}
    rows = [_row(key, label, None if heading else _with_total(by_row[key]), level=level)
            for key, label, level, heading in APPLICATION_ROWS]
    return {
        "key": "applications", "number": "三", "caption": "三、收到和处理政府信息公开申请情况",
        "blocks": [{
            "heading": None, "corner": CROSS_CHECK_NOTE,
            "header_rows": [
                [_cell("申请人情况", colspan=7)],
                [_cell("自然人", rowspan=2), _cell("法人或其他组织", colspan=5),
                 _cell("总计", rowspan=2)],
                [_cell(label) for key, label in APPLICANT_COLUMNS[1:6]],
            ],
            "columns": [{"key": str(key), "label": label} for key, label in APPLICANT_COLUMNS],
            "rows": rows,
        }],
    }


def _table_four(counts: dict[str, Any]) -> dict[str, Any]:
    appeals = counts["appeals"]
    values, columns = [], []
    for kind, kind_label in APPEAL_KINDS:
        by_outcome = appeals[kind]
        outcomes = [int(by_outcome.get(outcome, 0)) for outcome, _l in APPEAL_RESULTS[:-1]]
        values += [*outcomes, sum(outcomes)]
        columns += [{"key": f"{kind}.{outcome}", "label": f"{kind_label} {label}"}
                    for outcome, label in APPEAL_RESULTS]
    result_cells = [_cell(label) for _outcome, label in APPEAL_RESULTS]
    return {
        "key": "appeals", "number": "四", "caption": "四、政府信息公开行政复议、行政诉讼情况",
        "blocks": [{
            "heading": None, "corner": "",
            "header_rows": [
                [_cell("行政复议", colspan=5), _cell("行政诉讼", colspan=10)],
                [*[_cell(label, rowspan=2) for _outcome, label in APPEAL_RESULTS],
                 _cell("未经复议直接起诉", colspan=5), _cell("复议后起诉", colspan=5)],
                [*result_cells, *result_cells],
            ],
            "columns": columns,
            "rows": [_row("cases", "案件数量（件）", values)],
        }],
    }


@dataclass(frozen=True)
class CrossCheckProblem:
    """One column of table 三 where 一 + 二 differs from 三(七) + 四."""

    column_key: str
    column_label: str
    received: int  # 一 + 二
    accounted: int  # 三(七) + 四
    difference: int

    @property
    def message(self) -> str:
        return (f"表三“{self.column_label}”列勾稽关系不符：一+二={self.received}，"
                f"三(七)+四={self.accounted}，相差{self.difference}。")


def cross_check(tables: dict[str, Any]) -> list[CrossCheckProblem]:
    """Check 一 + 二 = 三(七) + 四 in every column of table 三 (国办公开办函〔2021〕30号 表三).

    A difference means an application was concluded without a response counted this year, or
    counted twice: the report must not be published until the data are put right.
    """
    table = next(table for table in tables["tables"] if table["key"] == "applications")
    block = table["blocks"][0]
    rows = {row["key"]: row["values"] for row in block["rows"]}
    problems = []
    for index, column in enumerate(block["columns"]):
        received = rows["1"][index] + rows["2"][index]
        accounted = rows["3.7"][index] + rows["4"][index]
        if received != accounted:
            problems.append(CrossCheckProblem(
                column_key=column["key"], column_label=column["label"], received=received,
                accounted=accounted, difference=received - accounted))
    return problems


def tables_from_counts(counts: dict[str, Any], *,
                       edited: dict[str, Any] | None = None) -> dict[str, Any]:
    """The report's tables 二, 三 and 四 in the official order, from ``counts`` (as fetched by
    ``queries.reports.annual_report_counts``) and the page's edited figures."""
    edited = edited or {}
    result = {
        "format": FORMAT_SOURCE,
        "year": counts["year"],
        "counts": counts,
        "tables": [_table_two(counts, edited), _table_three(counts), _table_four(counts)],
    }
    result["cross_check"] = [{**asdict(problem), "message": problem.message}
                             for problem in cross_check(result)]
    return result


def build_tables(*, body, year: int, edited: dict[str, Any] | None = None) -> dict[str, Any]:
    """The tables of ``body``'s report on ``year`` from the live data (JSON-serialisable)."""
    from .queries.reports import annual_report_counts

    return tables_from_counts(annual_report_counts(body=body, year=year), edited=edited)


def table_by_key(tables: dict[str, Any], key: str) -> dict[str, Any]:
    return next(table for table in tables["tables"] if table["key"] == key)


def cell_values(tables: dict[str, Any], key: str) -> dict[str, dict[str, Any]]:
    """``{row key: {column key: value}}`` of one table (blocks merged), for tests and checks."""
    grid: dict[str, dict[str, Any]] = {}
    for block in table_by_key(tables, key)["blocks"]:
        for row in block["rows"]:
            if row["values"] is not None:
                grid[row["key"]] = {column["key"]: value
                                    for column, value in zip(block["columns"], row["values"],
                                                             strict=True)}
    return grid


def tables_workbook(tables: dict[str, Any], *, title: str) -> bytes:
    """An XLSX workbook of ``tables``: one sheet per table, the same labels and cells as the
    page, merged header cells as printed in the official format."""
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for table in tables["tables"]:
        sheet = workbook.create_sheet(f"表{table['number']}")
        sheet.append([title])
        sheet.append([table["caption"]])
        sheet["A2"].font = bold
        line = 3
        for block in table["blocks"]:
            width = len(block["columns"]) + 1
            if block["heading"]:
                sheet.cell(line, 1, block["heading"]).font = bold
                sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=width)
                line += 1
            header_height = len(block["header_rows"])
            sheet.cell(line, 1, block["corner"] or None).alignment = centred
            if header_height > 1:
                sheet.merge_cells(start_row=line, start_column=1,
                                  end_row=line + header_height - 1, end_column=1)
            occupied: set[tuple[int, int]] = set()
            for offset, header_row in enumerate(block["header_rows"]):
                column = 2
                for cell in header_row:
                    while (line + offset, column) in occupied:
                        column += 1
                    target = sheet.cell(line + offset, column, cell["label"])
                    target.font, target.alignment = bold, centred
                    last_row = line + offset + cell["rowspan"] - 1
                    last_column = column + cell["colspan"] - 1
                    if (last_row, last_column) != (line + offset, column):
                        sheet.merge_cells(start_row=line + offset, start_column=column,
                                          end_row=last_row, end_column=last_column)
                    occupied |= {(r, c) for r in range(line + offset, last_row + 1)
                                 for c in range(column, last_column + 1)}
                    column = last_column + 1
            line += header_height
            for row in block["rows"]:
                sheet.cell(line, 1, "\u3000" * row["level"] + row["label"])
                for index, value in enumerate(row["values"] or []):
                    sheet.cell(line, index + 2, xlsx_value(value))
                line += 1
        sheet.column_dimensions["A"].width = 48
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def xlsx_value(value: Any) -> int | float:
    """A cell as written to the workbook: counts stay integers, amounts become numbers."""
    if isinstance(value, int):
        return value
    return float(Decimal(str(value)))
