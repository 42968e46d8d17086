"""Who may use the notifications admin (系统管理员 through the role table)."""

__all__ = ["may_manage_templates", "may_retry_deliveries", "may_view_deliveries"]


def _has(user, permission: str) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active
                and user.has_perm(permission))


def may_manage_templates(user) -> bool:
    return _has(user, "notifications.manage_notification_templates")


def may_view_deliveries(user) -> bool:
    return _has(user, "notifications.view_delivery")


def may_retry_deliveries(user) -> bool:
    return may_view_deliveries(user) and _has(user, "notifications.retry_delivery")
