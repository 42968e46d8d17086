"""The writer's rating of a reply (满意度评价) and the follow-up of dissatisfied ones (回访).

Five levels as in 好差评 (国办发〔2019〕51号; GB/T 39734-2020, regulations.md §7): 不满意 and
非常不满意 are followed up; the supervisor (督办员) tracks the follow-up to a conclusion.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules
from ..choices import FollowUpStatus, LetterEventKind, LetterStatus, SatisfactionLevel
from ..exceptions import MailboxRuleViolation
from ..models import FollowUp, Letter, LetterRating
from ..queries.letters import may_supervise
from ._common import _add_event, _audit, _locked, _notify_staff
from .handling import _require_text, _supervisor_emails

__all__ = ["RATING_COMMENT_MAX_CHARS", "close_follow_up", "rate_letter"]

RATING_COMMENT_MAX_CHARS = 500


def _level(value) -> int:
    if isinstance(value, bool):
        value = None
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = 0
    if level not in SatisfactionLevel.values:
        raise MailboxRuleViolation({"level": [_("请选择满意度（1至5级）。")]})
    return level


@transaction.atomic
def rate_letter(*, letter: Letter, level: int, comment: str = "") -> LetterRating:
    """评价: the writer rates the reply of an answered letter, once, and may comment; 不满意 or
    非常不满意 opens a follow-up for the supervisors.

    No actor: the public view has already checked that the request comes from the writer (query
    code, session or account). The audit record carries no personal data (not the comment).
    """
    letter = _locked(letter)
    if letter.status != LetterStatus.ANSWERED:
        raise MailboxRuleViolation({"__all__": [_("只能评价已答复的来信。")]})
    if LetterRating.objects.filter(letter=letter).exists():
        raise MailboxRuleViolation({"level": [_("该来信已评价过，不能重复评价。")]})
    level = _level(level)
    comment = rules.clean_text(comment if isinstance(comment, str) else "")
    if len(comment) > RATING_COMMENT_MAX_CHARS:
        raise MailboxRuleViolation({"comment": [
            _("评价意见不能超过%(n)d个字（现有%(m)d个字）。") % {
                "n": RATING_COMMENT_MAX_CHARS, "m": len(comment)}]})
    now = timezone.now()
    try:
        with transaction.atomic():
            rating = LetterRating.objects.create(letter=letter, level=level, comment=comment,
                                                 rated_at=now)
    except IntegrityError as error:
        raise MailboxRuleViolation({"level": [_("该来信已评价过，不能重复评价。")]}) from error
    label = SatisfactionLevel(level).label
    _add_event(letter, LetterEventKind.RATED, at=now,
               public_note=_("评价：%(level)s。") % {"level": label}
               + (_("评价意见：%(comment)s") % {"comment": comment} if comment else ""))
    follow_up = None
    if rating.is_dissatisfied:
        follow_up = FollowUp.objects.create(letter=letter, status=FollowUpStatus.OPEN,
                                            opened_at=now)
        _notify_staff(letter, "mailbox.rating_dissatisfied",
                      _supervisor_emails(letter.assigned_body), level=str(label))
    _audit("mailbox.letter.rated", target=letter, data={
        "level": level, "has_comment": bool(comment), "follow_up": follow_up is not None})
    return rating


@transaction.atomic
def close_follow_up(*, follow_up: FollowUp, actor, conclusion: str) -> FollowUp:
    """回访办结: the supervisor closes the follow-up of a dissatisfied rating with its
    conclusion (what was found and done)."""
    letter = _locked(Letter(pk=follow_up.letter_id))
    follow_up = FollowUp.objects.select_for_update(of=("self",)).get(pk=follow_up.pk)
    if not may_supervise(actor, letter):
        raise PermissionDenied
    if follow_up.status != FollowUpStatus.OPEN:
        raise MailboxRuleViolation({"__all__": [_("该回访已办结。")]})
    conclusion = _require_text(conclusion, field="conclusion", max_chars=5000, message=_(
        "请填写回访结果，至少4个字。"))
    follow_up.status = FollowUpStatus.CLOSED
    follow_up.conclusion = conclusion
    follow_up.closed_by = actor
    follow_up.closed_at = timezone.now()
    follow_up.save(update_fields=["status", "conclusion", "closed_by", "closed_at"])
    _add_event(letter, LetterEventKind.FOLLOW_UP_CLOSED, actor=actor,
               public_note=_("回访已办结。"), internal_note=conclusion)
    _audit("mailbox.follow_up.closed", actor=actor, target=letter,
           data={"follow_up": follow_up.pk})
    return follow_up
