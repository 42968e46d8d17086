"""Business-rule errors raised by publishing actions."""

from django.core.exceptions import PermissionDenied

from chuangkou.core.exceptions import RuleViolation


class PublicationBlocked(RuleViolation, PermissionDenied):
    """Raised when blocking content-check findings stop a publication (涉密不上网).

    Also a ``PermissionDenied`` so that a path that does not expect it (a workflow approval
    view, the scheduled-publishing command) answers 403 or stops, never publishes."""


class LexiconEntryInvalid(RuleViolation):
    """A lexicon entry (敏感词) was refused: blank, too short, duplicate or malformed."""


class LexiconImportInvalid(RuleViolation):
    """An uploaded lexicon file was refused as a whole; ``errors["file"]`` lists each problem
    with its line number (all-or-nothing: nothing was imported)."""


class ExpressionRuleInvalid(RuleViolation):
    """An expression rule (严重表述错误/错别字) was refused, e.g. a regular expression that does
    not compile."""


class FindingOverrideRefused(RuleViolation):
    """An override (放行) of a content-check finding was refused: the user is not a
    confidentiality reviewer (保密审查员) of a body managing the page, the reason is too short, or
    the finding is not blocking or already overridden."""


class WorkflowInvalid(RuleViolation):
    """Raised when a review workflow or its assignment breaks a rule."""
