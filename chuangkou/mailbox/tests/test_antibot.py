"""The bot check without an image CAPTCHA: honeypot, signed timestamp, text question."""

import time

import pytest
from django.core import signing

from chuangkou.mailbox import antibot

TOKEN = "form-token-abc"


def issued(seconds_ago: float, **kwargs) -> antibot.Challenge:
    return antibot.issue_challenge(form_token=TOKEN, issued_at=time.time() - seconds_ago,
                                   **kwargs)


def check(challenge: antibot.Challenge, *, answer=None, honeypot="", form_token=TOKEN):
    return antibot.check_challenge(
        token=challenge.token, form_token=form_token, honeypot=honeypot,
        answer=str(challenge.answer) if answer is None else answer)


def test_a_form_filled_in_by_a_person_passes():
    assert check(issued(10)) == {}


def test_a_form_sent_back_within_three_seconds_is_refused_with_a_clear_message():
    errors = check(issued(1))
    assert list(errors) == [None]
    assert "不足3秒" in errors[None][0] and "表单填写时间" in errors[None][0]


def test_a_form_older_than_two_hours_is_refused_as_stale():
    errors = check(issued(2 * 3600 + 5))
    assert "超过2小时" in errors[None][0]
    assert check(issued(2 * 3600 - 5)) == {}


def test_the_honeypot_filled_in_is_refused_naming_the_field():
    errors = check(issued(10), honeypot="http://spam.example")
    assert "请勿填写" in errors[antibot.HONEYPOT_FIELD][0]


@pytest.mark.parametrize("answer", ["", "abc", "999"])
def test_a_missing_or_wrong_answer_is_refused_on_the_answer_field(answer):
    challenge = issued(10)
    errors = check(challenge, answer=answer if answer != "999" else str(challenge.answer + 1))
    assert list(errors) == [antibot.ANSWER_FIELD]


def test_full_width_digits_and_spaces_in_the_answer_are_accepted():
    challenge = issued(10)
    full_width = "".join(chr(ord("０") + int(digit)) for digit in str(challenge.answer))
    assert check(challenge, answer=f" {full_width} ") == {}
    assert check(challenge, answer=f"0{challenge.answer}") == {}


def test_the_question_is_plain_chinese_text_a_screen_reader_can_read():
    challenge = issued(10)
    assert challenge.question.endswith("等于几？")
    assert not any(character.isdigit() for character in challenge.question)
    assert 0 <= challenge.answer <= 18


def test_the_answer_is_not_readable_from_the_signed_token():
    challenge = issued(10)
    payload = signing.loads(challenge.token, salt=antibot.SIGNING_SALT)
    assert set(payload) == {"f", "s", "d"}
    assert str(challenge.answer) not in {str(value) for value in payload.values()}


def test_a_token_made_for_another_form_token_is_refused():
    errors = check(issued(10), form_token="another-form")
    assert "无效" in errors[None][0]


@pytest.mark.parametrize("token", ["", "garbage", "a:b:c"])
def test_a_tampered_or_missing_token_is_refused(token):
    errors = antibot.check_challenge(token=token, form_token=TOKEN, answer="3")
    assert "无效" in errors[None][0]


def test_a_forged_timestamp_breaks_the_signature():
    challenge = issued(1)
    payload = signing.loads(challenge.token, salt=antibot.SIGNING_SALT)
    payload["s"] -= 100
    forged = signing.dumps(payload, salt="another-salt")
    errors = antibot.check_challenge(token=forged, form_token=TOKEN,
                                     answer=str(challenge.answer))
    assert "无效" in errors[None][0]


def test_the_text_question_can_be_switched_off(settings):
    settings.MAILBOX_TEXT_QUESTION = False
    challenge = antibot.issue_challenge(form_token=TOKEN, issued_at=time.time() - 10)
    assert challenge.question is None and challenge.answer is None
    assert antibot.check_challenge(token=challenge.token, form_token=TOKEN) == {}
