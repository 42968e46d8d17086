"""Admin registrations of the disclosure app, one module per part."""

from .hooks import applications, catalogue, menu, reports  # noqa: F401
