"""Letters in (受理), routing (分办), dispatch (派单), forwarding (转办), returning (退单), merging
duplicates (合并) and moderation of held letters (待审核).

Closed loop 受理 → 派单/转办 → 办理 → 答复 → 督办 → 办结 → 回访 → 评价 (国办发〔2020〕53号,
regulations.md §8). The reply clock of a letter starts on the day it is assigned to a body and
starts again when it is forwarded to another one.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangkou.core.calendar import working_calendar
from chuangkou.core.query_codes import new_query_code, query_code_digest
from chuangkou.core.serials import next_serial
from chuangkou.core.uploads import ATTACHMENT_TYPES, safe_upload_name, sniff_upload, upload_errors
from chuangkou.organizations.choices import Role
from chuangkou.organizations.models import Body
from chuangkou.publishing.choices import FindingKind, LexiconCategory
from chuangkou.publishing.contentchecks import TextField, check_text
from chuangkou.publishing.queries import compiled_content_rules

from .. import rules
from ..choices import (
    OPEN_STATUSES,
    ExtensionStatus,
    LetterChannel,
    LetterEventKind,
    LetterStatus,
)
from ..exceptions import LetterSubmissionRefused, MailboxRuleViolation
from ..models import (
    ExtensionRequest,
    Letter,
    LetterAttachment,
    LetterKind,
    WriterDetails,
)
from ..queries.citizens import identity_requirement_label, identity_shortfall
from ..queries.letters import (
    dispatch_target_bodies,
    matching_routing_rule,
    may_dispatch,
    may_handle,
    may_view_writer_details,
    staff_emails,
    time_limit_for,
)
from ._common import (
    _add_event,
    _audit,
    _locked,
    _notify_staff,
    _notify_writer,
    _require_status,
    _user_or_none,
)

__all__ = [
    "ATTACHMENT_TYPES",
    "LetterDraft",
    "WriterInput",
    "attachment_errors",
    "dispatch_letter",
    "forward_letter",
    "merge_letters",
    "new_query_code",
    "query_code_digest",
    "record_writer_details_viewed",
    "refuse_letter",
    "release_held_letter",
    "return_letter",
    "route_letter",
    "submit_letter",
]

DEFAULT_CONTENT_MAX_CHARS = 5000
DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
TITLE_MAX_CHARS = 100
REASON_MIN_CHARS = 4
SCREEN_SOURCE = "publishing"  # the lexicon of the publishing content checks (敏感词库)
# Where the writer identifies themselves (or not): a kind's identity requirement applies. On the
# hotline and at the counter the staff who register the letter have spoken with the writer.
SELF_SERVICE_CHANNELS = (LetterChannel.WEBSITE, LetterChannel.OPEN311)


@dataclass(frozen=True)
class LetterDraft:
    """What the writer wrote (the letter itself, without their personal data)."""

    kind: LetterKind
    addressed_body: Body | None
    title: str
    content: str
    may_publish: bool
    address_text: str = ""
    latitude: Decimal | float | str | None = None
    longitude: Decimal | float | str | None = None


@dataclass(frozen=True)
class WriterInput:
    """写信人信息 as entered: kept apart from the letter and never published."""

    name: str
    phone: str = ""
    email: str = ""
    address: str = ""


# --- Helpers --------------------------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


def _require_reason(reason: str, *, field: str = "reason") -> str:
    reason = rules.clean_text(reason)
    if len(reason) < REASON_MIN_CHARS:
        raise MailboxRuleViolation({field: [
            _("请填写理由，至少%(n)d个字。") % {"n": REASON_MIN_CHARS}]})
    return reason


def _body_name(body: Body | None) -> str:
    return body.name if body is not None else _("不确定")


# --- Validation -------------------------------------------------------------------------


def attachment_errors(upload: UploadedFile) -> list[str]:
    """What is wrong with one attachment (see ``core.uploads.upload_errors``)."""
    return upload_errors(upload, max_bytes=getattr(
        settings, "MAILBOX_ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX_BYTES))


def _coordinate(value, *, field: str, limit: int, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append(_("坐标须为数字。"))
        return None
    if not -limit <= number <= limit:
        errors.setdefault(field, []).append(
            _("坐标须在 -%(limit)d 到 %(limit)d 之间。") % {"limit": limit})
        return None
    return number


@dataclass(frozen=True)
class _CleanSubmission:
    title: str
    content: str
    address_text: str
    latitude: Decimal | None
    longitude: Decimal | None
    name: str
    phone: str
    email: str
    address: str


def _cleaned(draft: LetterDraft, writer: WriterInput, attachments: list[UploadedFile],
             channel: str, user) -> _CleanSubmission:
    """The submission as stored, or ``LetterSubmissionRefused`` with every problem by field."""
    errors: dict[str, list[str]] = {}
    if channel not in LetterChannel.values:
        errors["channel"] = [_("来信渠道无效。")]
    kind = draft.kind
    if not isinstance(kind, LetterKind) or not LetterKind.objects.filter(
            pk=kind.pk, is_active=True).exists():
        errors["kind"] = [_("请选择一个有效的信件类型。")]
    elif channel in SELF_SERVICE_CHANNELS and (needed := identity_shortfall(kind, user)):
        errors["kind"] = [_("写“%(kind)s”类来信%(requirement)s。") % {
            "kind": kind.name, "requirement": identity_requirement_label(needed)}]
    if draft.addressed_body is not None and not isinstance(draft.addressed_body, Body):
        errors["addressed_body"] = [_("请选择写信对象。")]
    title = rules.clean_line(draft.title)
    if not title:
        errors["title"] = [_("请填写标题。")]
    elif len(title) > TITLE_MAX_CHARS:
        errors["title"] = [_("标题不能超过%(n)d个字（现有%(m)d个字）。") % {
            "n": TITLE_MAX_CHARS, "m": len(title)}]
    content = rules.clean_text(draft.content)
    content_limit = getattr(settings, "MAILBOX_CONTENT_MAX_CHARS", DEFAULT_CONTENT_MAX_CHARS)
    if not content:
        errors["content"] = [_("请填写来信内容。")]
    elif len(content) > content_limit:
        errors["content"] = [_("来信内容不能超过%(n)d个字（现有%(m)d个字）。") % {
            "n": content_limit, "m": len(content)}]
    address_text = rules.clean_line(draft.address_text)
    if len(address_text) > 200:
        errors["address_text"] = [_("事发地点不能超过200个字。")]
    latitude = _coordinate(draft.latitude, field="latitude", limit=90, errors=errors)
    longitude = _coordinate(draft.longitude, field="longitude", limit=180, errors=errors)

    name = rules.clean_line(writer.name)
    if not name:
        errors["name"] = [_("请填写写信人姓名。")]
    elif len(name) > 60:
        errors["name"] = [_("姓名不能超过60个字。")]
    phone = rules.clean_line(writer.phone)
    email = rules.clean_line(writer.email)
    if not phone and not email:
        errors["phone"] = [_("联系电话和电子邮箱请至少填写一项，以便告知办理结果。")]
    if phone and (len(phone) > 20 or not all(ch.isdigit() or ch in "+-() " for ch in phone)
                  or sum(ch.isdigit() for ch in phone) < 5):
        errors["phone"] = [_("联系电话格式不正确，只能包含数字、空格和“+-()”，不超过20位。")]
    if email:
        try:
            validate_email(email)
            if len(email) > 254:
                raise ValidationError("too long")
        except ValidationError:
            errors["email"] = [_("电子邮箱格式不正确。")]
    address = rules.clean_line(writer.address)
    if len(address) > 200:
        errors["address"] = [_("联系地址不能超过200个字。")]

    attachments = list(attachments or ())
    if len(attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = [_("附件最多%(n)d个（现有%(m)d个）。") % {
            "n": MAX_ATTACHMENTS, "m": len(attachments)}]
    else:
        problems = [message for upload in attachments for message in attachment_errors(upload)]
        if problems:
            errors["attachments"] = problems
    if errors:
        raise LetterSubmissionRefused(errors)
    return _CleanSubmission(title=title, content=content, address_text=address_text,
                            latitude=latitude, longitude=longitude, name=name, phone=phone,
                            email=email.lower() if email else "", address=address)


def _lexicon_findings(title: str, content: str) -> list:
    """Findings of the publishing lexicon (敏感词库) in the title and content; personal data,
    typos and expression rules do not hold a letter."""
    findings = check_text([TextField(_("标题"), title), TextField(_("内容"), content)],
                          compiled_content_rules())
    return [finding for finding in findings if finding.kind == FindingKind.LEXICON_TERM]


def _moderation_reason(findings: list) -> str:
    by_category: dict[str, list[str]] = {}
    for finding in findings:
        try:
            label = str(LexiconCategory(finding.rule).label)
        except ValueError:
            label = finding.rule or str(LexiconCategory.OTHER.label)
        terms = by_category.setdefault(label, [])
        if finding.matched_text not in terms:
            terms.append(finding.matched_text)
    parts = [_("%(category)s（%(terms)s）") % {"category": category, "terms": "、".join(terms)}
             for category, terms in by_category.items()]
    return _("敏感词库命中：%(parts)s") % {"parts": "；".join(parts)}


# --- Intake -----------------------------------------------------------------------------------


def _earlier(form_token: str | None, external_source: str, external_id: str) -> Letter | None:
    if form_token and (earlier := Letter.objects.filter(form_token=form_token).first()):
        return earlier
    if external_id:
        return Letter.objects.filter(external_source=external_source,
                                     external_id=external_id).first()
    return None


@transaction.atomic
def submit_letter(*, draft: LetterDraft, writer: WriterInput,
                  channel: str = LetterChannel.WEBSITE, form_token: str | None,
                  user=None, attachments: list[UploadedFile] = (), external_source: str = "",
                  external_id: str = "", submitted_at: datetime | None = None,
                  ) -> tuple[Letter, str | None]:
    """受理: register a letter with its number and query code, screen it with the lexicon and
    route it.

    Returns the letter and its query code, which is shown once; a repeated form token (or a
    known external work-order id) returns the first letter and no code. A letter the lexicon
    screen flags is held for moderation (待审核), never dropped.
    """
    form_token = (form_token or "").strip()[:64] or None
    external_source = (external_source or "").strip()[:40]
    external_id = (external_id or "").strip()[:64]
    if earlier := _earlier(form_token, external_source, external_id):
        return earlier, None
    clean = _cleaned(draft, writer, list(attachments or ()), channel, _user_or_none(user))
    findings = _lexicon_findings(clean.title, clean.content)
    submitted_at = submitted_at or timezone.now()
    received_on = timezone.localdate(submitted_at)
    code = new_query_code()
    try:
        with transaction.atomic():
            # The serial is taken last: the counter row stays locked until commit.
            sequence = next_serial(scope="mailbox.letter", year=received_on.year)
            number = rules.letter_number(received_on.year, sequence)
            letter = Letter.objects.create(
                number=number, year=received_on.year, sequence=sequence,
                query_code_digest=rules.query_code_digest(number, code),
                form_token=form_token, channel=channel, kind=draft.kind,
                addressed_body=draft.addressed_body, title=clean.title, content=clean.content,
                may_publish=bool(draft.may_publish), user=_user_or_none(user),
                status=LetterStatus.HELD if findings else LetterStatus.AWAITING_DISPATCH,
                moderation_reason=_moderation_reason(findings) if findings else "",
                submitted_at=submitted_at, received_on=received_on,
                address_text=clean.address_text, latitude=clean.latitude,
                longitude=clean.longitude, external_source=external_source,
                external_id=external_id,
            )
    except IntegrityError:
        # The same token (or work order) was committed by a parallel request while this one
        # waited for the counter; the savepoint, number included, is rolled back: no gap.
        earlier = _earlier(form_token, external_source, external_id)
        if earlier is None:
            raise
        return earlier, None
    WriterDetails.objects.create(letter=letter, name=clean.name, phone=clean.phone,
                                 email=clean.email, address=clean.address)
    for upload in attachments or ():
        kind = sniff_upload(upload)
        attachment = LetterAttachment(
            letter=letter, original_name=safe_upload_name(upload),
            content_type=ATTACHMENT_TYPES[kind].content_type, size=upload.size)
        # Stored under a random name: the writer's file name is shown, never used as a path.
        attachment.file.save(f"{uuid4().hex}.{kind}", upload, save=False)
        attachment.save()
    _add_event(letter, LetterEventKind.SUBMITTED, actor=user, at=submitted_at,
               public_note=_("来信已提交（%(channel)s），信件编号 %(number)s。") % {
                   "channel": letter.get_channel_display(), "number": letter.number})
    if findings:
        _add_event(letter, LetterEventKind.HELD, public_note=_("正在审核。"),
                   internal_note=letter.moderation_reason)
    else:
        letter = route_letter(letter=letter, on=received_on)
    _audit("mailbox.letter.submitted", actor=user, target=letter, data={
        "channel": channel, "kind": draft.kind.code,
        "addressed_body": draft.addressed_body.slug if draft.addressed_body else None,
        "held": bool(findings), "attachments": len(attachments or ()),
        "external_source": external_source})
    _notify_writer(letter, "mailbox.letter_received", dedupe=True)
    return letter, code


def _assign(letter: Letter, body: Body, *, today: date) -> None:
    letter.assigned_body = body
    letter.assigned_on = today
    letter.reply_working_days = time_limit_for(letter.kind, body)
    letter.extension_working_days = 0
    letter.due_on = rules.reply_due_on(today, letter.reply_working_days, 0, working_calendar())
    letter.status = LetterStatus.IN_PROGRESS
    letter.handler = None


def _refuse_pending_extensions(letter: Letter, note: str) -> int:
    return ExtensionRequest.objects.filter(letter=letter, status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.REFUSED, decided_at=timezone.now(), decided_by=None,
        decision_note=note)


def _notify_assigned(letter: Letter) -> None:
    _notify_staff(letter, "mailbox.letter_assigned",
                  staff_emails(letter.assigned_body, roles=(Role.LETTER_HANDLER,)),
                  body=letter.assigned_body.name, due_on=letter.due_on.isoformat())


def _assignment_note(letter: Letter) -> str:
    return _("已交由%(body)s办理，答复期限 %(due)s。") % {
        "body": letter.assigned_body.name, "due": letter.due_on.isoformat()}


@transaction.atomic
def route_letter(*, letter: Letter, actor=None, on: date | None = None) -> Letter:
    """分办: try the active routing rules by priority; the first that applies assigns the
    letter. With no rule, a letter written to a body goes to that body, and a letter written to
    "不确定" waits for a dispatcher (待分办).

    ``on`` is the day of the assignment (default today); routing at intake passes the day the
    letter was received, so a hotline work order imported later keeps its original clock."""
    letter = _locked(letter)
    _require_status(letter, LetterStatus.AWAITING_DISPATCH)
    rule = matching_routing_rule(kind=letter.kind, addressed_body=letter.addressed_body,
                                 title=letter.title, content=letter.content)
    target = rule.target_body if rule is not None else letter.addressed_body
    if target is None:
        return letter
    _assign(letter, target, today=on or _today())
    letter.save()
    _add_event(letter, LetterEventKind.ROUTED, actor=actor, to_body=target,
               at=letter.submitted_at if on is not None and on == letter.received_on else None,
               public_note=_assignment_note(letter),
               internal_note=(_("分办规则：%(rule)s") % {"rule": rule.name} if rule
                              else _("按写信对象交办。")))
    _audit("mailbox.letter.routed", actor=actor, target=letter, data={
        "body": target.slug, "rule": rule.pk if rule else None})
    _notify_assigned(letter)
    return letter


def _require_dispatch_target(actor, body: Body) -> None:
    if not isinstance(body, Body) or not dispatch_target_bodies(actor).filter(
            pk=body.pk).exists():
        raise MailboxRuleViolation({"body": [_("只能交办给本单位或下级单位。")]})


@transaction.atomic
def dispatch_letter(*, letter: Letter, actor, body: Body, note: str = "") -> Letter:
    """派单: a dispatcher assigns a letter waiting for dispatch to a body; its reply clock
    starts today."""
    letter = _locked(letter)
    if not may_dispatch(actor, letter):
        raise PermissionDenied
    _require_status(letter, LetterStatus.AWAITING_DISPATCH)
    _require_dispatch_target(actor, body)
    note = rules.clean_text(note)
    _assign(letter, body, today=_today())
    letter.save()
    _add_event(letter, LetterEventKind.DISPATCHED, actor=actor, to_body=body,
               public_note=_assignment_note(letter), internal_note=note)
    _audit("mailbox.letter.dispatched", actor=actor, target=letter, data={"body": body.slug})
    _notify_assigned(letter)
    return letter


@transaction.atomic
def forward_letter(*, letter: Letter, actor, body: Body, reason: str) -> Letter:
    """转办: a dispatcher moves a letter being handled to another body, with a reason; the
    clock starts again for the new body and pending extension requests lapse."""
    letter = _locked(letter)
    if not may_dispatch(actor, letter):
        raise PermissionDenied
    _require_status(letter, LetterStatus.IN_PROGRESS)
    reason = _require_reason(reason)
    _require_dispatch_target(actor, body)
    if body.pk == letter.assigned_body_id:
        raise MailboxRuleViolation({"body": [_("转办单位不能是当前承办单位。")]})
    previous = letter.assigned_body
    lapsed = _refuse_pending_extensions(letter, _("来信已转办，延期申请自动终止。"))
    _assign(letter, body, today=_today())
    letter.save()
    _add_event(letter, LetterEventKind.FORWARDED, actor=actor, from_body=previous, to_body=body,
               public_note=_("已转交%(body)s办理，答复期限 %(due)s。") % {
                   "body": body.name, "due": letter.due_on.isoformat()},
               internal_note=reason)
    _audit("mailbox.letter.forwarded", actor=actor, target=letter, data={
        "from": previous.slug if previous else None, "to": body.slug,
        "lapsed_extensions": lapsed})
    _notify_assigned(letter)
    _notify_writer(letter, "mailbox.letter_forwarded", body=body.name,
                   due_on=letter.due_on.isoformat())
    return letter


@transaction.atomic
def return_letter(*, letter: Letter, actor, reason: str) -> Letter:
    """退单: the assigned body's handler or reviewer sends a wrongly dispatched letter back for
    dispatch, with a reason; the letter waits for a dispatcher again."""
    letter = _locked(letter)
    if not may_handle(actor, letter):
        raise PermissionDenied
    _require_status(letter, LetterStatus.IN_PROGRESS)
    reason = _require_reason(reason)
    previous = letter.assigned_body
    lapsed = _refuse_pending_extensions(letter, _("来信已退回重新分办，延期申请自动终止。"))
    letter.assigned_body = None
    letter.assigned_on = letter.due_on = letter.reply_working_days = None
    letter.extension_working_days = 0
    letter.handler = None
    letter.status = LetterStatus.AWAITING_DISPATCH
    letter.save()
    _add_event(letter, LetterEventKind.RETURNED, actor=actor, from_body=previous,
               internal_note=reason, visible=False)
    _audit("mailbox.letter.returned", actor=actor, target=letter, data={
        "from": previous.slug, "lapsed_extensions": lapsed})
    # The dispatchers at or above the returning body (and of the body written to) re-dispatch.
    recipients: set[str] = set()
    for body in {*previous.get_ancestors(), previous}:
        recipients.update(staff_emails(body, roles=(Role.LETTER_DISPATCHER,)))
    _notify_staff(letter, "mailbox.letter_returned", recipients, body=previous.name,
                  reason=reason)
    return letter


@transaction.atomic
def merge_letters(*, duplicate: Letter, into: Letter, actor, reason: str) -> Letter:
    """合并: a duplicate letter joins another open letter (the root of its merge chain) and is
    answered through it; letters already merged into the duplicate follow it."""
    duplicate = _locked(duplicate)
    into = _locked(into)
    if not may_dispatch(actor, duplicate) or not may_dispatch(actor, into):
        raise PermissionDenied
    reason = _require_reason(reason)
    root = into
    seen = {root.pk}
    while root.merged_into_id is not None:
        if root.merged_into_id in seen:
            break
        seen.add(root.merged_into_id)
        root = _locked(Letter(pk=root.merged_into_id))
    if root.pk == duplicate.pk or duplicate.pk in seen:
        raise MailboxRuleViolation({"into": [_("不能把来信合并到它自己。")]})
    if duplicate.status not in OPEN_STATUSES:
        raise MailboxRuleViolation({"duplicate": [
            _("只能合并未办结的来信（该来信状态为“%(status)s”）。")
            % {"status": duplicate.get_status_display()}]})
    if root.status not in OPEN_STATUSES:
        raise MailboxRuleViolation({"into": [
            _("只能合并到未办结的来信（信件 %(number)s 状态为“%(status)s”）。")
            % {"number": root.number, "status": root.get_status_display()}]})
    if root.pk != into.pk and not may_dispatch(actor, root):
        raise PermissionDenied
    _refuse_pending_extensions(duplicate, _("来信已合并办理，延期申请自动终止。"))
    followers = list(Letter.objects.select_for_update().filter(merged_into=duplicate))
    duplicate.status = LetterStatus.MERGED
    duplicate.merged_into = root
    duplicate.save()
    if followers:
        Letter.objects.filter(pk__in=[follower.pk for follower in followers]).update(
            merged_into=root)
    _add_event(duplicate, LetterEventKind.MERGED, actor=actor,
               public_note=_("您的来信与反映同一事项的来信合并办理，答复将一并告知。"),
               internal_note=_("合并至 %(number)s。理由：%(reason)s") % {
                   "number": root.number, "reason": reason})
    _add_event(root, LetterEventKind.MERGED, actor=actor, visible=False,
               internal_note=_("合并了来信 %(number)s。理由：%(reason)s") % {
                   "number": duplicate.number, "reason": reason})
    _audit("mailbox.letter.merged", actor=actor, target=duplicate, data={
        "into": root.number, "followers": [follower.number for follower in followers]})
    _notify_writer(duplicate, "mailbox.letter_merged")
    return duplicate


@transaction.atomic
def release_held_letter(*, letter: Letter, actor) -> Letter:
    """审核放行: a dispatcher releases a letter the lexicon screen held; it is routed as any
    other letter."""
    letter = _locked(letter)
    if not may_dispatch(actor, letter):
        raise PermissionDenied
    _require_status(letter, LetterStatus.HELD)
    letter.status = LetterStatus.AWAITING_DISPATCH
    letter.save(update_fields=["status", "updated_at"])
    _add_event(letter, LetterEventKind.RELEASED, actor=actor, public_note=_("审核通过。"))
    _audit("mailbox.letter.released", actor=actor, target=letter)
    return route_letter(letter=letter, actor=actor)


@transaction.atomic
def refuse_letter(*, letter: Letter, actor, reason: str) -> Letter:
    """不予受理: a dispatcher refuses a held letter, with a reason told to the writer."""
    letter = _locked(letter)
    if not may_dispatch(actor, letter):
        raise PermissionDenied
    _require_status(letter, LetterStatus.HELD)
    reason = _require_reason(reason)
    letter.status = LetterStatus.REFUSED
    letter.save(update_fields=["status", "updated_at"])
    _add_event(letter, LetterEventKind.REFUSED, actor=actor,
               public_note=_("不予受理：%(reason)s") % {"reason": reason})
    _audit("mailbox.letter.refused", actor=actor, target=letter)
    _notify_writer(letter, "mailbox.letter_refused", dedupe=True, reason=reason)
    return letter


@transaction.atomic
def record_writer_details_viewed(*, letter: Letter, actor) -> WriterDetails:
    """查看写信人信息: staff who handle or dispatch the letter see the writer's contact details;
    every look is audited."""
    if not may_view_writer_details(actor, letter):
        raise PermissionDenied
    details = WriterDetails.objects.get(letter=letter)
    _audit("mailbox.writer.viewed", actor=actor, target=letter)
    return details
