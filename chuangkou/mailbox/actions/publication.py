"""Publication of answered letters (信件公开) with personal data masked.

With the writer's consent (``Letter.may_publish``) the letter and its approved reply are
published with 受理日期, 答复日期, 答复部门 and 答复内容. What is published is a masked copy
(``published_*``), never the original: 个人信息保护法 第二十五条 (no public disclosure of personal
information without separate consent), regulations.md §10. Staff may edit the copy to mask more;
whatever they write is masked again, so an edit can never bring personal data back.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules
from ..choices import LetterEventKind, LetterStatus
from ..exceptions import MailboxRuleViolation
from ..masking import mask_letter_text, names_in_text, writer_known_values
from ..models import Letter, LetterReply, WriterDetails
from ..queries.letters import approved_reply_of, may_publish_letter, public_body_phone_numbers
from ._common import _add_event, _audit, _locked
from .handling import REPLY_MAX_CHARS, _require_text

__all__ = ["publish_letter", "unpublish_letter"]

TITLE_MAX_CHARS = 100
CONTENT_MAX_CHARS = 5000


def _known_values(letter: Letter, reply: LetterReply) -> list[str]:
    """What must stay hidden in every published text: the writer's own details and every
    name the masker recognises in the original title, content and reply."""
    writer = WriterDetails.objects.filter(letter=letter).first()
    known = writer_known_values(writer)
    for text in (letter.title, letter.content, reply.text):
        known.extend(names_in_text(text))
    return known


def _staff_text(value, *, field: str, label: str, max_chars: int, one_line: bool = False) -> str:
    if not isinstance(value, str):
        raise MailboxRuleViolation({field: [_("请填写%(label)s。") % {"label": label}]})
    text = rules.clean_line(value) if one_line else rules.clean_text(value)
    if not text:
        raise MailboxRuleViolation({field: [_("请填写%(label)s。") % {"label": label}]})
    if len(text) > max_chars:
        raise MailboxRuleViolation({field: [
            _("%(label)s不能超过%(n)d个字（现有%(m)d个字）。") % {
                "label": label, "n": max_chars, "m": len(text)}]})
    return text


@transaction.atomic
def publish_letter(*, letter: Letter, actor, title: str | None = None,
                   content: str | None = None, reply: str | None = None) -> Letter:
    """公开来信和答复: store masked copies of the title, content and approved reply and show the
    letter on the public list. ``title``, ``content`` and ``reply`` are staff edits of the copy
    (None keeps the original); they are masked like the original, so they can mask more, never
    less. Publishing again replaces the copy."""
    letter = _locked(letter)
    approved = approved_reply_of(letter)
    if not may_publish_letter(actor, letter, approved.body if approved else None):
        raise PermissionDenied
    if letter.status != LetterStatus.ANSWERED or approved is None:
        raise MailboxRuleViolation({"__all__": [_("只能公开已答复的来信。")]})
    if not letter.may_publish:
        raise MailboxRuleViolation({"__all__": [_("写信人未同意公开，该来信不能公开。")]})
    edited = {name for name, value in (("title", title), ("content", content), ("reply", reply))
              if value is not None}
    title = _staff_text(letter.title if title is None else title, field="title",
                        label=_("公开标题"), max_chars=TITLE_MAX_CHARS, one_line=True)
    content = _staff_text(letter.content if content is None else content, field="content",
                          label=_("公开内容"), max_chars=CONTENT_MAX_CHARS)
    reply = _staff_text(approved.text if reply is None else reply, field="reply",
                        label=_("公开答复"), max_chars=REPLY_MAX_CHARS)
    known = _known_values(letter, approved)
    was_published = letter.is_published
    letter.published_title = mask_letter_text(title, known=known)[:TITLE_MAX_CHARS]
    letter.published_content = mask_letter_text(content, known=known)
    # The government's own published phone numbers stay in the reply: they are how the writer
    # follows up, and they are public information, not personal data.
    letter.published_reply = mask_letter_text(reply, known=known,
                                              public_numbers=public_body_phone_numbers())
    letter.is_published = True
    letter.published_at = timezone.now()
    letter.published_by = actor
    letter.save(update_fields=["published_title", "published_content", "published_reply",
                               "is_published", "published_at", "published_by", "updated_at"])
    _add_event(letter, LetterEventKind.PUBLISHED, actor=actor, at=letter.published_at,
               public_note=_("来信和答复已公开（个人信息已隐去）。"))
    _audit("mailbox.letter.published", actor=actor, target=letter, data={
        "edited": sorted(edited), "republished": was_published})
    return letter


@transaction.atomic
def unpublish_letter(*, letter: Letter, actor, reason: str) -> Letter:
    """撤销公开: take a published letter off the public list, with a reason; the published
    copy is discarded (publishing again makes a new one)."""
    letter = _locked(letter)
    approved = approved_reply_of(letter)
    if not may_publish_letter(actor, letter, approved.body if approved else None):
        raise PermissionDenied
    if not letter.is_published:
        raise MailboxRuleViolation({"__all__": [_("该来信未公开。")]})
    reason = _require_text(reason, field="reason")
    letter.is_published = False
    letter.published_at = None
    letter.published_by = None
    letter.published_title = letter.published_content = letter.published_reply = ""
    letter.save(update_fields=["published_title", "published_content", "published_reply",
                               "is_published", "published_at", "published_by", "updated_at"])
    _add_event(letter, LetterEventKind.UNPUBLISHED, actor=actor,
               public_note=_("已撤销公开。"), internal_note=reason)
    _audit("mailbox.letter.unpublished", actor=actor, target=letter, data={"reason": reason})
    return letter
