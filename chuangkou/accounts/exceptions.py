"""Business-rule errors of the accounts app, each carrying ``{field: [messages]}``."""

from chuangkou.core.exceptions import RuleViolation


class AccountsRuleViolation(RuleViolation):
    """An accounts rule refused the change."""


class SignInRefused(AccountsRuleViolation):
    """Wrong identifier or password, or the identifier is locked out. The message is the same
    whether or not the account exists (enumeration-safe)."""


class CodeRejected(AccountsRuleViolation):
    """A one-time code is wrong, used, expired or tried too often."""


class CodeRateLimited(AccountsRuleViolation):
    """Too many codes were asked for one contact or from one address."""


class IdentityRefused(AccountsRuleViolation):
    """A real-name request or decision was refused."""


class EnterpriseRefused(AccountsRuleViolation):
    """An enterprise registration, verification, invitation or membership change was refused."""


class AccountClosed(AccountsRuleViolation):
    """The account is closed: nothing more can be done with it."""
