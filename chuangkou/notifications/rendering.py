"""Rendering a kind's template (staff's version if there is an active one, else the default)."""

from __future__ import annotations

from django.template import Context, Engine, TemplateSyntaxError

from .kinds import NotificationKind
from .models import NotificationTemplate

__all__ = ["ENGINE", "check_template_syntax", "render_message"]

# Plain text: e-mail and SMS bodies are not HTML; in-site messages are escaped where shown.
ENGINE = Engine(autoescape=False, libraries={}, builtins=["django.template.defaulttags",
                                                          "django.template.defaultfilters"])


def check_template_syntax(source: str) -> str | None:
    """The template error in ``source`` as a message, or None."""
    try:
        ENGINE.from_string(source)
    except TemplateSyntaxError as error:
        return str(error)
    return None


def render_message(kind: NotificationKind, channel: str, context: dict,
                   template: NotificationTemplate | None = None) -> tuple[str, str]:
    """``(subject, body)`` of ``kind`` on ``channel``."""
    if template is not None and template.is_active:
        subject_source, body_source = template.subject, template.body
    else:
        subject_source, body_source = kind.default_subject(channel), kind.default_body(channel)
    ctx = Context(context, autoescape=False)
    subject = ENGINE.from_string(subject_source).render(ctx).strip().replace("\n", " ")
    body = ENGINE.from_string(body_source).render(ctx).strip()
    return subject[:200], body
