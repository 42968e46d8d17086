import pytest
from django.core.exceptions import ValidationError

from chuangkou.core.validators import (
    credit_code_check_character,
    is_valid_credit_code,
    is_valid_division_code,
    is_valid_site_identification_code,
    validate_credit_code,
    validate_site_identification_code,
)


@pytest.mark.parametrize(
    "code",
    [
        "11441700007280420Y",  # the example in 政府信息公开目录系统实施指引
        "91350100M000100Y43",  # a published enterprise code with a letter in the body
        "11100000000013127D",  # 国务院办公厅
    ],
)
def test_real_credit_codes_pass_the_gb32100_check(code):
    assert is_valid_credit_code(code)


def test_check_character_is_computed_with_the_gb32100_weights():
    assert credit_code_check_character("11441700007280420") == "Y"


@pytest.mark.parametrize(
    "code",
    ["11441700007280420X", "1144170000728042Y", "11441700007280420I", "", "11441700007280420y"],
)
def test_wrong_check_character_length_or_alphabet_fails(code):
    assert not is_valid_credit_code(code)


def test_credit_code_error_names_the_rule_and_the_expected_character():
    with pytest.raises(ValidationError) as error:
        validate_credit_code("11441700007280420X")
    message = error.value.messages[0]
    assert "校验位" in message and "GB 32100" in message and "Y" in message


@pytest.mark.parametrize("code", ["4403000052", "bm14000002", "1100000001"])
def test_valid_site_identification_codes(code):
    assert is_valid_site_identification_code(code)


@pytest.mark.parametrize("code", ["440300005", "BM14000002", "bm1400000", "9903000052", "44030000521"])
def test_invalid_site_identification_codes(code):
    assert not is_valid_site_identification_code(code)
    with pytest.raises(ValidationError):
        validate_site_identification_code(code)


@pytest.mark.parametrize("code,valid", [("330100", True), ("330102001", True),
                                        ("330102001001", True), ("3301", False), ("990100", False)])
def test_division_codes(code, valid):
    assert is_valid_division_code(code) is valid
