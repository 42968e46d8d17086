"""Business-rule errors of the mailbox app, each carrying ``{field: [messages]}``."""

from chuangkou.core.exceptions import RuleViolation


class MailboxRuleViolation(RuleViolation):
    """A mailbox rule refused the change (a letter in the wrong state, a missing reason)."""


class LetterSubmissionRefused(MailboxRuleViolation):
    """A submission was refused before anything was saved (bot check, attachment, size)."""
