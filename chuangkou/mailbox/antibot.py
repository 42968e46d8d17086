"""The mailbox's bot check, without an image CAPTCHA (elderly and screen-reader users must be
able to write, GB/T 37668-2019 and the 适老化 rules).

Three layers, each answerable by a person with any assistive technology:

- a honeypot field that people never see or reach (off-screen, ``aria-hidden``, out of the tab
  order, labelled "请勿填写"): bots that fill every input fill it;
- a signed timestamp: a form sent back less than ``MIN_SECONDS`` after it was served is refused
  (a person cannot read and write a letter that fast), and one older than ``MAX_AGE_SECONDS`` is
  refused as stale;
- a simple arithmetic question in plain text ("三加四等于几？"), whose answer travels only as a
  keyed digest; ``settings.MAILBOX_TEXT_QUESTION`` (default on) switches it off.

The signed token binds the form token, so a solved token cannot be replayed for another letter
(a repeated form token creates no new letter anyway). Nothing is kept on the server.
"""

import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

__all__ = [
    "ANSWER_FIELD",
    "HONEYPOT_FIELD",
    "MAX_AGE_SECONDS",
    "MIN_SECONDS",
    "TOKEN_FIELD",
    "Challenge",
    "check_challenge",
    "issue_challenge",
    "text_question_enabled",
]

MIN_SECONDS = 3
MAX_AGE_SECONDS = 2 * 60 * 60
HONEYPOT_FIELD = "homepage"
TOKEN_FIELD = "bot_token"  # noqa: S105 (a form field name, not a secret)
ANSWER_FIELD = "bot_answer"
SIGNING_SALT = "chuangkou.mailbox.antibot"
DIGEST_SALT = "chuangkou.mailbox.antibot.answer"
DIGITS = "零一二三四五六七八九十"


@dataclass(frozen=True)
class Challenge:
    """What one rendering of the form carries: the signed token, and the question with its
    answer (the answer is for tests; the page shows only the question)."""

    token: str
    question: str | None
    answer: int | None


def text_question_enabled() -> bool:
    return bool(getattr(settings, "MAILBOX_TEXT_QUESTION", True))


def _digest(form_token: str, answer: int | str) -> str:
    return salted_hmac(DIGEST_SALT, f"{form_token}:{answer}").hexdigest()


def _question(rng: secrets.SystemRandom) -> tuple[str, int]:
    first, second = rng.randint(1, 9), rng.randint(1, 9)
    if rng.random() < 0.5 or first == second:
        return _("%(a)s加%(b)s等于几？") % {"a": DIGITS[first], "b": DIGITS[second]}, first + second
    high, low = max(first, second), min(first, second)
    return _("%(a)s减%(b)s等于几？") % {"a": DIGITS[high], "b": DIGITS[low]}, high - low


def issue_challenge(*, form_token: str, issued_at: float | None = None,
                    with_question: bool | None = None) -> Challenge:
    """A new token for one rendering of the form; ``issued_at`` (Unix seconds) lets tests
    make a token that was served some seconds ago."""
    if with_question is None:
        with_question = text_question_enabled()
    payload: dict = {"f": form_token,
                     "s": int(time.time() if issued_at is None else issued_at)}
    question = answer = None
    if with_question:
        question, answer = _question(secrets.SystemRandom())
        payload["d"] = _digest(form_token, answer)
    return Challenge(token=signing.dumps(payload, salt=SIGNING_SALT, compress=True),
                     question=question, answer=answer)


def _normalised_answer(answer: str) -> str:
    """Full-width digits (from a Chinese input method) count as digits; spaces are ignored."""
    answer = "".join(answer.split()).translate({ord("０") + i: ord("0") + i for i in range(10)})
    if answer.isascii() and answer.isdigit() and len(answer) <= 4:
        return str(int(answer))
    return answer


def check_challenge(*, token: str, form_token: str, honeypot: str = "", answer: str = "",
                    now: float | None = None) -> dict[str, list[str]]:
    """Why the submission looks automated, as ``{field: [messages]}`` (``None`` for the whole
    form); empty when it passes. Every message says which part of the form it concerns."""
    errors: dict[str | None, list[str]] = {}
    if honeypot.strip():
        errors[HONEYPOT_FIELD] = [_(
            "“请勿填写”一栏必须留空。如果您使用了自动填表工具，请清空该栏后重新提交。")]
    try:
        payload = signing.loads(token or "", salt=SIGNING_SALT)
    except signing.BadSignature:
        payload = None
    if not isinstance(payload, dict) or payload.get("f") != form_token or not isinstance(
            payload.get("s"), int):
        errors[None] = [_("表单校验信息无效或已损坏，请使用本页重新显示的表单再提交一次。")]
        return errors
    elapsed = (time.time() if now is None else now) - payload["s"]
    if elapsed < MIN_SECONDS:
        errors[None] = [_(
            "表单填写时间：从打开页面到提交不足%(seconds)d秒，系统无法确认是本人填写。"
            "请核对内容后再次提交。") % {"seconds": MIN_SECONDS}]
    elif elapsed > MAX_AGE_SECONDS:
        errors[None] = [_(
            "表单填写时间：页面打开已超过%(hours)d小时，为安全起见已失效。"
            "您填写的内容已保留，请再次提交。") % {"hours": MAX_AGE_SECONDS // 3600}]
    digest = payload.get("d")
    if digest is not None:
        given = _normalised_answer(answer)
        if not given:
            errors[ANSWER_FIELD] = [_("请填写答案（用阿拉伯数字）。")]
        elif not (given.isascii() and given.isdigit() and constant_time_compare(digest, _digest(form_token, given))):
            errors[ANSWER_FIELD] = [_("答案不正确。题目已更换，请计算新的题目并用阿拉伯数字作答。")]
    return errors
