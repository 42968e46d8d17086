"""Refusing the passwords Chinese users pick most often (常用弱口令).

Django's own ``CommonPasswordValidator`` knows English-speaking lists; the passwords that lead
Chinese leaks (pinyin phrases such as ``woaini1314``, dates and "520/1314" love numbers, QQ
and keyboard patterns) are listed in ``data/common_passwords_zh.txt`` (its header names the
sources). The check ignores case, full-width characters and surrounding spaces.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = ["DEFAULT_LIST", "CommonChinesePasswordValidator", "load_password_list"]

DEFAULT_LIST = Path(__file__).resolve().parent / "data" / "common_passwords_zh.txt"


def _normalise(password: str) -> str:
    return unicodedata.normalize("NFKC", password).strip().lower()


@cache
def load_password_list(path: str) -> frozenset[str]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return frozenset(_normalise(line) for line in lines
                     if line.strip() and not line.lstrip().startswith("#"))


class CommonChinesePasswordValidator:
    """A password on the list of passwords most common in Chinese leaks is refused."""

    def __init__(self, password_list_path: str | Path = DEFAULT_LIST):
        self.password_list_path = str(password_list_path)

    @property
    def passwords(self) -> frozenset[str]:
        return load_password_list(self.password_list_path)

    def validate(self, password: str, user=None) -> None:
        if _normalise(password or "") in self.passwords:
            raise ValidationError(
                _("该密码是最常见的泄露密码之一（如 woaini1314、1qaz2wsx3edc），很容易被猜中，"
                  "请换一个。"),
                code="password_too_common_zh")

    def get_help_text(self) -> str:
        return _("不能使用常见的弱密码，如 woaini1314、1qaz2wsx3edc、qq123456789。")
