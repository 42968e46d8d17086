"""Exchange with other systems: letters from Open311 clients, 12345 hotline work orders in and
out (国办发〔2020〕53号: the hotline and the other channels share work orders), and the audit of
statistics exports.

Column and status mapping of work orders lives in the pure module :mod:`..hotline`; here kinds
and bodies are resolved, letters created through ``submit_letter`` and updated, and every run
audited.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangkou.core.audit import json_safe, record_event
from chuangkou.core.exceptions import RuleViolation
from chuangkou.organizations.models import Body

from .. import hotline
from ..choices import OPEN_STATUSES, LetterChannel, LetterEventKind, LetterStatus, ReplyStatus
from ..exceptions import MailboxRuleViolation
from ..models import Letter, LetterEvent, LetterKind, LetterReply, Open311ApiKey
from ..queries.letters import (
    letters_visible_to,
    may_exchange_work_orders,
    may_export_statistics,
)
from .intake import LetterDraft, WriterInput, forward_letter, submit_letter

__all__ = [
    "HOTLINE_SOURCE",
    "ImportResult",
    "RowOutcome",
    "export_hotline_work_orders",
    "import_hotline_work_orders",
    "record_statistics_export",
    "submit_open311_request",
]

HOTLINE_SOURCE = "12345"
# Where an error of ``submit_letter`` goes among the work order's columns.
COLUMN_OF_FIELD = {
    "kind": "诉求类型", "title": "标题", "content": "诉求内容", "name": "来电人",
    "phone": "联系电话", "email": "联系电话", "addressed_body": "承办单位", "body": "承办单位",
    "address_text": "诉求内容",
}


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


# --- Open311 ----------------------------------------------------------------------------------


@transaction.atomic
def submit_open311_request(*, client: Open311ApiKey, draft: LetterDraft,
                           writer: WriterInput) -> Letter:
    """POST requests of Open311 GeoReport v2: a letter from an API client (channel OPEN311),
    registered by ``submit_letter`` like any other; the client's last use is recorded."""
    if not isinstance(client, Open311ApiKey) or not Open311ApiKey.objects.filter(
            pk=client.pk, is_active=True).exists():
        raise PermissionDenied
    letter, _code = submit_letter(
        draft=draft, writer=writer, channel=LetterChannel.OPEN311, form_token=None,
        external_source=f"open311:{client.key_prefix}")
    Open311ApiKey.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    record_event("mailbox.open311.request_submitted", target=letter, data=json_safe({
        "client": client.name, "kind": draft.kind.code,
        "addressed_body": draft.addressed_body.slug if draft.addressed_body else None}))
    return letter


# --- 12345 hotline work orders: import --------------------------------------------------------


@dataclass
class RowOutcome:
    """What happened to one row: created, updated, unchanged or error."""

    number: int
    external_id: str
    outcome: str
    letter_number: str = ""
    messages: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    rows: list[RowOutcome] = field(default_factory=list)

    @property
    def error_rows(self) -> int:
        return sum(1 for row in self.rows if row.outcome == "error")


class _RowRefused(Exception):
    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(problems)
        self.problems = problems


def _as_raw_rows(rows: Iterable[hotline.RawRow | Mapping]) -> list[hotline.RawRow]:
    raw = []
    for index, row in enumerate(rows, 1):
        if isinstance(row, hotline.RawRow):
            raw.append(row)
        else:
            values = {}
            for key, value in row.items():
                header = hotline.canonical_header(key)
                if header:
                    values[header] = value
            raw.append(hotline.RawRow(number=index, values=values))
    return raw


class _Directory:
    """Kinds and bodies by every name a work order may use, read once per import."""

    def __init__(self):
        self.kinds: dict[str, LetterKind] = {}
        for kind in LetterKind.objects.all():
            for name in (kind.name, kind.code):
                self.kinds.setdefault(name.casefold(), kind)
        self.bodies: dict[str, Body] = {}
        for body in Body.objects.all():
            for name in (body.name, body.short_name, body.slug):
                if name:
                    self.bodies.setdefault(name.casefold(), body)

    def kind(self, name: str) -> LetterKind | None:
        return self.kinds.get(name.casefold())

    def body(self, name: str) -> Body | None:
        return self.bodies.get(name.casefold()) if name else None


def _problems_of(violation: RuleViolation) -> list[tuple[str, str]]:
    return [(COLUMN_OF_FIELD.get(name, "工单"), str(message))
            for name, messages in violation.errors.items() for message in messages]


def _imported_event(letter: Letter, *, actor, notes: list[str]) -> None:
    LetterEvent.objects.create(
        letter=letter, kind=LetterEventKind.IMPORTED, occurred_at=timezone.now(),
        actor=actor if _active(actor) else None, internal_note="\n".join(notes),
        visible_to_writer=False)


def _result_note(order: hotline.WorkOrder) -> str:
    when = (timezone.localtime(order.concluded_at).strftime("%Y-%m-%d %H:%M")
            if order.concluded_at else "")
    return _("12345热线办理结果%(when)s：%(result)s") % {
        "when": f"（{when}）" if when else "", "result": order.result}


def _sync_notes(letter: Letter, order: hotline.WorkOrder) -> list[str]:
    """What a known work order brings that the letter does not have yet."""
    notes = []
    if letter.external_status != order.status:
        notes.append(_("12345热线工单状态：%(old)s → %(new)s") % {
            "old": letter.external_status or "—", "new": order.status})
    if hotline.is_concluded(order.status) and order.result and letter.status in OPEN_STATUSES:
        note = _result_note(order)
        if not LetterEvent.objects.filter(letter=letter, kind=LetterEventKind.IMPORTED,
                                          internal_note__contains=order.result).exists():
            notes.append(note)
    return notes


def _create_from(order: hotline.WorkOrder, *, directory: _Directory, actor, source: str
                 ) -> Letter:
    problems = []
    kind = directory.kind(order.kind)
    if kind is None or not kind.is_active:
        problems.append(("诉求类型", _("“诉求类型”应为以下之一：%(kinds)s。") % {
            "kinds": "、".join(sorted({k.name for k in directory.kinds.values()
                                     if k.is_active}))}))
    body = directory.body(order.body)
    if order.body and body is None:
        problems.append(("承办单位", _("找不到承办单位“%(name)s”，请填写单位全称或简称。")
                         % {"name": order.body}))
    if problems:
        raise _RowRefused(problems)
    try:
        letter, _code = submit_letter(
            draft=LetterDraft(kind=kind, addressed_body=body, title=order.title,
                              content=order.content, may_publish=False),
            writer=WriterInput(name=order.caller, phone=order.phone),
            channel=LetterChannel.HOTLINE, form_token=None, user=None,
            external_source=source, external_id=order.external_id,
            submitted_at=order.called_at)
    except RuleViolation as violation:
        raise _RowRefused(_problems_of(violation)) from violation
    # The hotline dispatched it (派单): a routing rule of ours does not overrule that.
    if (body is not None and letter.status == LetterStatus.IN_PROGRESS
            and letter.assigned_body_id != body.pk):
        try:
            letter = forward_letter(letter=letter, actor=actor, body=body,
                                    reason=_("按12345热线工单指定的承办单位办理。"))
        except PermissionDenied as error:
            raise _RowRefused([("承办单位", _("您无权将来信交由“%(name)s”办理。")
                                % {"name": body.name})]) from error
        except RuleViolation as violation:
            raise _RowRefused(_problems_of(violation)) from violation
    letter.external_status = order.status
    letter.save(update_fields=["external_status", "updated_at"])
    notes = [_("12345热线工单 %(id)s 导入，工单状态：%(status)s") % {
        "id": order.external_id, "status": order.status}]
    if hotline.is_concluded(order.status) and order.result:
        notes.append(_result_note(order))
    _imported_event(letter, actor=actor, notes=notes)
    return letter


def _update_from(letter: Letter, order: hotline.WorkOrder, *, actor) -> bool:
    if not letters_visible_to(actor).filter(pk=letter.pk).exists():
        raise _RowRefused([("工单编号", _("该工单对应的来信不在您的办理范围内，不能更新。"))])
    letter = Letter.objects.select_for_update(of=("self",)).get(pk=letter.pk)
    notes = _sync_notes(letter, order)
    if not notes:
        return False
    letter.external_status = order.status
    letter.save(update_fields=["external_status", "updated_at"])
    _imported_event(letter, actor=actor, notes=notes)
    return True


@transaction.atomic
def import_hotline_work_orders(*, rows: Iterable[hotline.RawRow | Mapping], actor,
                               source: str = HOTLINE_SOURCE) -> ImportResult:
    """Import 12345 work orders, idempotent on 工单编号 (``external_id`` within ``source``).

    A new work order becomes a letter (channel HOTLINE) through ``submit_letter``, addressed
    to the named 承办单位 so that it is assigned there (forwarded there when a routing rule sent
    it elsewhere). A known one updates ``external_status``; when the hotline has concluded it
    (已办结/已回访) with a result while our letter is still open, the result is recorded as an
    IMPORTED event for the handler. Each row is its own savepoint: a bad row is reported as
    ``(row number, column, message)`` and nothing of it is saved; the others go on.
    """
    if not may_exchange_work_orders(actor):
        raise PermissionDenied
    source = (source or HOTLINE_SOURCE).strip()[:40]
    directory = _Directory()
    tz = timezone.get_current_timezone()
    now = timezone.now()
    result = ImportResult()
    seen: dict[str, int] = {}
    for raw in _as_raw_rows(rows):
        order = hotline.parse_work_order(raw, tz=tz, now=now)
        outcome = RowOutcome(number=raw.number, external_id=order.external_id, outcome="error")
        problems = list(order.errors)
        if not problems and order.external_id in seen:
            problems.append(("工单编号", _("与第%(row)d行的工单编号重复。")
                             % {"row": seen[order.external_id]}))
        try:
            if problems:
                raise _RowRefused(problems)
            seen[order.external_id] = raw.number
            with transaction.atomic():
                existing = Letter.objects.filter(external_source=source,
                                                 external_id=order.external_id).first()
                if existing is None:
                    letter = _create_from(order, directory=directory, actor=actor,
                                          source=source)
                    outcome.outcome, outcome.letter_number = "created", letter.number
                    result.created += 1
                elif _update_from(existing, order, actor=actor):
                    outcome.outcome, outcome.letter_number = "updated", existing.number
                    result.updated += 1
                else:
                    outcome.outcome, outcome.letter_number = "unchanged", existing.number
                    result.unchanged += 1
        except _RowRefused as refused:
            for column, message in refused.problems:
                result.errors.append((raw.number, column, message))
                outcome.messages.append(f"{column}：{message}")
        result.rows.append(outcome)
    record_event("mailbox.hotline.imported", actor=actor, data=json_safe({
        "source": source, "created": result.created, "updated": result.updated,
        "unchanged": result.unchanged, "error_rows": result.error_rows,
        "rows": len(result.rows)}))
    return result


# --- 12345 hotline work orders: export --------------------------------------------------------


def _approved_replies() -> Prefetch:
    return Prefetch("replies", queryset=LetterReply.objects.filter(status=ReplyStatus.APPROVED),
                    to_attr="approved_replies")


def work_order_record(letter: Letter, *, source: str, with_writer: bool) -> dict:
    """One letter as a work order (field names of :data:`hotline.EXPORT_COLUMNS`)."""
    writer = getattr(letter, "writer", None) if with_writer else None
    replies = getattr(letter, "approved_replies", [])
    rated = getattr(letter, "rating", None) is not None
    return {
        "external_id": letter.external_id if letter.external_source == source else "",
        "called_at": letter.submitted_at,
        "kind": letter.kind.name,
        "title": letter.title,
        "content": letter.content,
        "body": letter.assigned_body.name if letter.assigned_body else "",
        "caller": writer.name if writer else "",
        "phone": writer.phone if writer else "",
        "status": hotline.hotline_status_for(letter.status, rated=rated),
        "result": replies[0].text if replies else "",
        "concluded_at": letter.answered_at if letter.status == LetterStatus.ANSWERED else None,
        "letter_number": letter.number,
    }



@transaction.atomic
def export_hotline_work_orders(*, actor, fmt: str, received_from: date | None = None,
                               received_to: date | None = None, hotline_only: bool = False,
                               source: str = HOTLINE_SOURCE, english_keys: bool = False
                               ) -> bytes:
    """The letters ``actor`` may see as work orders in ``fmt`` (csv, xlsx, json): our number
    as 网站信件编号, the mapped status, the approved reply as 办理结果. The caller's name and
    phone are written only for staff allowed to see writer details; every export is audited."""
    if not may_exchange_work_orders(actor):
        raise PermissionDenied
    if fmt not in hotline.FORMATS:
        raise MailboxRuleViolation({"fmt": [_("请选择导出格式：CSV、XLSX或JSON。")]})
    if received_from and received_to and received_from > received_to:
        raise MailboxRuleViolation({"received_to": [_("结束日期不能早于开始日期。")]})
    letters = letters_visible_to(actor).select_related("writer", "rating").prefetch_related(
        _approved_replies())
    if received_from:
        letters = letters.filter(received_on__gte=received_from)
    if received_to:
        letters = letters.filter(received_on__lte=received_to)
    if hotline_only:
        letters = letters.filter(external_source=source).exclude(external_id="")
    letters = letters.order_by("submitted_at", "pk")
    with_writer = actor.has_perm("mailbox.view_writer_details")
    records = []
    for letter in letters:
        records.append(work_order_record(letter, source=source, with_writer=with_writer))
    data = hotline.write_file(records, fmt=fmt, tz=timezone.get_current_timezone(),
                              english_keys=english_keys)
    record_event("mailbox.hotline.exported", actor=actor, data=json_safe({
        "format": fmt, "letters": len(records), "received_from": received_from,
        "received_to": received_to, "hotline_only": hotline_only,
        "writer_details": with_writer}))
    return data


# --- Statistics -------------------------------------------------------------------------------


@transaction.atomic
def record_statistics_export(*, actor, year: int, body=None,
                             kind: LetterKind | None = None) -> None:
    """Audit a download of the statistics workbook (``mailbox.statistics.exported``) of
    ``year``, for one body, a collection of bodies (a supervisor's scope) or all (None)."""
    if not may_export_statistics(actor):
        raise PermissionDenied
    one_body = body if isinstance(body, Body) else None
    if body is None or one_body is not None:
        bodies = one_body.slug if one_body else None
    else:  # a scope of several bodies
        bodies = sorted(item.slug for item in body)
    record_event("mailbox.statistics.exported", actor=actor, target=one_body, data=json_safe({
        "year": year, "body": bodies, "kind": kind.code if kind else None}))

