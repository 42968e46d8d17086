"""Mobile numbers and e-mail addresses as identifiers: normalising, validating, masking and the
blind index under which they are stored (``core.crypto``)."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from chuangkou.core.crypto import blind_index
from chuangkou.core.masking import mask_email, mask_phone

from .choices import ContactKind

__all__ = [
    "MOBILE_PATTERN",
    "classify_identifier",
    "contact_digest",
    "id_number_digest",
    "mask_contact",
    "mask_email",
    "normalise_contact",
    "validate_contact",
]

# Mainland mobile numbers (YD/T 2309-2011 numbering plan): 11 digits, 1 then 3–9.
MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


def normalise_contact(kind: str, value: str) -> str:
    value = unicodedata.normalize("NFKC", value or "").strip()
    if kind == ContactKind.MOBILE:
        value = re.sub(r"[\s-]", "", value)
        if value.startswith("+86"):
            value = value[3:]
        return value
    return value.lower()


def validate_contact(kind: str, value: str) -> str:
    """The normalised value, or ``ValidationError`` with a message naming the rule."""
    value = normalise_contact(kind, value)
    if kind == ContactKind.MOBILE:
        if not MOBILE_PATTERN.match(value):
            raise ValidationError(_("手机号码应为以1开头的11位数字。"), code="mobile")
        return value
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(_("请输入有效的电子邮箱地址，例如 name@example.cn。"),
                              code="email") from None
    return value


def classify_identifier(text: str) -> tuple[str, str]:
    """What a sign-in identifier is: ``(kind, normalised value)``. Anything with an ``@`` is an
    e-mail address, anything else a mobile number (validated by the caller if it matters)."""
    if "@" in (text or ""):
        return ContactKind.EMAIL, normalise_contact(ContactKind.EMAIL, text)
    return ContactKind.MOBILE, normalise_contact(ContactKind.MOBILE, text)


def contact_digest(kind: str, value: str) -> str:
    return blind_index(normalise_contact(kind, value), purpose=f"contact:{kind}")


def mask_contact(kind: str, value: str) -> str:
    return mask_phone(value) if kind == ContactKind.MOBILE else mask_email(value)


def id_number_digest(id_number: str) -> str:
    """Blind index of an 18-character resident ID number (check character ``x`` upper-cased)."""
    return blind_index(unicodedata.normalize("NFKC", id_number).strip().upper(),
                       purpose="id_number")
