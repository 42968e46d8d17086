"""Business-rule errors of the notifications app, each carrying ``{field: [messages]}``."""

from chuangkou.core.exceptions import RuleViolation

__all__ = ["DeliveryNotRetryable", "NotificationsRuleViolation", "TemplateRejected"]


class NotificationsRuleViolation(RuleViolation):
    """A notifications rule refused the change."""


class TemplateRejected(NotificationsRuleViolation):
    """Staff's wording of a notification (通知模板) cannot be used: bad syntax, an unknown
    variable, a channel the kind is not sent on."""


class DeliveryNotRetryable(NotificationsRuleViolation):
    """A delivery record cannot be sent again (already sent, a one-time code, a closed
    account)."""
