"""Wagtail hooks of the mailbox (admin, citizen accounts), one module per part."""
from .hooks import citizens, configuration, exchange, letters, menu, statistics  # noqa: F401
