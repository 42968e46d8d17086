"""Business-rule errors of the disclosure app, each carrying ``{field: [messages]}``."""

from django.core.exceptions import PermissionDenied

from chuangkou.core.exceptions import RuleViolation


class DisclosureRuleViolation(RuleViolation):
    """A disclosure rule refused the change."""


class DisclosurePublicationRefused(DisclosureRuleViolation, PermissionDenied):
    """A disclosure rule keeps a page off the site (a withheld document, a report failing its
    cross-check). Also a ``PermissionDenied`` so that a path that does not expect it (a
    workflow approval view, the scheduled-publishing command) answers 403 or stops, never
    publishes."""
