"""What a subscription can follow beyond columns, given by other apps through Wagtail hooks so
accounts imports none of them (the disclosure catalogue registers its 主题分类 and its records):

``subscription_topics``
    ``fn() -> list[tuple[str, str]]``: the topics (code, label) a citizen may subscribe to.
``subscription_pages``
    ``fn(*, body_id: int | None = None, topic: str = "") -> QuerySet | None``: a ``values("page_id")``
    query of the pages the app publishes for that body or topic, or None when it has none.
"""

from __future__ import annotations

from django.db.models import Q
from wagtail import hooks

__all__ = ["pages_of_body", "pages_of_topic", "topic_choices", "topic_label"]


def topic_choices() -> list[tuple[str, str]]:
    choices: list[tuple[str, str]] = []
    for provider in hooks.get_hooks("subscription_topics"):
        choices.extend((code, str(label)) for code, label in provider())
    return choices


def topic_label(code: str) -> str:
    return dict(topic_choices()).get(code, code)


def _pages(**criteria) -> Q:
    """``pk__in`` conditions over every app's pages for the criteria, OR-ed (an empty ``Q``
    matches nothing once combined with ``Q(pk__in=[])``)."""
    condition = Q(pk__in=[])
    for provider in hooks.get_hooks("subscription_pages"):
        page_ids = provider(**criteria)
        if page_ids is not None:
            condition |= Q(pk__in=page_ids)
    return condition


def pages_of_body(body_id: int) -> Q:
    return _pages(body_id=body_id)


def pages_of_topic(topic: str) -> Q:
    return _pages(topic=topic)
