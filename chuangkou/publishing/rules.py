"""Pure rules of scheduled publication (定时发布) and expiry (定时下线)."""

from datetime import datetime

from django.utils.translation import gettext as _


def schedule_errors(
    *, go_live_at: datetime | None, expire_at: datetime | None, now: datetime,
    previous_go_live_at: datetime | None = None,
) -> dict[str, list[str]]:
    """Errors by field for a publication schedule.

    A new publication time must lie in the future (a time in the past would fake the
    publication date, which 国办秘函〔2019〕19号 counts as 严重表述错误 "虚假数据"); an unchanged
    past time (a page already live since then) is accepted. Expiry must come after publication
    and lie in the future.
    """
    errors: dict[str, list[str]] = {}
    if go_live_at is not None and go_live_at != previous_go_live_at and go_live_at < now:
        errors["go_live_at"] = [_("定时发布时间不能早于当前时间。")]
    if expire_at is not None:
        if expire_at <= now:
            errors.setdefault("expire_at", []).append(_("下线时间必须晚于当前时间。"))
        if go_live_at is not None and expire_at <= go_live_at:
            errors.setdefault("expire_at", []).append(_("下线时间必须晚于定时发布时间。"))
    return errors
