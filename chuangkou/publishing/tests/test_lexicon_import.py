"""Importing a lexicon file (导入词库): UTF-8 text and real XLSX files, all or nothing, with
every bad line reported by number."""

import io
import zipfile

import openpyxl
import pytest

from chuangkou.core.models import AuditEvent
from chuangkou.publishing import actions, queries
from chuangkou.publishing.choices import LexiconCategory, Severity
from chuangkou.publishing.exceptions import LexiconImportInvalid
from chuangkou.publishing.models import LexiconEntry

pytestmark = pytest.mark.django_db


def upload(content: bytes, name: str):
    file = io.BytesIO(content)
    file.name = name
    return file


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def terms():
    return dict(LexiconEntry.objects.values_list("term", "severity"))


def test_a_text_file_with_one_term_a_line_and_optional_columns():
    content = "# 注释行\n网络赌博\n刷单返利\tfraud\t阻断\n\n非法集资,非法集资,警告\n".encode()
    result = actions.import_lexicon(upload(content, "words.txt"))
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    entries = {e.term: e for e in LexiconEntry.objects.all()}
    assert entries["网络赌博"].category == LexiconCategory.OTHER
    assert entries["网络赌博"].severity == Severity.WARNING
    assert entries["刷单返利"].category == LexiconCategory.FRAUD
    assert entries["刷单返利"].severity == Severity.BLOCKING
    assert entries["非法集资"].category == LexiconCategory.ILLEGAL_FUNDRAISING
    assert entries["网络赌博"].source == "导入：words.txt"
    event = AuditEvent.objects.get(action="publishing.lexicon.imported")
    assert event.data["created"] == 3 and len(event.data["sha256"]) == 64


def test_a_utf8_bom_and_defaults_from_the_form_are_honoured():
    result = actions.import_lexicon(upload("\ufeff裸聊敲诈\n".encode(), "a.txt"),
                                    default_category=LexiconCategory.FRAUD,
                                    default_severity=Severity.NOTICE)
    assert result.created == 1
    entry = LexiconEntry.objects.get()
    assert (entry.term, entry.category, entry.severity) == ("裸聊敲诈", "fraud", "notice")


def test_duplicates_in_the_file_are_merged_keeping_the_most_serious_severity():
    content = "网络赌博\t赌博\t提示\n网络赌博\t赌博\t阻断\n网络赌博\n".encode()
    result = actions.import_lexicon(upload(content, "dup.txt"))
    assert (result.created, result.merged_duplicates) == (1, 2)
    assert terms() == {"网络赌博": Severity.BLOCKING}


def test_reimporting_updates_changed_terms_reactivates_and_counts_unchanged():
    actions.import_lexicon(upload("网络赌博\t赌博\t警告\n刷单返利\t诈骗\t警告\n".encode(), "a.txt"))
    entry = LexiconEntry.objects.get(term="刷单返利")
    actions.deactivate_lexicon_entry(entry=entry)
    result = actions.import_lexicon(upload(
        "网络赌博\t赌博\t警告\n刷单返利\t诈骗\t阻断\n".encode(), "b.txt"))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    entry.refresh_from_db()
    assert entry.is_active and entry.severity == Severity.BLOCKING


def test_errors_are_reported_per_line_and_nothing_is_imported():
    content = "网络赌博\n赌\n刷单返利\t不存在的分类\n非法集资\t诈骗\t很严重\n".encode()
    with pytest.raises(LexiconImportInvalid) as refused:
        actions.import_lexicon(upload(content, "bad.txt"))
    messages = refused.value.errors["file"]
    assert messages[0].startswith("第2行") and "至少需要" in messages[0]
    assert messages[1].startswith("第3行") and "未知分类" in messages[1]
    assert messages[2].startswith("第4行") and "未知级别" in messages[2]
    assert LexiconEntry.objects.count() == 0
    assert not AuditEvent.objects.filter(action="publishing.lexicon.imported").exists()


def test_a_real_xlsx_with_a_header_row_in_any_column_order():
    content = xlsx([["级别", "词条", "分类", "备注"],
                    ["阻断", "真人荷官", "赌博", "招揽赌博"],
                    [None, "刷单返利", "fraud", None],
                    [None, None, None, None],
                    ["提示", 12345678, "其他", None]])
    result = actions.import_lexicon(upload(content, "词库.xlsx"))
    assert result.created == 3
    entries = {e.term: e for e in LexiconEntry.objects.all()}
    assert entries["真人荷官"].severity == Severity.BLOCKING
    assert entries["真人荷官"].category == LexiconCategory.GAMBLING
    assert entries["真人荷官"].note == "招揽赌博"
    assert entries["刷单返利"].severity == Severity.WARNING
    assert "12345678" in entries


def test_an_xlsx_without_a_header_uses_columns_a_b_c():
    result = actions.import_lexicon(upload(xlsx([["网络赌博", "赌博", "警告"]]), "x.xlsx"))
    assert result.created == 1


def test_xlsx_errors_name_the_spreadsheet_row():
    content = xlsx([["词条", "分类", "级别"], ["网络赌博", "赌博", "警告"], ["赌", "", ""]])
    with pytest.raises(LexiconImportInvalid) as refused:
        actions.import_lexicon(upload(content, "x.xlsx"))
    assert refused.value.errors["file"][0].startswith("第3行")


@pytest.mark.parametrize("content,name,message", [
    (b"", "empty.txt", "空的"),
    (b"\xb6\xc4\xb2\xa9\n", "gbk.txt", "UTF-8"),
    (b"abc\x00def", "binary.txt", "二进制"),
    (b"PK\x03\x04rest", "zip.txt", "压缩包"),
    (b"plain text", "fake.xlsx", "不是有效的 XLSX"),
    (b"PK\x03\x04broken", "broken.xlsx", "不是有效的 XLSX"),
    (b"\xd0\xcf\x11\xe0", "old.xls", "只能导入"),
    (b"term", "words.exe", "只能导入"),
    ("词条\n".encode(), "header-only.txt", "没有词条"),
])
def test_malformed_files_are_refused(content, name, message):
    with pytest.raises(LexiconImportInvalid) as refused:
        actions.import_lexicon(upload(content, name))
    assert message in refused.value.errors["file"][0]


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(LexiconImportInvalid) as refused:
        actions.import_lexicon(upload(buffer.getvalue(), "x.xlsx"))
    assert "缺少工作簿" in refused.value.errors["file"][0]


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(actions, "IMPORT_MAX_BYTES", 10)
    with pytest.raises(LexiconImportInvalid) as refused:
        actions.import_lexicon(upload("网络赌博\n刷单返利\n".encode(), "big.txt"))
    assert "超过" in refused.value.errors["file"][0]


def test_many_errors_are_summarised():
    content = "\n".join(["赌"] * 80).encode()
    with pytest.raises(LexiconImportInvalid) as refused:
        actions.import_lexicon(upload(content, "many.txt"))
    messages = refused.value.errors["file"]
    assert len(messages) == actions.MAX_REPORTED_ERRORS + 1 and "另有 30 行" in messages[-1]


def test_a_large_import_is_fast_and_reaches_the_compiled_rules():
    lines = "\n".join(f"词条{number:05d}" for number in range(20_000))
    result = actions.import_lexicon(upload(lines.encode(), "big.txt"))
    assert result.created == 20_000
    assert queries.compiled_content_rules().size == 20_000
