"""Wagtail hooks of the disclosure app (admin, citizen accounts), one module per part."""

from .hooks import applications, catalogue, citizens, menu, reports  # noqa: F401
