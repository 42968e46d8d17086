"""Business-rule errors of the services app, each carrying ``{field: [messages]}``."""

from chuangkou.core.exceptions import RuleViolation


class ServicesRuleViolation(RuleViolation):
    """A services rule refused the change (an item in the wrong state, a missing reason)."""


class ApplicationRefused(ServicesRuleViolation):
    """A submission was refused before anything was saved (identity, form, uploads)."""


class BookingRefused(ServicesRuleViolation):
    """A booking could not be made (the slot is full, closed or already booked by them)."""
