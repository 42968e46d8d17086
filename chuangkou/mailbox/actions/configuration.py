"""Configuration of the mailbox: letter kinds (信件类型), time limits per body (办理时限),
routing rules (分办规则) and Open311 API keys. Every change needs ``mailbox.manage_mailbox``
and is audited."""

import secrets

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chuangkou.core.audit import json_safe, record_event
from chuangkou.core.exceptions import full_clean_or_raise
from chuangkou.organizations.models import Body

from .. import rules
from ..exceptions import MailboxRuleViolation
from ..models import LetterKind, Open311ApiKey, ReplyTimeLimit, RoutingRule
from ..queries.letters import open311_api_key_digest

__all__ = [
    "clear_reply_time_limit",
    "create_open311_api_key",
    "delete_routing_rule",
    "revoke_open311_api_key",
    "save_letter_kind",
    "save_routing_rule",
    "set_reply_time_limit",
]

KEY_PREFIX_LENGTH = 8


def _require_manager(actor) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.is_active
            and actor.has_perm("mailbox.manage_mailbox")):
        raise PermissionDenied


def _audit(action: str, *, actor, target=None, data: dict | None = None) -> None:
    record_event(action, actor=actor, target=target, data=json_safe(data or {}))


def _save(instance, *, exclude=None) -> None:
    full_clean_or_raise(instance, MailboxRuleViolation, exclude=exclude)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:  # a parallel save won a unique constraint
        raise MailboxRuleViolation({"__all__": [_("已存在相同的记录，请刷新后重试。")]}) from error


LETTER_KIND_FIELDS = ("code", "name", "description", "reply_working_days", "sort_order",
                      "is_active", "required_identity")


@transaction.atomic
def save_letter_kind(*, actor, kind: LetterKind | None = None, **values) -> LetterKind:
    """Create a letter kind, or change one (its code is fixed once created: Open311 clients
    use it as the service code). Kinds are deactivated, never deleted."""
    _require_manager(actor)
    unknown = set(values) - set(LETTER_KIND_FIELDS)
    if unknown:
        raise MailboxRuleViolation({name: [_("不能在此修改。")] for name in sorted(unknown)})
    creating = kind is None
    if creating:
        kind = LetterKind()
    else:
        kind = LetterKind.objects.select_for_update().get(pk=kind.pk)
        if "code" in values and values["code"] != kind.code:
            raise MailboxRuleViolation({"code": [
                _("信件类型代码创建后不能修改（移动端接口以它作为服务代码）。")]})
    for name in ("code", "name", "description"):
        if name in values:
            values[name] = rules.clean_line(values[name] or "")
    before = {name: getattr(kind, name) for name in LETTER_KIND_FIELDS}
    for name, value in values.items():
        setattr(kind, name, value)
    _save(kind)
    changed = {name: getattr(kind, name) for name in LETTER_KIND_FIELDS
               if creating or getattr(kind, name) != before[name]}
    _audit("mailbox.kind.created" if creating else "mailbox.kind.updated", actor=actor,
           target=kind, data=changed)
    return kind


@transaction.atomic
def set_reply_time_limit(*, actor, body: Body, kind: LetterKind,
                         reply_working_days: int | None) -> ReplyTimeLimit | None:
    """办理时限: the body's own time limit for a kind of letter, in working days (1–60);
    ``None`` clears it, and the kind's own limit applies again. Letters already assigned keep
    the deadline they were given."""
    _require_manager(actor)
    if reply_working_days is None:
        clear_reply_time_limit(actor=actor, body=body, kind=kind)
        return None
    limit = (ReplyTimeLimit.objects.select_for_update().filter(body=body, kind=kind).first()
             or ReplyTimeLimit(body=body, kind=kind))
    previous = limit.reply_working_days if limit.pk else None
    limit.reply_working_days = reply_working_days
    _save(limit)
    _audit("mailbox.time_limit.set", actor=actor, target=limit, data={
        "body": body.slug, "kind": kind.code, "reply_working_days": reply_working_days,
        "previous": previous})
    return limit


@transaction.atomic
def clear_reply_time_limit(*, actor, body: Body, kind: LetterKind) -> bool:
    """Remove the body's own time limit for ``kind``; True when there was one."""
    _require_manager(actor)
    limit = ReplyTimeLimit.objects.filter(body=body, kind=kind).first()
    if limit is None:
        return False
    previous = limit.reply_working_days
    limit.delete()
    _audit("mailbox.time_limit.cleared", actor=actor, data={
        "body": body.slug, "kind": kind.code, "previous": previous})
    return True


ROUTING_RULE_FIELDS = ("name", "priority", "kind", "addressed_body", "keywords", "target_body",
                       "is_active")


def _keywords_text(keywords) -> str:
    """Keywords as stored: one per line, trimmed, without blanks or repeats. Accepts the
    textarea's text or a list."""
    lines = keywords.splitlines() if isinstance(keywords, str) else list(keywords or ())
    seen: list[str] = []
    for line in lines:
        keyword = rules.clean_line(str(line))
        if keyword and keyword not in seen:
            seen.append(keyword)
    return "\n".join(seen)


@transaction.atomic
def save_routing_rule(*, actor, rule: RoutingRule | None = None, **values) -> RoutingRule:
    """Create or change a routing rule (分办规则): conditions kind / addressed body /
    keywords (any of them in the title or content), and the body the letter goes to."""
    _require_manager(actor)
    unknown = set(values) - set(ROUTING_RULE_FIELDS)
    if unknown:
        raise MailboxRuleViolation({name: [_("不能在此修改。")] for name in sorted(unknown)})
    creating = rule is None
    rule = RoutingRule() if creating else RoutingRule.objects.select_for_update().get(pk=rule.pk)
    if "name" in values:
        values["name"] = rules.clean_line(values["name"] or "")
    if "keywords" in values:
        values["keywords"] = _keywords_text(values["keywords"])
    for name, value in values.items():
        setattr(rule, name, value)
    if rule.target_body_id is None:
        raise MailboxRuleViolation({"target_body": [_("请选择交办单位。")]})
    _save(rule)
    _audit("mailbox.routing_rule.created" if creating else "mailbox.routing_rule.updated",
           actor=actor, target=rule, data={
               "name": rule.name, "priority": rule.priority,
               "kind": rule.kind.code if rule.kind_id else None,
               "addressed_body": rule.addressed_body.slug if rule.addressed_body_id else None,
               "keywords": rule.keyword_list, "target_body": rule.target_body.slug,
               "is_active": rule.is_active})
    return rule


@transaction.atomic
def delete_routing_rule(*, actor, rule: RoutingRule) -> None:
    """Delete a routing rule; letters it already routed keep their assignment."""
    _require_manager(actor)
    rule = RoutingRule.objects.select_related("target_body").get(pk=rule.pk)
    _audit("mailbox.routing_rule.deleted", actor=actor, target=rule, data={
        "name": rule.name, "target_body": rule.target_body.slug})
    rule.delete()


@transaction.atomic
def create_open311_api_key(*, name: str, actor) -> tuple[Open311ApiKey, str]:
    """A new Open311 client key. The plaintext is returned once, here; only its SHA-256 digest
    and its first 8 characters (to recognise it in lists) are stored."""
    _require_manager(actor)
    name = rules.clean_line(name)
    plaintext = secrets.token_urlsafe(32)
    key = Open311ApiKey(name=name, key_digest=open311_api_key_digest(plaintext),
                        key_prefix=plaintext[:KEY_PREFIX_LENGTH], created_by=actor)
    _save(key)
    _audit("mailbox.open311_key.created", actor=actor, target=key,
           data={"name": name, "prefix": key.key_prefix})
    return key, plaintext


@transaction.atomic
def revoke_open311_api_key(*, key: Open311ApiKey, actor) -> Open311ApiKey:
    """Revoke a key: requests with it are refused from now on."""
    _require_manager(actor)
    key = Open311ApiKey.objects.select_for_update().get(pk=key.pk)
    if not key.is_active:
        raise MailboxRuleViolation({"__all__": [_("该密钥已停用。")]})
    key.is_active = False
    key.save(update_fields=["is_active"])
    _audit("mailbox.open311_key.revoked", actor=actor, target=key,
           data={"name": key.name, "prefix": key.key_prefix})
    return key
