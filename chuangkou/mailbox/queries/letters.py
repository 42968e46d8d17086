"""Reads of letters (来信): who may see and act on which letter, the staff queues, the writer's
lookup by number and query code, the timeline, published letters, and the configuration
(kinds, time limits, routing rules, Open311 keys).

Scope, by role (see ``organizations.permissions``):

- 信件办理员 / 信件审核员: letters assigned to a body in which they hold the role;
- 信件分办员 / 督办员: letters addressed or assigned to their body or any body below it; the
  dispatchers of a top body (no parent) also get the letters nobody was named for ("不确定"),
  which wait for them to dispatch.
"""

import hashlib
import re
from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from chuangkou.organizations.choices import Role
from chuangkou.organizations.models import Body, Membership
from chuangkou.organizations.queries import bodies_at_or_below, bodies_of

from .. import rules
from ..choices import LetterStatus, ReplyStatus
from ..models import (
    Letter,
    LetterEvent,
    LetterKind,
    LetterReply,
    Open311ApiKey,
    ReplyTimeLimit,
    RoutingRule,
    UrgeNote,
)

__all__ = [
    "BODY_ROLES",
    "SCOPE_ROLES",
    "active_letter_kinds",
    "addressable_bodies",
    "approved_reply_of",
    "dispatch_target_bodies",
    "letter_by_number_and_code",
    "letter_for_staff",
    "letter_kinds",
    "letters_awaiting_dispatch",
    "letters_held_for",
    "letters_in_progress_for",
    "letters_in_review_for",
    "letters_of_user",
    "letters_visible_to",
    "matching_routing_rule",
    "may_dispatch",
    "may_exchange_work_orders",
    "may_export_statistics",
    "may_handle",
    "may_publish_letter",
    "may_review",
    "may_supervise",
    "may_view_writer_details",
    "open311_api_key_digest",
    "open311_api_key_for",
    "open311_api_keys",
    "open_letters_of_body",
    "public_body_phone_numbers",
    "published_letters",
    "reply_time_limits",
    "root_letter",
    "routing_rules",
    "staff_emails",
    "time_limit_for",
    "timeline_of",
    "unanswered_urge_notes",
]

# Roles that act on letters assigned to their own body.
BODY_ROLES = (Role.LETTER_HANDLER, Role.LETTER_REVIEWER)
# Roles that act on letters of their body and every body below it.
SCOPE_ROLES = (Role.LETTER_DISPATCHER, Role.LETTER_SUPERVISOR)

# Related rows every staff list shows (kind, bodies, handler); never the writer's details.
LIST_RELATED = ("kind", "addressed_body", "assigned_body", "handler", "merged_into")


def _is_active_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _holds(user, *, roles: tuple[str, ...], body_id: int | None) -> bool:
    if body_id is None:
        return False
    return Membership.objects.filter(user=user, role__in=roles, body_id=body_id).exists()


def _in_scope(user, *, roles: tuple[str, ...], body_ids: Iterable[int | None]) -> bool:
    ids = {body_id for body_id in body_ids if body_id is not None}
    if not ids:
        return False
    return bodies_at_or_below(user, roles=roles).filter(pk__in=ids).exists()


def _holds_at_top(user, *, roles: tuple[str, ...]) -> bool:
    """Whether ``user`` holds one of ``roles`` in a top body (no parent: the city)."""
    return Membership.objects.filter(user=user, role__in=roles, body__depth=1).exists()


def _scope_condition(user, *, roles: tuple[str, ...], unaddressed: bool) -> Q:
    """Letters addressed or assigned to a body at or below the user's ``roles``; with
    ``unaddressed`` also those nobody was named for, when the user holds a role at the top."""
    scope = bodies_at_or_below(user, roles=roles)
    condition = Q(addressed_body__in=scope) | Q(assigned_body__in=scope)
    if unaddressed and _holds_at_top(user, roles=roles):
        condition |= Q(addressed_body__isnull=True, assigned_body__isnull=True)
    return condition


def _dispatch_condition(user) -> Q:
    return _scope_condition(user, roles=(Role.LETTER_DISPATCHER,), unaddressed=True)


# --- Permissions on one letter -----------------------------------------------------------


def may_handle(user, letter: Letter) -> bool:
    """办理: the handler (or reviewer) of the body the letter is assigned to."""
    if not _is_active_user(user) or not user.has_perm("mailbox.handle_letter"):
        return False
    return _holds(user, roles=BODY_ROLES, body_id=letter.assigned_body_id)


def may_review(user, letter: Letter) -> bool:
    """审核答复: the reviewer of the assigned body, or a supervisor whose scope covers it."""
    if not _is_active_user(user) or not user.has_perm("mailbox.review_letter_reply"):
        return False
    if letter.assigned_body_id is None:
        return False
    return (_holds(user, roles=(Role.LETTER_REVIEWER,), body_id=letter.assigned_body_id)
            or _in_scope(user, roles=(Role.LETTER_SUPERVISOR,),
                         body_ids=[letter.assigned_body_id]))


def may_dispatch(user, letter: Letter) -> bool:
    """分办/转办/合并/审核放行: a dispatcher whose scope covers the body the letter was written or
    assigned to; a letter written to "不确定" and not yet assigned belongs to the dispatchers of
    a top body."""
    if not _is_active_user(user) or not user.has_perm("mailbox.dispatch_letter"):
        return False
    roles = (Role.LETTER_DISPATCHER,)
    if letter.addressed_body_id is None and letter.assigned_body_id is None:
        return _holds_at_top(user, roles=roles)
    return _in_scope(user, roles=roles,
                     body_ids=[letter.addressed_body_id, letter.assigned_body_id])


def may_supervise(user, letter: Letter) -> bool:
    """督办: a supervisor whose scope covers the body the letter was written or assigned to."""
    if not _is_active_user(user) or not user.has_perm("mailbox.supervise_letter"):
        return False
    return _in_scope(user, roles=(Role.LETTER_SUPERVISOR,),
                     body_ids=[letter.addressed_body_id, letter.assigned_body_id])


def may_view_writer_details(user, letter: Letter) -> bool:
    """写信人信息: staff with the permission who handle or dispatch the letter."""
    if not _is_active_user(user) or not user.has_perm("mailbox.view_writer_details"):
        return False
    return may_handle(user, letter) or may_dispatch(user, letter)


# --- Staff lists ------------------------------------------------------------------------


def letters_visible_to(user) -> QuerySet[Letter]:
    """Every letter ``user`` may see as staff (see the module docstring for the scope)."""
    if not _is_active_user(user) or not user.has_perm("mailbox.view_letter"):
        return Letter.objects.none()
    condition = Q(assigned_body__in=bodies_of(user, roles=BODY_ROLES))
    condition |= _scope_condition(user, roles=(Role.LETTER_SUPERVISOR,), unaddressed=False)
    condition |= _dispatch_condition(user)
    return Letter.objects.filter(condition).select_related(*LIST_RELATED)


def letter_for_staff(user, number: str) -> Letter | None:
    """The letter with ``number`` if ``user`` may see it, with everything its staff page shows
    fetched up front; None otherwise (the view answers 404 either way)."""
    return (letters_visible_to(user).select_related("writer", "rating", "follow_up")
            .prefetch_related(
                "attachments", "replies__drafted_by", "replies__reviewed_by",
                "extension_requests__requested_by", "extension_requests__decided_by",
                "urge_notes__issued_by", "urge_notes__responded_by", "merged_letters",
                Prefetch("events", queryset=LetterEvent.objects.select_related(
                    "actor", "from_body", "to_body")))
            .filter(number=(number or "").strip().upper()).first())


def letters_awaiting_dispatch(user) -> QuerySet[Letter]:
    """待分办: letters no rule assigned (or returned, 退单) that ``user`` may dispatch, oldest
    first."""
    if not _is_active_user(user) or not user.has_perm("mailbox.dispatch_letter"):
        return Letter.objects.none()
    return (Letter.objects.filter(_dispatch_condition(user),
                                  status=LetterStatus.AWAITING_DISPATCH)
            .select_related(*LIST_RELATED).order_by("submitted_at", "pk"))


def letters_held_for(user) -> QuerySet[Letter]:
    """待审核: letters the lexicon screen held, for the dispatchers who may release or refuse
    them, oldest first."""
    if not _is_active_user(user) or not user.has_perm("mailbox.dispatch_letter"):
        return Letter.objects.none()
    return (Letter.objects.filter(_dispatch_condition(user), status=LetterStatus.HELD)
            .select_related(*LIST_RELATED).order_by("submitted_at", "pk"))


def letters_in_progress_for(user) -> QuerySet[Letter]:
    """办理中: open letters assigned to the bodies where ``user`` handles or reviews letters,
    earliest deadline first."""
    if not _is_active_user(user) or not user.has_perm("mailbox.handle_letter"):
        return Letter.objects.none()
    return (Letter.objects.filter(assigned_body__in=bodies_of(user, roles=BODY_ROLES),
                                  status__in=(LetterStatus.IN_PROGRESS, LetterStatus.IN_REVIEW))
            .select_related(*LIST_RELATED).order_by("due_on", "pk"))


def letters_in_review_for(user) -> QuerySet[Letter]:
    """答复待审核: letters whose reply waits for ``user`` as the reviewer of the assigned body
    or as a supervisor in scope, earliest deadline first."""
    if not _is_active_user(user) or not user.has_perm("mailbox.review_letter_reply"):
        return Letter.objects.none()
    bodies = (bodies_of(user, roles=(Role.LETTER_REVIEWER,))
              | bodies_at_or_below(user, roles=(Role.LETTER_SUPERVISOR,)))
    return (Letter.objects.filter(assigned_body__in=bodies.values("pk"),
                                  status=LetterStatus.IN_REVIEW)
            .select_related(*LIST_RELATED).order_by("due_on", "pk"))


def open_letters_of_body(body: Body) -> QuerySet[Letter]:
    """Open letters assigned to ``body`` (being handled or in review), earliest deadline
    first."""
    return (Letter.objects.filter(assigned_body=body,
                                  status__in=(LetterStatus.IN_PROGRESS, LetterStatus.IN_REVIEW))
            .select_related(*LIST_RELATED).order_by("due_on", "pk"))


def staff_emails(body: Body | None, *, roles: tuple[str, ...]) -> list[str]:
    """E-mail addresses of the active staff of ``body`` holding ``roles``."""
    if body is None:
        return []
    return sorted({
        email for email in Membership.objects.filter(
            body=body, role__in=roles, user__is_active=True).values_list("user__email", flat=True)
        if email
    })


# --- Writers and the public -----------------------------------------------------------------


def letter_by_number_and_code(number: str, code: str) -> Letter | None:
    """The letter with ``number`` when ``code`` is its query code (compared in constant time,
    with the same work whether the number exists or not); None otherwise."""
    number = "".join((number or "").split()).upper()
    letter = (Letter.objects.select_related("kind", "addressed_body", "assigned_body",
                                            "merged_into")
              .filter(number=number).first() if number else None)
    if letter is None:
        rules.query_code_matches("0" * 64, number, code)
        return None
    if not rules.query_code_matches(letter.query_code_digest, number, code):
        return None
    return letter


def timeline_of(letter: Letter, *, for_writer: bool) -> QuerySet[LetterEvent]:
    """The letter's steps in order; for the writer only the steps marked visible to them."""
    events = (LetterEvent.objects.filter(letter=letter)
              .select_related("actor", "from_body", "to_body").order_by("occurred_at", "pk"))
    if for_writer:
        events = events.filter(visible_to_writer=True)
    return events


def letters_of_user(user) -> QuerySet[Letter]:
    """The letters a signed-in citizen wrote, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Letter.objects.none()
    return (Letter.objects.filter(user=user)
            .select_related("kind", "addressed_body", "assigned_body")
            .order_by("-submitted_at", "-pk"))


def published_letters() -> QuerySet[Letter]:
    """Letters published with the writer's consent (masked copies), newest answer first."""
    return (Letter.objects.filter(is_published=True, may_publish=True)
            .select_related("kind", "assigned_body", "addressed_body")
            .order_by("-answered_at", "-pk"))


def addressable_bodies() -> QuerySet[Body]:
    """The bodies a letter can be written to, in tree order."""
    return Body.objects.order_by("path")


def dispatch_target_bodies(user) -> QuerySet[Body]:
    """The bodies a dispatcher may assign or forward letters to: their own and those below."""
    if not _is_active_user(user):
        return Body.objects.none()
    return bodies_at_or_below(user, roles=(Role.LETTER_DISPATCHER,))


def root_letter(letter: Letter) -> Letter:
    """The letter a chain of merges ends in (the one that will be answered)."""
    seen = {letter.pk}
    while letter.merged_into_id is not None and letter.merged_into_id not in seen:
        seen.add(letter.merged_into_id)
        letter = Letter.objects.get(pk=letter.merged_into_id)
    return letter


# --- Configuration ------------------------------------------------------------------------


def active_letter_kinds() -> QuerySet[LetterKind]:
    return LetterKind.objects.filter(is_active=True).order_by("sort_order", "pk")


def letter_kinds() -> QuerySet[LetterKind]:
    return LetterKind.objects.order_by("sort_order", "pk")


def time_limit_for(kind: LetterKind, body: Body | None) -> int:
    """The reply time limit in working days: the body's own for the kind (办理时限), else the
    kind's (regulations.md §8: set by each government, 5–15 working days in practice)."""
    if body is not None:
        days = (ReplyTimeLimit.objects.filter(kind=kind, body=body)
                .values_list("reply_working_days", flat=True).first())
        if days is not None:
            return days
    return kind.reply_working_days


def reply_time_limits() -> QuerySet[ReplyTimeLimit]:
    return ReplyTimeLimit.objects.select_related("body", "kind").order_by("body__path",
                                                                          "kind__sort_order")


def routing_rules(*, active_only: bool = False) -> QuerySet[RoutingRule]:
    rules_ = RoutingRule.objects.select_related("kind", "addressed_body", "target_body")
    if active_only:
        rules_ = rules_.filter(is_active=True)
    return rules_.order_by("priority", "pk")


def matching_routing_rule(*, kind: LetterKind, addressed_body: Body | None, title: str,
                          content: str) -> RoutingRule | None:
    """The first active routing rule (by priority) that applies to a letter with these
    values, or None (also used by the admin's "test a text" box)."""
    for rule in routing_rules(active_only=True):
        if rules.routing_rule_matches(
                rule_kind_id=rule.kind_id, rule_addressed_body_id=rule.addressed_body_id,
                rule_keywords=rule.keyword_list, kind_id=kind.pk,
                addressed_body_id=addressed_body.pk if addressed_body else None,
                title=title, content=content):
            return rule
    return None


def open311_api_keys() -> QuerySet[Open311ApiKey]:
    return Open311ApiKey.objects.select_related("created_by").order_by("name")


def open311_api_key_digest(plaintext: str) -> str:
    return hashlib.sha256((plaintext or "").strip().encode()).hexdigest()


def open311_api_key_for(plaintext: str) -> Open311ApiKey | None:
    """The active Open311 key whose digest matches ``plaintext``, else None."""
    if not (plaintext or "").strip():
        return None
    return Open311ApiKey.objects.filter(key_digest=open311_api_key_digest(plaintext),
                                        is_active=True).first()


# --- Moved reads: replies, publication, urging and exchange rights ---------------------------

EXCHANGE_PERMISSIONS = ("mailbox.dispatch_letter", "mailbox.manage_mailbox")
STATISTICS_PERMISSIONS = ("mailbox.supervise_letter", "mailbox.dispatch_letter")


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def approved_reply_of(letter: Letter) -> LetterReply | None:
    """The letter's approved reply (there is at most one), with its body."""
    return (LetterReply.objects.select_related("body")
            .filter(letter=letter, status=ReplyStatus.APPROVED).first())


def may_publish_letter(user, letter: Letter, body: Body | None = None) -> bool:
    """公开: staff with ``mailbox.publish_letter`` who review letters of the answering body, or a
    supervisor whose scope covers it. ``body`` is the answering body (the approved reply's),
    the assigned body when not given."""
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)
            and user.has_perm("mailbox.publish_letter")):
        return False
    body_id = body.pk if body is not None else letter.assigned_body_id
    if body_id is None:
        return False
    if Membership.objects.filter(user=user, body_id=body_id,
                                 role=Role.LETTER_REVIEWER).exists():
        return True
    return bodies_at_or_below(user, roles=(Role.LETTER_SUPERVISOR,)).filter(pk=body_id).exists()


def unanswered_urge_notes(user) -> QuerySet[UrgeNote]:
    """督办待回复: urge notes to the bodies where ``user`` handles letters that nobody has
    answered yet, oldest first ."""
    if not (getattr(user, "is_authenticated", False) and user.has_perm("mailbox.handle_letter")):
        return UrgeNote.objects.none()
    bodies = bodies_of(user, roles=(Role.LETTER_HANDLER, Role.LETTER_REVIEWER))
    return (UrgeNote.objects.filter(body__in=bodies, responded_at__isnull=True)
            .select_related("letter", "letter__kind", "body", "issued_by")
            .order_by("issued_at", "pk"))


def may_exchange_work_orders(user) -> bool:
    """Import and export of hotline work orders: dispatchers and mailbox managers."""
    return _active(user) and any(user.has_perm(name) for name in EXCHANGE_PERMISSIONS)


def may_export_statistics(user) -> bool:
    return _active(user) and any(user.has_perm(name) for name in STATISTICS_PERMISSIONS)


def public_body_phone_numbers() -> list[str]:
    """The published phone numbers of every body (机构联系电话), which replies may quote."""
    numbers = []
    for phone in Body.objects.exclude(phone="").values_list("phone", flat=True):
        numbers.extend(part for part in re.split(r"[,，;；、/\s]+", phone) if part)
    return numbers
