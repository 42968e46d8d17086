"""The common-password check for Chinese users: the passwords leading Chinese leaks are refused
whatever their case or width, the list is a few hundred entries with its source named, and it
runs with Django's own validators."""

import pytest
from django.contrib.auth.password_validation import (
    get_default_password_validators,
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError

from ..password_validation import DEFAULT_LIST, CommonChinesePasswordValidator


@pytest.mark.parametrize("password", ["woaini1314", "1qaz2wsx3edc", "WoAiNi5201314",
                                      "ｑｑ１２３４５６７８９", " iloveyou1314 ", "zhang123456789"])
def test_passwords_common_in_chinese_leaks_are_refused(password):
    with pytest.raises(ValidationError) as refused:
        CommonChinesePasswordValidator().validate(password)
    assert refused.value.error_list[0].code == "password_too_common_zh"
    assert "最常见的泄露密码" in refused.value.messages[0]


@pytest.mark.parametrize("password", ["Qingdao-Shimin-2026", "haidian-jiedao-7f3k", "woaini1314!x#Q"])
def test_uncommon_passwords_pass(password):
    assert CommonChinesePasswordValidator().validate(password) is None


def test_the_list_has_a_few_hundred_entries_and_names_its_sources():
    text = DEFAULT_LIST.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    entries = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert 300 <= len(entries) <= 2000 and len(set(entries)) == len(entries)
    assert any("Source" in line for line in header) and any("CSDN" in line for line in header)
    assert {"123456", "5201314", "woaini1314", "qq123456", "1qaz2wsx"} <= set(entries)


def test_another_list_can_be_configured(tmp_path):
    custom = tmp_path / "list.txt"
    custom.write_text("# local list\nShimin-Zhuye-2026\n", encoding="utf-8")
    validator = CommonChinesePasswordValidator(password_list_path=custom)
    with pytest.raises(ValidationError):
        validator.validate("shimin-zhuye-2026")
    validator.validate("woaini1314")


def test_the_check_runs_with_the_configured_validators():
    assert any(isinstance(validator, CommonChinesePasswordValidator)
               for validator in get_default_password_validators())
    with pytest.raises(ValidationError) as refused:
        validate_password("woaini5201314")
    assert any("泄露密码" in message for message in refused.value.messages)
    assert any("woaini1314" in text for text in password_validators_help_texts())
