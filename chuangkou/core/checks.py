"""System checks for rules with legal weight that a setting could break."""

from django.conf import settings
from django.core.checks import Error, register

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
