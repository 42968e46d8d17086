"""Rendering a kind's wording (staff's template if there is an active one, else the default),
and checking staff's wording before it is saved: syntax, unknown variables, and for one-time
codes that the code is still in the message."""

from __future__ import annotations

import logging
import re

from django.template import Context, Engine, TemplateSyntaxError
from django.utils.translation import gettext as _

from .choices import Channel
from .kinds import NotificationKind
from .models import NotificationTemplate

__all__ = [
    "ENGINE",
    "SMS_MAX_CHARS",
    "check_template_syntax",
    "preview_message",
    "render_message",
    "sample_context",
    "template_problems",
]

logger = logging.getLogger("chuangkou.notifications")

BUILTINS = ["django.template.defaulttags", "django.template.defaultfilters"]
# Plain text: e-mail and SMS bodies are not HTML; in-site messages are escaped where shown.
ENGINE = Engine(autoescape=False, libraries={}, builtins=BUILTINS)
# The same, marking every variable the context does not have, to name it in the editor.
UNKNOWN = "\x00unknown:%s\x00"
CHECKING_ENGINE = Engine(autoescape=False, libraries={}, builtins=BUILTINS,
                         string_if_invalid=UNKNOWN)
UNKNOWN_PATTERN = re.compile("\x00unknown:(.*?)\x00")

SUBJECT_MAX_CHARS = 200
# A long SMS is split by the carrier into 67-character parts and billed per part; a template
# longer than this is almost certainly an e-mail text pasted into the wrong box.
SMS_MAX_CHARS = 300
URL_SAMPLE = "/yonghu/"


def check_template_syntax(source: str) -> str | None:
    """The template error in ``source`` as a message, or None."""
    try:
        ENGINE.from_string(source)
    except TemplateSyntaxError as error:
        return str(error)
    return None


def _render(engine: Engine, source: str, context: dict) -> str:
    return engine.from_string(source).render(Context(context, autoescape=False))


def render_message(kind: NotificationKind, channel: str, context: dict,
                   template: NotificationTemplate | None = None) -> tuple[str, str]:
    """``(subject, body)`` of ``kind`` on ``channel``. Staff's wording that fails to render
    (it passed the editor's checks, but a sender passed something unexpected) falls back to the
    default wording rather than fail the caller's action."""
    if template is not None and template.is_active:
        try:
            return _finish(_render(ENGINE, template.subject, context),
                           _render(ENGINE, template.body, context))
        except Exception:
            logger.exception("notification template %s/%s failed; default wording used",
                             kind.code, channel)
    return _finish(_render(ENGINE, kind.default_subject(channel), context),
                   _render(ENGINE, kind.default_body(channel), context))


def _finish(subject: str, body: str) -> tuple[str, str]:
    return subject.strip().replace("\n", " ")[:SUBJECT_MAX_CHARS], body.strip()


def sample_context(kind: NotificationKind) -> dict[str, str]:
    """Stand-in values for the preview: each documented variable shows as 〔its description〕."""
    return {"url": URL_SAMPLE, **{name: f"〔{description}〕"
                                  for name, description in kind.variables.items()}}


def preview_message(kind: NotificationKind, channel: str, *, subject: str,
                    body: str) -> tuple[str, str]:
    """``(subject, body)`` of staff's draft wording rendered with the sample values."""
    context = sample_context(kind)
    return _finish(_render(ENGINE, subject, context), _render(ENGINE, body, context))


def _unknown_names(source: str, context: dict) -> list[str]:
    rendered = _render(CHECKING_ENGINE, source, context)
    return sorted(set(UNKNOWN_PATTERN.findall(rendered)))


def template_problems(kind: NotificationKind, channel: str, *, subject: str,
                      body: str) -> dict[str, list[str]]:
    """What is wrong with staff's wording of ``kind`` on ``channel``, per field (empty if
    nothing): template syntax, a variable the sending code does not pass, a length the channel
    cannot carry, a one-time code left out."""
    problems: dict[str, list[str]] = {}
    context = sample_context(kind)
    known = ", ".join(f"{{{{ {name} }}}}" for name in context)
    for field, source in (("subject", subject), ("body", body)):
        if error := check_template_syntax(source):
            problems.setdefault(field, []).append(_("模板语法错误：%(error)s") % {"error": error})
            continue
        try:
            unknown = _unknown_names(source, context)
        except Exception as error:  # e.g. a filter given an argument it cannot use
            problems.setdefault(field, []).append(
                _("模板无法生成内容：%(error)s") % {"error": error})
            continue
        if unknown:
            problems.setdefault(field, []).append(
                _("模板中使用了该通知不提供的变量：%(names)s。可用变量：%(known)s。")
                % {"names": "、".join(unknown), "known": known})
    if problems:
        return problems
    if channel == Channel.SMS and len(body) > SMS_MAX_CHARS:
        problems["body"] = [_("短信正文不能超过%(limit)d个字符（现有%(count)d个）。")
                            % {"limit": SMS_MAX_CHARS, "count": len(body)}]
    if channel != Channel.SMS and not subject.strip():
        problems["subject"] = [_("请填写标题。")]
    if len(subject) > SUBJECT_MAX_CHARS:
        problems["subject"] = [_("标题不能超过%(limit)d个字符。") % {"limit": SUBJECT_MAX_CHARS}]
    if not body.strip():
        problems["body"] = [_("请填写正文。")]
    elif kind.sensitive:
        default = _render(ENGINE, kind.default_body(channel), context)
        draft = _render(ENGINE, body, context)
        missing = [f"{{{{ {name} }}}}" for name, value in context.items()
                   if name != "url" and value in default and value not in draft]
        if missing:
            problems["body"] = [_("该通知用于发送验证码，正文必须包含%(names)s。")
                                % {"names": "、".join(missing)}]
    return problems
