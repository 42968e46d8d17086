"""The notifications the accounts domain sends, one module per part."""

from . import identity, registration, reminders, subscriptions  # noqa: F401
