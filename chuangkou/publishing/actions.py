"""Every state change of the content checks (保密审查辅助): the lexicon (敏感词库), the
expression rules (严重表述错误/错别字), check runs and overrides (放行) of their findings.

Each action is keyword-only, atomic and audited; the compiled rules of every process are marked
stale when the lexicon or the rules change.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from django.db import models, transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Workflow, WorkflowPage, WorkflowTask

from chuangkou.core.audit import record_event
from chuangkou.core.exceptions import RuleViolation, full_clean_or_raise
from chuangkou.organizations.choices import Role
from chuangkou.organizations.queries import holds_role_for_page

from . import queries
from .cache_invalidation import advance_after_commit
from .choices import (
    SEVERITY_RANK,
    CheckTrigger,
    LexiconCategory,
    Severity,
)
from .contentchecks import (
    ImageReference,
    Link,
    TextField,
    check_references,
    check_text,
    internal_path,
    parse_rich_text,
)
from .delivery import refresh_after_page_change
from .exceptions import (
    ExpressionRuleInvalid,
    FindingOverrideRefused,
    LexiconEntryInvalid,
    LexiconImportInvalid,
    PublicationBlocked,
    WorkflowInvalid,
)
from .models import ContentCheckRun, ContentFinding, ExpressionRule, LexiconEntry
from .models.checks import TERM_MAX_LENGTH
from .models.workflow import REVIEWING_ROLES, RoleReviewTask

TERM_MIN_LENGTH = 2
OVERRIDE_REASON_MIN_LENGTH = 10
MAX_STORED_FINDINGS = 1000
LEXICON_FIELDS = ("term", "category", "severity", "note", "source", "is_active")
EXPRESSION_RULE_FIELDS = ("kind", "wrong_text", "is_regex", "correction", "severity", "note",
                          "source", "is_active")


def _actor(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _rules_changed() -> None:
    """Mark every process's compiled rules stale: now (this process sees its own change at
    once) and again after commit (a process that rebuilt in between from uncommitted-invisible
    data rebuilds once more)."""
    queries.bump_content_rules_version()
    transaction.on_commit(queries.bump_content_rules_version)


# --- Lexicon (敏感词库) -------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


def clean_term(term: str) -> str:
    """A term as stored: trimmed, inner whitespace collapsed to one space."""
    return _SPACES.sub(" ", (term or "").strip())


def _term_errors(term: str) -> list[str]:
    if not term:
        return [_("词条不能为空。")]
    if _CONTROL.search(term):
        return [_("词条不能包含控制字符。")]
    if len(term) < TERM_MIN_LENGTH:
        return [_("词条至少需要 %(n)d 个字符，单字会误报大量正常内容。") % {"n": TERM_MIN_LENGTH}]
    if len(term) > TERM_MAX_LENGTH:
        return [_("词条不能超过 %(n)d 个字符。") % {"n": TERM_MAX_LENGTH}]
    return []


@transaction.atomic
def add_lexicon_entry(*, term: str, category: str = LexiconCategory.OTHER,
                      severity: str = Severity.WARNING, note: str = "", source: str = "",
                      actor=None) -> LexiconEntry:
    """Add a term to the lexicon (敏感词库)."""
    term = clean_term(term)
    if errors := _term_errors(term):
        raise LexiconEntryInvalid({"term": errors})
    entry = LexiconEntry(term=term, category=category, severity=severity, note=note.strip(),
                         source=source.strip())
    full_clean_or_raise(entry, LexiconEntryInvalid)
    entry.save()
    record_event("publishing.lexicon.added", actor=actor, target=entry,
                 data={"term": term, "category": category, "severity": severity})
    _rules_changed()
    return entry


@transaction.atomic
def update_lexicon_entry(*, entry: LexiconEntry, actor=None, **changes) -> LexiconEntry:
    """Change a lexicon entry's term, category, severity, note, source or whether it is active."""
    unknown = set(changes) - set(LEXICON_FIELDS)
    if unknown:
        raise LexiconEntryInvalid({name: [_("不能在此修改。")] for name in sorted(unknown)})
    entry = LexiconEntry.objects.select_for_update().get(pk=entry.pk)
    if "term" in changes:
        changes["term"] = clean_term(changes["term"])
        if errors := _term_errors(changes["term"]):
            raise LexiconEntryInvalid({"term": errors})
    return _apply_rule_changes(entry, changes, invalid=LexiconEntryInvalid,
                               action="publishing.lexicon.updated", actor=actor)


def _apply_rule_changes(rule, changes: dict, *, invalid: type[RuleViolation], action: str, actor):
    """Validate and save edited fields of a lexicon entry or expression rule, audit the
    before/after values, and make every process recompile the rules."""
    before = {name: getattr(rule, name) for name in changes}
    for name, value in changes.items():
        setattr(rule, name, value)
    full_clean_or_raise(rule, invalid)
    rule.save()
    record_event(action, actor=actor, target=rule,
                 data={"before": before, "after": {name: getattr(rule, name) for name in changes}})
    _rules_changed()
    return rule


def _deactivate_rule(rule, *, action: str, actor, described_by: str):
    """Switch off a lexicon entry or expression rule once (locked: concurrent clicks audit one
    deactivation), audit it and make every process recompile the rules."""
    rule = type(rule).objects.select_for_update().get(pk=rule.pk)
    if not rule.is_active:
        return rule
    rule.is_active = False
    rule.save(update_fields=["is_active", "updated_at"])
    record_event(action, actor=actor, target=rule,
                 data={described_by: getattr(rule, described_by)})
    _rules_changed()
    return rule


@transaction.atomic
def deactivate_lexicon_entry(*, entry: LexiconEntry, actor=None) -> LexiconEntry:
    """Stop screening for a term (停用); the entry stays for the record."""
    return _deactivate_rule(entry, action="publishing.lexicon.deactivated", actor=actor,
                            described_by="term")


# --- Lexicon import (导入词库) -------------------------------------------------------------

IMPORT_MAX_BYTES = 10 * 1024 * 1024
IMPORT_MAX_ENTRIES = 200_000
XLSX_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
TEXT_EXTENSIONS = (".txt", ".csv", ".tsv")
XLSX_EXTENSION = ".xlsx"
MAX_REPORTED_ERRORS = 50

HEADER_NAMES = {
    "term": ("词条", "敏感词", "词语", "term"),
    "category": ("分类", "类别", "category"),
    "severity": ("级别", "等级", "severity"),
    "note": ("说明", "备注", "note"),
    "source": ("来源", "依据", "source"),
}
DEFAULT_COLUMNS = ("term", "category", "severity", "note", "source")


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {}
    for value, label in choices.choices:
        lookup[value.lower()] = value
        lookup[str(label).lower()] = value
    return lookup


@dataclass
class LexiconImportResult:
    """What an import did: entries created, changed, already as imported, and lines that
    repeated a term already in the file (merged)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged_duplicates: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _read_upload(file) -> tuple[str, bytes]:
    name = PurePath(getattr(file, "name", "") or "").name
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(IMPORT_MAX_BYTES + 1)
    if len(data) > IMPORT_MAX_BYTES:
        raise LexiconImportInvalid({"file": [_("文件超过 %(mb)d MB，请拆分后导入。") % {
            "mb": IMPORT_MAX_BYTES // (1024 * 1024)}]})
    if not data:
        raise LexiconImportInvalid({"file": [_("文件是空的。")]})
    return name, data


def _text_rows(data: bytes) -> list[tuple[int, list[str]]]:
    if data.startswith(b"PK\x03\x04"):
        raise LexiconImportInvalid({"file": [_("文件内容是压缩包（如 XLSX），与文本扩展名不符。")]})
    if b"\x00" in data:
        raise LexiconImportInvalid({"file": [_("文件不是文本文件（含有二进制内容）。")]})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise LexiconImportInvalid({"file": [
            _("第%(line)d行：不是 UTF-8 编码，请将文件另存为 UTF-8 后再导入。") % {"line": line}]}
        ) from error
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        separator = "\t" if "\t" in line else ","
        rows.append((number, [cell.strip() for cell in line.split(separator)]))
    return rows


def _xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    if not data.startswith(b"PK\x03\x04"):
        raise LexiconImportInvalid({"file": [_("文件不是有效的 XLSX 文件。旧版 .xls 请另存为 .xlsx。")]})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise LexiconImportInvalid({"file": [_("文件不是有效的 XLSX 文件（压缩包已损坏）。")]}) \
            from error
    if "xl/workbook.xml" not in names:
        raise LexiconImportInvalid({"file": [_("文件不是有效的 XLSX 文件（缺少工作簿）。")]})
    if unpacked > XLSX_MAX_UNCOMPRESSED_BYTES:
        raise LexiconImportInvalid({"file": [_("XLSX 文件解压后过大，请拆分后导入。")]})
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of error on malformed files
        raise LexiconImportInvalid({"file": [_("无法读取 XLSX 文件：%(error)s") % {
            "error": type(error).__name__}]}) from error
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
            cells = [_cell_text(value) for value in values]
            if any(cells):
                rows.append((number, cells))
            if len(rows) > IMPORT_MAX_ENTRIES + 1:
                break
        return rows
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _columns(rows) -> tuple[tuple[str, ...], list[tuple[int, list[str]]]]:
    """Column meanings from a header row (词条/分类/级别...) when the first row is one."""
    if not rows:
        return DEFAULT_COLUMNS, rows
    first = [cell.strip().lower() for cell in rows[0][1]]
    if any(cell in HEADER_NAMES["term"] for cell in first):
        meaning = []
        for cell in first:
            meaning.append(next((key for key, names in HEADER_NAMES.items()
                                 if cell in names), ""))
        return tuple(meaning), rows[1:]
    return DEFAULT_COLUMNS, rows


def parse_lexicon_file(file, *, default_category: str = LexiconCategory.OTHER,
                       default_severity: str = Severity.WARNING
                       ) -> tuple[str, bytes, dict[str, dict], int]:
    """Read and validate an uploaded lexicon (UTF-8 text: one term a line, optionally
    tab- or comma-separated 分类 and 级别; or XLSX with columns 词条/分类/级别).

    Returns (file name, raw bytes, {term: attributes}, merged duplicate count); raises
    :class:`LexiconImportInvalid` listing every bad line.
    """
    name, data = _read_upload(file)
    extension = PurePath(name.lower()).suffix
    if extension in TEXT_EXTENSIONS:
        rows = _text_rows(data)
    elif extension == XLSX_EXTENSION:
        rows = _xlsx_rows(data)
    else:
        raise LexiconImportInvalid({"file": [
            _("只能导入 .txt、.csv、.tsv 文本文件或 .xlsx 表格。")]})
    columns, rows = _columns(rows)
    if "term" not in columns:
        raise LexiconImportInvalid({"file": [_("表头中没有“词条”列。")]})
    if not rows:
        raise LexiconImportInvalid({"file": [_("文件中没有词条。")]})
    if len(rows) > IMPORT_MAX_ENTRIES:
        raise LexiconImportInvalid({"file": [_("一次最多导入 %(n)d 条。") % {
            "n": IMPORT_MAX_ENTRIES}]})
    categories = _choice_lookup(LexiconCategory)
    severities = _choice_lookup(Severity)
    errors: list[str] = []
    entries: dict[str, dict] = {}
    merged = 0
    for number, cells in rows:
        values = {meaning: cells[index] if index < len(cells) else ""
                  for index, meaning in enumerate(columns) if meaning}
        problems = []
        term = clean_term(values.get("term", ""))
        problems.extend(_term_errors(term))
        category = default_category
        if values.get("category"):
            category = categories.get(values["category"].lower())
            if category is None:
                problems.append(_("未知分类“%(value)s”") % {"value": values["category"]})
        severity = default_severity
        if values.get("severity"):
            severity = severities.get(values["severity"].lower())
            if severity is None:
                problems.append(_("未知级别“%(value)s”（可用：阻断、警告、提示）") % {
                    "value": values["severity"]})
        note, source = values.get("note", "")[:200], values.get("source", "")[:200]
        if problems:
            errors.append(_("第%(line)d行：%(problems)s") % {
                "line": number, "problems": "；".join(str(p) for p in problems)})
            continue
        if term in entries:
            merged += 1
            kept = entries[term]
            if SEVERITY_RANK[severity] > SEVERITY_RANK[kept["severity"]]:
                kept["severity"] = severity
            kept["note"] = kept["note"] or note
            kept["source"] = kept["source"] or source
            continue
        entries[term] = {"category": category, "severity": severity, "note": note,
                         "source": source}
    if errors:
        shown = errors[:MAX_REPORTED_ERRORS]
        if len(errors) > MAX_REPORTED_ERRORS:
            shown.append(_("另有 %(n)d 行有误未列出。") % {"n": len(errors) - MAX_REPORTED_ERRORS})
        raise LexiconImportInvalid({"file": shown})
    return name, data, entries, merged


@transaction.atomic
def import_lexicon(file, *, actor=None, default_category: str = LexiconCategory.OTHER,
                   default_severity: str = Severity.WARNING) -> LexiconImportResult:
    """Import a lexicon file, all or nothing: new terms are added, terms already in the lexicon
    take the file's category and severity and are active again, a term repeated in the file is
    merged (the most serious severity wins)."""
    name, data, entries, merged = parse_lexicon_file(
        file, default_category=default_category, default_severity=default_severity)
    default_source = _("导入：%(name)s") % {"name": name}
    result = LexiconImportResult(merged_duplicates=merged)
    terms = list(entries)
    existing: dict[str, LexiconEntry] = {}
    for start in range(0, len(terms), 500):
        for entry in LexiconEntry.objects.filter(term__in=terms[start:start + 500]):
            existing[entry.term] = entry
    now = timezone.now()
    to_create, to_update = [], []
    for term, values in entries.items():
        entry = existing.get(term)
        if entry is None:
            to_create.append(LexiconEntry(term=term, category=values["category"],
                                          severity=values["severity"], note=values["note"],
                                          source=values["source"] or default_source))
            continue
        wanted = {"category": values["category"], "severity": values["severity"],
                  "is_active": True}
        if values["note"]:
            wanted["note"] = values["note"]
        if values["source"]:
            wanted["source"] = values["source"]
        if all(getattr(entry, key) == value for key, value in wanted.items()):
            result.unchanged += 1
            continue
        for key, value in wanted.items():
            setattr(entry, key, value)
        entry.updated_at = now
        to_update.append(entry)
    LexiconEntry.objects.bulk_create(to_create, batch_size=1000)
    LexiconEntry.objects.bulk_update(
        to_update, ["category", "severity", "note", "source", "is_active", "updated_at"],
        batch_size=1000)
    result.created, result.updated = len(to_create), len(to_update)
    record_event("publishing.lexicon.imported", actor=actor, data={
        "file": name, "sha256": hashlib.sha256(data).hexdigest(), "created": result.created,
        "updated": result.updated, "unchanged": result.unchanged,
        "merged_duplicates": merged})
    if to_create or to_update:
        _rules_changed()
    return result


# --- Expression rules (表述规则) ----------------------------------------------------------


@transaction.atomic
def add_expression_rule(*, kind: str, wrong_text: str, correction: str = "",
                        severity: str = Severity.WARNING, is_regex: bool = False, note: str = "",
                        source: str = "", actor=None) -> ExpressionRule:
    """Add a serious wrong expression (严重表述错误) or a common typo (错别字) with its
    correction; a regular expression is checked when saved."""
    rule = ExpressionRule(kind=kind, wrong_text=wrong_text.strip() if not is_regex
                          else wrong_text, correction=correction.strip(), severity=severity,
                          is_regex=is_regex, note=note.strip(), source=source.strip())
    full_clean_or_raise(rule, ExpressionRuleInvalid)
    rule.save()
    record_event("publishing.expression_rule.added", actor=actor, target=rule,
                 data={"kind": kind, "wrong_text": rule.wrong_text,
                       "correction": rule.correction, "is_regex": is_regex})
    _rules_changed()
    return rule


@transaction.atomic
def update_expression_rule(*, rule: ExpressionRule, actor=None, **changes) -> ExpressionRule:
    unknown = set(changes) - set(EXPRESSION_RULE_FIELDS)
    if unknown:
        raise ExpressionRuleInvalid({name: [_("不能在此修改。")] for name in sorted(unknown)})
    rule = ExpressionRule.objects.select_for_update().get(pk=rule.pk)
    return _apply_rule_changes(rule, changes, invalid=ExpressionRuleInvalid,
                               action="publishing.expression_rule.updated", actor=actor)


@transaction.atomic
def deactivate_expression_rule(*, rule: ExpressionRule, actor=None) -> ExpressionRule:
    """Stop applying an expression rule (停用); the rule stays for the record."""
    return _deactivate_rule(rule, action="publishing.expression_rule.deactivated", actor=actor,
                            described_by="wrong_text")


# --- Running the checks -------------------------------------------------------------------

# Page fields checked besides those a page type declares itself.
PAGE_TEXT_FIELDS = {"title": "标题", "seo_title": "SEO标题", "search_description": "搜索描述"}
# Fields named like this on an inline child hold an image's alt text.
ALT_TEXT_FIELD_NAMES = ("alt_text", "alt")


@dataclass
class ExtractedContent:
    """What a revision says, ready for the engine: texts, links and images, and the ids of the
    pages, documents and images it refers to."""

    fields: list[TextField] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    images: list[ImageReference] = field(default_factory=list)


def _is_checked_text_field(model_field) -> bool:
    return (isinstance(model_field, models.CharField | models.TextField)
            and not model_field.choices
            and not isinstance(model_field, models.SlugField | models.URLField
                               | models.EmailField | models.FilePathField))


def _add_text(content: ExtractedContent, label: str, model_field, value) -> None:
    if value in (None, ""):
        return
    if isinstance(model_field, RichTextField):
        parsed = parse_rich_text(str(value), label=label)
        content.fields.append(TextField(label, parsed.plain_text))
        content.links.extend(parsed.links)
        content.images.extend(parsed.images)
    elif isinstance(model_field, StreamField):
        texts = model_field.get_searchable_content(value)
        content.fields.append(TextField(label, "\n".join(str(text) for text in texts)))
    elif _is_checked_text_field(model_field):
        content.fields.append(TextField(label, str(value)))


def extract_content(page) -> ExtractedContent:
    """The checked texts of a (specific) page object as a revision holds it: title, the text,
    rich-text and stream fields its page type declares, and for each inline child (attachments,
    images) its text fields, its document's title and its image's alt text."""
    from modelcluster.models import get_all_child_relations

    content = ExtractedContent()
    document_model, image_model = get_document_model(), get_image_model()
    for name, label in PAGE_TEXT_FIELDS.items():
        _add_text(content, label, Page._meta.get_field(name), getattr(page, name, ""))
    for model_field in type(page)._meta.concrete_fields:
        if model_field.model is Page or model_field.name in PAGE_TEXT_FIELDS:
            continue
        if isinstance(model_field, RichTextField | StreamField) or _is_checked_text_field(
                model_field):
            _add_text(content, str(model_field.verbose_name), model_field,
                      getattr(page, model_field.attname))
    attached_documents = []
    for relation in get_all_child_relations(page):
        child_model = relation.related_model
        child_label = str(child_model._meta.verbose_name)
        children = list(getattr(page, relation.get_accessor_name()).all())
        for number, child in enumerate(children, 1):
            where = _("（第%(n)d个%(what)s）") % {"n": number, "what": child_label}
            image_id, alt_text, has_alt_field = None, "", False
            for model_field in child_model._meta.concrete_fields:
                if model_field.is_relation and model_field.related_model is document_model:
                    document_id = getattr(child, model_field.attname)
                    if document_id is not None:
                        attached_documents.append((document_id, where, child))
                elif model_field.is_relation and model_field.related_model is image_model:
                    image_id = getattr(child, model_field.attname)
                elif model_field.name in ALT_TEXT_FIELD_NAMES:
                    has_alt_field = True
                    alt_text = getattr(child, model_field.attname) or ""
                    _add_text(content, _("图片替代文本") + where, model_field, alt_text)
                elif not model_field.is_relation and model_field.name != "sort_order":
                    _add_text(content, str(model_field.verbose_name) + where, model_field,
                              getattr(child, model_field.attname))
            if image_id is not None:
                content.images.append(ImageReference(
                    image_id=image_id, alt_text=alt_text if has_alt_field else "—",
                    field_label=_("图片替代文本") + where))
    if attached_documents:
        titles = dict(document_model.objects.filter(
            pk__in=[pk for pk, _where, _child in attached_documents]).values_list("pk", "title"))
        for document_id, where, child in attached_documents:
            if document_id in titles:
                content.fields.append(TextField(_("文档标题") + where, titles[document_id]))
            content.links.append(Link(kind="document", target=str(document_id),
                                       text=getattr(child, "title", "") or "",
                                       field_label=_("附件") + where, offset=None))
    return content


def _existing_paths(page, links: list[Link]) -> set[str]:
    """Which internal addresses among ``links`` lead somewhere: a live page of the page's
    site, or a route of the site that is not a page (e.g. the mailbox form)."""
    paths = {internal_path(link.target) for link in links if link.kind == "href"} - {None}
    if not paths:
        return set()
    existing, page_paths = set(), set()
    for path in paths:
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.url_name == "wagtail_serve":
            page_paths.add(path)
        else:
            existing.add(path)
    site = page.get_site()
    if page_paths and site is not None:
        root = site.root_page.url_path
        candidates = {root + path.lstrip("/"): path for path in page_paths}
        for url_path in Page.objects.live().filter(url_path__in=list(candidates)).values_list(
                "url_path", flat=True):
            existing.add(candidates[url_path])
    return existing


def _reference_lookups(page, content: ExtractedContent) -> dict:
    page_ids = {int(link.target) for link in content.links
                if link.kind == "page" and link.target.isdigit()}
    document_ids = {int(link.target) for link in content.links
                    if link.kind == "document" and link.target.isdigit()}
    image_ids = {image.image_id for image in content.images if image.image_id is not None}
    return {
        "live_page_ids": set(Page.objects.live().filter(pk__in=page_ids)
                             .values_list("pk", flat=True)) if page_ids else set(),
        "document_ids": set(get_document_model().objects.filter(pk__in=document_ids)
                            .values_list("pk", flat=True)) if document_ids else set(),
        "image_ids": set(get_image_model().objects.filter(pk__in=image_ids)
                         .values_list("pk", flat=True)) if image_ids else set(),
        "existing_paths": _existing_paths(page, content.links),
    }


@transaction.atomic
def run_content_checks(*, page: Page, revision: Revision | None = None,
                       trigger: str = CheckTrigger.MANUAL, actor=None) -> ContentCheckRun:
    """Check a page revision (the latest when none is given) and store the run with its
    findings (涉密不上网; 个人信息保护法 第二十五条; 国办秘函〔2019〕19号).

    An override a confidentiality reviewer gave in an earlier run of the same page carries
    over to the same finding (same kind, place and matched text) in this run, so that the
    publication check does not undo the review's decision.
    """
    if trigger not in CheckTrigger.values:
        raise RuleViolation({"trigger": [_("未知的检查触发方式。")]})
    if revision is None:
        revision = page.latest_revision
    if revision is not None and str(revision.object_id) != str(page.pk):
        raise RuleViolation({"revision": [_("该版本不属于此页面。")]})
    content_object = revision.as_object() if revision is not None else page.specific
    content = extract_content(content_object)
    rules = queries.compiled_content_rules()
    findings = check_text(content.fields, rules)
    findings.extend(check_references(links=content.links, images=content.images,
                                     **_reference_lookups(page, content)))
    counts = {severity: sum(1 for f in findings if f.severity == severity)
              for severity in Severity.values}
    run = ContentCheckRun.objects.create(
        page_id=page.pk, revision=revision, trigger=trigger, ran_by=_actor(actor),
        rules_version=rules.version[:64], finding_count=len(findings),
        blocking_count=counts[Severity.BLOCKING], warning_count=counts[Severity.WARNING],
        notice_count=counts[Severity.NOTICE])
    stored = sorted(findings, key=lambda f: -SEVERITY_RANK[f.severity])[:MAX_STORED_FINDINGS]
    earlier = {}
    for previous in queries.overridden_findings_of_page(page):
        earlier.setdefault((previous.kind, previous.field_label, previous.fingerprint), previous)
    rows, carried = [], 0
    for finding in stored:
        row = ContentFinding(
            run=run, kind=finding.kind, severity=finding.severity,
            matched_text=finding.matched_text[:255], fingerprint=finding.fingerprint,
            field_label=finding.field_label[:120], offset=finding.offset,
            context=finding.context[:255], rule=finding.rule[:200],
            suggestion=finding.suggestion[:255])
        previous = earlier.get((finding.kind, row.field_label, finding.fingerprint))
        if previous is not None and finding.severity == Severity.BLOCKING:
            source = previous.override_carried_from or previous
            row.overridden_by_id = previous.overridden_by_id
            row.override_reason = previous.override_reason
            row.overridden_at = previous.overridden_at
            row.override_carried_from = source
            carried += 1
        rows.append(row)
    ContentFinding.objects.bulk_create(rows, batch_size=500)
    record_event("publishing.content_check.ran", actor=actor, target=run, data={
        "page_id": page.pk, "revision_id": revision.pk if revision else None,
        "trigger": trigger, "findings": len(findings), **counts,
        "carried_overrides": carried, "rules_version": rules.version})
    return run


# --- Overrides (放行) ----------------------------------------------------------------------


def may_override_findings(user, page) -> bool:
    """Only a confidentiality reviewer (保密审查员) of a body that manages the page may
    override its findings."""
    return holds_role_for_page(user, role=Role.CONFIDENTIALITY_REVIEWER, page=page)


@transaction.atomic
def override_finding(*, finding: ContentFinding, actor, reason: str) -> ContentFinding:
    """Release (放行) a blocking finding with a written reason, e.g. a marking quoted in a
    public regulation, or a phone number published with consent. Audited as
    ``publishing.finding.override``."""
    finding = (ContentFinding.objects.select_for_update(of=("self",))
               .select_related("run__page").get(pk=finding.pk))
    page = finding.run.page
    if not may_override_findings(actor, page):
        raise FindingOverrideRefused({"__all__": [
            _("只有负责该页面的机构的保密审查员可以放行检查问题。")]})
    reason = (reason or "").strip()
    if len(reason) < OVERRIDE_REASON_MIN_LENGTH:
        raise FindingOverrideRefused({"reason": [
            _("请写明放行理由（至少 %(n)d 个字）。") % {"n": OVERRIDE_REASON_MIN_LENGTH}]})
    if finding.severity != Severity.BLOCKING:
        raise FindingOverrideRefused({"__all__": [_("只有阻断级问题需要放行。")]})
    if finding.is_overridden:
        raise FindingOverrideRefused({"__all__": [_("该问题已经放行。")]})
    finding.overridden_by = actor
    finding.override_reason = reason
    finding.overridden_at = timezone.now()
    finding.save(update_fields=["overridden_by", "override_reason", "overridden_at"])
    record_event("publishing.finding.override", actor=actor, target=finding, data={
        "page_id": page.pk, "run_id": finding.run_id, "kind": finding.kind,
        "matched_text": finding.matched_text, "field_label": finding.field_label,
        "reason": reason})
    return finding


# --- Review workflow (三审), publication screens, schedules and fingerprints ------------------

@transaction.atomic
def create_review_workflow(*, name: str, steps: Sequence[tuple[str, str]], actor=None) -> Workflow:
    """Create a chain of review steps, each ``(step name, role)``, e.g. 部门初审 -> 保密审查."""
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("流程名称不能为空。")]
    if not steps:
        errors["steps"] = [_("审核流程至少需要一个审核步骤。")]
    for step_name, role in steps:
        if role not in REVIEWING_ROLES:
            errors.setdefault("steps", []).append(_("“%(role)s”不是可以审核稿件的角色。") % {"role": role})
        if not step_name.strip():
            errors.setdefault("steps", []).append(_("审核步骤名称不能为空。"))
    if errors:
        raise WorkflowInvalid(errors)
    workflow = Workflow.objects.create(name=name.strip(), active=True)
    for order, (step_name, role) in enumerate(steps):
        task, _created = RoleReviewTask.objects.get_or_create(
            name=step_name.strip(), role=role, defaults={"active": True})
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    record_event("publishing.workflow.create", actor=actor, target=workflow,
                 data={"steps": [[step_name, role] for step_name, role in steps]})
    return workflow


@transaction.atomic
def assign_review_workflow(*, workflow: Workflow, page: Page, actor=None) -> WorkflowPage:
    """Make every draft under ``page`` (a site home or a column) go through ``workflow``."""
    if page.depth < 2:
        raise WorkflowInvalid({"page": [_("请选择一个站点或栏目。")]})
    if not workflow.active:
        raise WorkflowInvalid({"workflow": [_("该审核流程已停用。")]})
    assignment, _created = WorkflowPage.objects.update_or_create(
        page=page, defaults={"workflow": workflow})
    record_event("publishing.workflow.assign", actor=actor, target=page,
                 data={"workflow": workflow.name, "workflow_id": workflow.pk})
    return assignment


def screen_publication(*, page: Page, revision, actor=None) -> None:
    """Check a revision again at publication and refuse it while a blocking finding stands.

    涉密不上网、上网不涉密: whatever path publishes (the editor, the last review step, the
    scheduler), the content is checked against the rules as they are now.
    """
    run_content_checks(page=page, revision=revision, trigger=CheckTrigger.PUBLICATION,
                       actor=actor)
    blocking = list(queries.unresolved_blocking_findings(page, revision)[:20])
    if blocking:
        raise PublicationBlocked({
            "__all__": [
                _("发布被阻止：%(where)s中有%(kind)s“%(text)s”。") % {
                    "where": finding.field_label, "kind": finding.get_kind_display(),
                    "text": finding.matched_text,
                }
                for finding in blocking
            ]
        })



def publish_due_revisions(*, now) -> tuple[list, list]:
    """Publish every page revision whose approved publication time has come; each in its own
    transaction so one blocked revision neither stops nor rolls back the others."""
    from wagtail.models import Revision

    published, blocked = [], []
    due = Revision.page_revisions.filter(approved_go_live_at__lt=now).order_by(
        "approved_go_live_at")
    for revision in list(due):
        try:
            with transaction.atomic():
                revision.publish(log_action="wagtail.publish.scheduled")
            published.append(revision)
        except PublicationBlocked as refusal:
            with transaction.atomic():
                Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=None)
                record_event("publishing.schedule.blocked", target=revision.content_object,
                             outcome="denied",
                             data={"revision": revision.pk, "reasons": refusal.errors["__all__"]})
            blocked.append(revision)
    return published, blocked


def record_publication_fingerprint(*, page_id: int, revision_id: int | None = None):
    """Hash what a just-published page renders to for anonymous visitors (发布指纹).

    Runs after the publication commits. Returns None when the page is not publicly
    rendered (private, unpublished again in the meantime).
    """
    import hashlib

    from .models import PublicationFingerprint
    from .rendering import render_anonymous

    page = Page.objects.filter(pk=page_id, live=True).first()
    if page is None or not page.full_url:
        return None
    rendered = render_anonymous(url=page.full_url)
    if rendered.status != 200:
        return None
    with transaction.atomic():
        fingerprint = PublicationFingerprint.objects.create(
            page=page, revision_id=revision_id, url=page.full_url[:500],
            sha256=hashlib.sha256(rendered.body).hexdigest(), byte_size=len(rendered.body),
        )
        record_event("publishing.fingerprint.recorded", target=page,
                     data={"sha256": fingerprint.sha256, "revision": revision_id,
                           "url": fingerprint.url})
    return fingerprint


def verify_publication_fingerprints(*, published_root=None) -> list[dict]:
    """Compare what is served now with the fingerprint of each live page's last publication.

    With static publishing the files nginx serves are hashed (GB/T 31506-2022 防篡改); without
    it the application renders the page again. Each mismatch is returned and audited.
    """
    import hashlib
    from pathlib import Path

    from .models import PublicationFingerprint
    from .rendering import render_anonymous
    from .static_pages import directory_for, location_for

    latest = {}
    for fingerprint in PublicationFingerprint.objects.filter(page__live=True).select_related(
            "page").order_by("page_id", "-recorded_at", "-pk"):
        latest.setdefault(fingerprint.page_id, fingerprint)
    mismatches = []
    for fingerprint in latest.values():
        if published_root is not None:
            location = location_for(fingerprint.page)
            if location is None:
                continue
            target = directory_for(host=location.host, path=location.path,
                                   root=Path(published_root)) / "index.html"
            served = target.read_bytes() if target.exists() else b""
        else:
            served = render_anonymous(url=fingerprint.url).body
        actual = hashlib.sha256(served).hexdigest()
        if actual != fingerprint.sha256:
            mismatch = {"page": fingerprint.page_id, "url": fingerprint.url,
                        "expected": fingerprint.sha256, "actual": actual}
            record_event("publishing.fingerprint.mismatch", target=fingerprint.page,
                         outcome="failed", data=mismatch)
            mismatches.append(mismatch)
    return mismatches


def refresh_published_output(*, page: Page) -> None:
    """Bring the cached and static output of a live ``page`` and the listings it appears in up
    to date after data shown on it changed outside a publication (another app's metadata, such
    as a disclosure record); runs after the surrounding transaction commits."""
    advance_after_commit()
    if page.live:
        refresh_after_page_change(page=page)
