"""Masking personal data for display (脱敏): what staff lists and citizens' own pages show of a
name or a phone number when the whole value is not needed."""

__all__ = ["COMPOUND_SURNAMES", "MASK", "mask_email", "mask_name", "mask_phone", "surname_length"]

MASK = "*"
COMPOUND_SURNAMES = frozenset((
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "夏侯", "轩辕",
    "令狐", "宇文", "司徒", "司空", "端木", "独孤", "南宫", "西门", "呼延", "澹台", "万俟", "钟离",
))


def surname_length(name: str) -> int:
    return 2 if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES else 1


def mask_name(name: str) -> str:
    """The surname followed by one ``*`` per remaining character ("王小明" → "王**",
    "欧阳明华" → "欧阳**")."""
    keep = surname_length(name)
    return name[:keep] + MASK * (len(name) - keep)


def mask_phone(phone: str) -> str:
    """13912345678 → 139****5678: the first three and last four digits; short numbers are
    masked whole."""
    phone = phone.strip()
    if len(phone) <= 7:
        return MASK * len(phone)
    return phone[:3] + MASK * (len(phone) - 7) + phone[-4:]


def mask_email(email: str) -> str:
    """zhang.san@example.cn → z***@example.cn: the first letter and the domain."""
    local, _at, domain = email.partition("@")
    if not domain:
        return MASK * 3
    return local[:1] + MASK * 3 + "@" + domain
