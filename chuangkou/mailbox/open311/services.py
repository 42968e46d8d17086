"""The Open311 service list over the mailbox: one service per active letter kind and body a
letter can be written to, plus one per kind for "不确定" (the writer does not know the body; a
dispatcher assigns the letter).

Service codes: ``<kind.code>`` for "不确定", ``<kind.code>.<body.slug>`` for a body (neither
a kind code nor a body slug contains a dot, so the code splits unambiguously).

A kind that asks its writer to sign in (``LetterKind.required_identity``) is not offered: an
Open311 client posts for someone the portal has not identified.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from chuangkou.organizations.models import Body

from ..models import LetterKind, ReplyTimeLimit
from ..queries.letters import active_letter_kinds, addressable_bodies

__all__ = ["Service", "parse_service_code", "service_catalogue", "service_code_of",
           "service_for_code"]

UNSURE_GROUP = "不确定"


def service_code_of(kind: LetterKind, body: Body | None) -> str:
    return f"{kind.code}.{body.slug}" if body is not None else kind.code


def parse_service_code(code: str) -> tuple[str, str | None]:
    """(kind code, body slug or None) of a service code."""
    kind_code, _dot, slug = (code or "").strip().partition(".")
    return kind_code, slug or None


@dataclass(frozen=True)
class Service:
    """One Open311 service: a letter kind written to a body (or to "不确定")."""

    kind: LetterKind
    body: Body | None
    reply_working_days: int

    @property
    def code(self) -> str:
        return service_code_of(self.kind, self.body)

    @property
    def name(self) -> str:
        return f"{self.kind.name} · {self.body.name if self.body else _('不确定')}"

    @property
    def group(self) -> str:
        return self.body.short_name if self.body else UNSURE_GROUP

    @property
    def description(self) -> str:
        if self.body is None:
            text = _("%(kind)s（不确定写信对象，由分办员交有关单位办理），一般在%(days)d个工作日内答复。") % {
                "kind": self.kind.name, "days": self.reply_working_days}
        else:
            text = _("向%(body)s提出%(kind)s，一般在%(days)d个工作日内答复。") % {
                "body": self.body.name, "kind": self.kind.name, "days": self.reply_working_days}
        return f"{text}{self.kind.description}" if self.kind.description else text

    @property
    def keywords(self) -> str:
        words = [self.kind.name, self.kind.code]
        if self.body is not None:
            words += [self.body.short_name, self.body.name]
        else:
            words.append(UNSURE_GROUP)
        return ", ".join(dict.fromkeys(word for word in words if word))


def _open_kinds():
    return active_letter_kinds().filter(required_identity="")


def _limits() -> dict[tuple[int, int], int]:
    return {(kind_id, body_id): days for kind_id, body_id, days in
            ReplyTimeLimit.objects.values_list("kind_id", "body_id", "reply_working_days")}


def service_catalogue() -> list[Service]:
    """Every service, kind by kind ("不确定" first, then the bodies in tree order); three
    queries whatever the number of kinds and bodies."""
    kinds = list(_open_kinds())
    bodies = list(addressable_bodies())
    limits = _limits()
    services = []
    for kind in kinds:
        services.append(Service(kind=kind, body=None, reply_working_days=kind.reply_working_days))
        for body in bodies:
            services.append(Service(
                kind=kind, body=body,
                reply_working_days=limits.get((kind.pk, body.pk), kind.reply_working_days)))
    return services


def service_for_code(code: str) -> Service | None:
    """The active service with this code, or None."""
    kind_code, slug = parse_service_code(code)
    kind = _open_kinds().filter(code=kind_code).first() if kind_code else None
    if kind is None:
        return None
    body = None
    if slug is not None:
        body = addressable_bodies().filter(slug=slug).first()
        if body is None:
            return None
    days = kind.reply_working_days
    if body is not None:
        days = (ReplyTimeLimit.objects.filter(kind=kind, body=body)
                .values_list("reply_working_days", flat=True).first()) or days
    return Service(kind=kind, body=body, reply_working_days=days)
