"""Every state change of the core app's own data: the working-day overrides (工作日调整)."""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from .audit import json_safe, record_event
from .exceptions import WorkingDayOverrideInvalid, full_clean_or_raise
from .models import WorkingDayOverride


def _override_data(override: WorkingDayOverride) -> dict:
    return json_safe({"date": override.date, "is_working_day": override.is_working_day,
                      "name": override.name, "source": override.source})


@transaction.atomic
def set_working_day_override(
    *,
    day: date,
    is_working_day: bool,
    name: str,
    source: str,
    actor=None,
) -> WorkingDayOverride:
    """Set whether ``day`` is a working day as a State Council holiday notice says (放假 or
    调休上班), replacing what was set for that day before.

    ``source`` names the notice (国务院办公厅关于……年部分节假日安排的通知) so the deadline a
    citizen is given can be traced to it.
    """
    if isinstance(day, datetime) or not isinstance(day, date):
        raise WorkingDayOverrideInvalid({"date": [_("请输入日期。")]})
    override = WorkingDayOverride.objects.select_for_update().filter(date=day).first()
    before = _override_data(override) if override else None
    override = override or WorkingDayOverride(date=day)
    override.is_working_day = bool(is_working_day)
    override.name = name.strip()
    override.source = source.strip()
    full_clean_or_raise(override, WorkingDayOverrideInvalid)
    try:
        with transaction.atomic():
            override.save()
    except IntegrityError as error:
        # Another administrator entered the same day between our check and our insert.
        raise WorkingDayOverrideInvalid(
            {"date": [_("该日期刚刚已被设置，请刷新后重试。")]}) from error
    record_event("core.working_day.set", actor=actor, target=override,
                 data={"before": before, "after": _override_data(override)})
    return override


@transaction.atomic
def remove_working_day_override(*, override: WorkingDayOverride, actor=None) -> None:
    """Remove an override; the day falls back to chinesecalendar or Monday–Friday."""
    removed = WorkingDayOverride.objects.select_for_update().filter(pk=override.pk).first()
    if removed is None:
        return  # already removed by someone else: the outcome asked for holds
    record_event("core.working_day.removed", actor=actor, target=removed,
                 data={"before": _override_data(removed)})
    removed.delete()
