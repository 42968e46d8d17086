"""Validators for the identifiers Chinese government bodies and websites carry.

Each is a pure function (``is_valid_*``) plus a Django validator raising a message that
names the rule, so forms, serializers and actions all give the same answer.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# GB 32100-2015 统一社会信用代码: the 31-character alphabet and the weights of the check character.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_PATTERN = re.compile(rf"^[{CREDIT_CODE_ALPHABET}]{{18}}$")

# 网站标识码 (政府网站发展指引): local sites use the 6-digit division code plus a 4-digit
# sequence; central departments use "bm" plus 8 digits.
SITE_IDENTIFICATION_CODE_PATTERN = re.compile(r"^(\d{10}|bm\d{8})$")

# 行政区划代码 (GB/T 2260): 6 digits down to county level; the statistical division code
# extends it to 9 digits for streets/towns and 12 for communities/villages.
DIVISION_CODE_PATTERN = re.compile(r"^(\d{6}|\d{9}|\d{12})$")
# Province-level prefixes in GB/T 2260 (11 Beijing ... 65 Xinjiang, 71 Taiwan, 81/82 HK/Macao).
PROVINCE_PREFIXES = frozenset(
    {
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36",
        "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
        "63", "64", "65", "71", "81", "82",
    }
)


def credit_code_check_character(first_seventeen: str) -> str:
    """Return the GB 32100-2015 check character for the first 17 characters of a code.

    Check = 31 - (sum of value x weight mod 31), where 31 maps back to 0 (GB 32100-2015, 5.2).
    """
    total = sum(
        CREDIT_CODE_ALPHABET.index(character) * weight
        for character, weight in zip(first_seventeen, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    """True if ``code`` is an 18-character 统一社会信用代码 with a correct check character."""
    if not CREDIT_CODE_PATTERN.match(code or ""):
        return False
    return credit_code_check_character(code[:17]) == code[17]


def is_valid_division_code(code: str) -> bool:
    """True if ``code`` looks like a 行政区划代码 (6, 9 or 12 digits, a real province prefix)."""
    return bool(DIVISION_CODE_PATTERN.match(code or "")) and code[:2] in PROVINCE_PREFIXES


def is_valid_site_identification_code(code: str) -> bool:
    """True if ``code`` is a 网站标识码: division code + 4 digits, or "bm" + 8 digits."""
    if not SITE_IDENTIFICATION_CODE_PATTERN.match(code or ""):
        return False
    return code.startswith("bm") or code[:2] in PROVINCE_PREFIXES


def validate_credit_code(value: str) -> None:
    if not CREDIT_CODE_PATTERN.match(value or ""):
        raise ValidationError(
            _("统一社会信用代码应为18位，只能由数字和除 I、O、Z、S、V 以外的大写字母组成（GB 32100-2015）。"),
            code="credit_code_format",
        )
    if not is_valid_credit_code(value):
        raise ValidationError(
            _("统一社会信用代码校验位不正确（GB 32100-2015）：第18位应为 %(expected)s。"),
            code="credit_code_check",
            params={"expected": credit_code_check_character(value[:17])},
        )


def validate_division_code(value: str) -> None:
    if not is_valid_division_code(value):
        raise ValidationError(
            _("行政区划代码应为6位（县级以上）、9位（乡镇街道）或12位（村居）数字，且以有效的省级代码开头（GB/T 2260）。"),
            code="division_code",
        )


def validate_site_identification_code(value: str) -> None:
    if not is_valid_site_identification_code(value):
        raise ValidationError(
            _("网站标识码应为10位数字（6位行政区划代码加4位顺序号）或 bm 加8位数字（国办发〔2017〕47号）。"),
            code="site_identification_code",
        )


# GB 11643-1999 公民身份号码: 17 digits and a check character (ISO 7064 MOD 11-2).
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK_CHARACTERS = "10X98765432"
RESIDENT_ID_PATTERN = re.compile(r"\d{17}[\dX]")


def resident_id_check_character(first_seventeen: str) -> str:
    """The 18th character of a 公民身份号码 (GB 11643-1999 第5.2条)."""
    total = sum(int(digit) * weight
                for digit, weight in zip(first_seventeen, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK_CHARACTERS[total % 11]


def resident_id_problem(number: str) -> str | None:
    """Why ``number`` is not a valid 18-character resident ID number, or None."""
    if not RESIDENT_ID_PATTERN.fullmatch(number):
        return str(_("居民身份证号码应为18位，前17位为数字，最后一位为数字或X。"))
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return str(_("居民身份证号码中的出生日期不存在。"))
    if born > timezone.localdate():
        return str(_("居民身份证号码中的出生日期晚于今天。"))
    if resident_id_check_character(number[:17]) != number[17]:
        return str(_("居民身份证号码校验位不正确（GB 11643），请核对。"))
    return None
