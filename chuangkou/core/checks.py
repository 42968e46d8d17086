"""System checks for rules with legal weight that a setting could break."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError
from django.utils import timezone

from .calendar import library_covers
from .models import WorkingDayOverride

#: 网络安全法 第二十一条: network logs are kept for no less than six months.
MINIMUM_AUDIT_RETENTION_DAYS = 180


@register()
def audit_retention_is_at_least_six_months(app_configs=None, **kwargs):
    days = getattr(settings, "AUDIT_RETENTION_DAYS", MINIMUM_AUDIT_RETENTION_DAYS)
    if not isinstance(days, int) or days < MINIMUM_AUDIT_RETENTION_DAYS:
        return [Error(
            f"AUDIT_RETENTION_DAYS is {days!r}; audit records must be kept at least "
            f"{MINIMUM_AUDIT_RETENTION_DAYS} days (six months).",
            hint="网络安全法 第二十一条 requires network logs to be kept for no less than six "
                 "months; set AUDIT_RETENTION_DAYS to 180 or more.",
            id="core.E001",
        )]
    return []


@register(Tags.security)
def personal_data_keys_are_configured(app_configs=None, **kwargs):
    """个人信息保护法 第五十一条 and GB/T 39786: personal data is encrypted at rest with keys
    that come from the environment in production, never generated next to the database."""
    from django.core.exceptions import ImproperlyConfigured

    from .crypto import key_ring

    try:
        key_ring()
    except ImproperlyConfigured as error:
        return [Error(str(error), hint="Set PERSONAL_DATA_KEYS (\"<id>:<32 hex digits>\", the "
                      "first one encrypts) and PERSONAL_DATA_INDEX_KEY (32 hex digits).",
                      id="core.E003")]
    return []


@register(Tags.database)
def next_years_holidays_are_known(app_configs=None, databases=None, **kwargs):
    """Warn while next year's holiday arrangement is unknown to the working-day calendar.

    国务院办公厅 publishes each year's holiday notice in the autumn before; until a release of
    chinesecalendar ships it, staff enter it as overrides. Without either, deadlines running into
    next year are counted Monday–Friday and ignore the Spring Festival.

    Tagged ``database`` because it reads the override table: it runs with ``migrate`` (every
    deployment) and ``check --database default``, not where no database may exist yet.
    """
    if not databases:
        return []
    year = timezone.localdate().year + 1
    if library_covers(year):
        return []
    try:
        entered = any(
            WorkingDayOverride.objects.using(alias).filter(date__year=year).exists()
            for alias in databases
        )
    except DatabaseError:
        return []  # before the first migrate there is no table to look in
    if entered:
        return []
    return [Warning(
        f"The working-day calendar does not know the holidays of {year}.",
        hint=f"Enter the days of 国务院办公厅关于{year}年部分节假日安排的通知 under Admin → "
             f"设置 → 工作日历 (放假 and 调休上班 days), or upgrade chinesecalendar to a "
             f"release that covers {year}. Until then statutory deadlines in {year} are "
             f"counted Monday to Friday.",
        id="core.W002",
    )]
