"""Helpers of the public-site tests: a complete write-form POST whose bot check a person
would pass (a token issued 10 seconds ago and the right answer), and the rate-limit counters."""

import itertools
import time

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache

from chuangkou.mailbox import antibot
from chuangkou.mailbox.models import LetterKind

WRITE = "/hudong/write/"
QUERY = "/hudong/query/"

_tokens = itertools.count(1)


def form_data(*, kind_code: str = "zixun", addressed_body=None, form_token: str | None = None,
              seconds_ago: float = 10, **overrides) -> dict:
    form_token = form_token or f"public-test-{next(_tokens)}-{time.time_ns()}"
    challenge = antibot.issue_challenge(form_token=form_token,
                                        issued_at=time.time() - seconds_ago)
    data = {
        "kind": str(LetterKind.objects.get(code=kind_code).pk),
        "addressed_body": str(getattr(addressed_body, "pk", addressed_body) or ""),
        "title": "和平路路灯不亮",
        "content": "和平路12号附近的三盏路灯已经一周不亮，夜间行人很不安全，请尽快修复。",
        "may_publish": "on",
        "name": "王小明",
        "phone": "13912345678",
        "email": "wang.xiaoming@example.com",
        "address": "示例市东城区和平路12号",
        "form_token": form_token,
        "bot_token": challenge.token,
        "bot_answer": "" if challenge.answer is None else str(challenge.answer),
        "homepage": "",
    }
    data.update(overrides)
    return data


def clear_rate_limits() -> None:
    """The counters live in the default cache, which outlives a test; a Redis cache is never
    flushed here, only the mailbox's own keys are dropped."""
    backend = caches["default"]
    if isinstance(backend, LocMemCache):
        backend.clear()
    else:
        backend.delete_pattern("mailbox-*-rate:*")
