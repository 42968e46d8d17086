"""Business-rule errors of the accounts app, each carrying ``{field: [messages]}``."""

from chuangkou.core.exceptions import RuleViolation


class AccountsRuleViolation(RuleViolation):
    """An accounts rule refused the change."""


class SignInRefused(AccountsRuleViolation):
    """Wrong identifier or password, or the identifier is locked out. The message is the same
    whether or not the account exists (enumeration-safe)."""


class IdentityProviderRefused(SignInRefused):
    """A rule refused a sign-in or link through the identity provider; ``reason`` says which
    (``closed``, ``real_name_conflict``, ``identity_conflict``, ``ambiguous``, ``invalid_claims``,
    ``busy``)
    so the page can answer with the right status."""

    def __init__(self, errors: dict[str, list[str]], *, reason: str):
        self.reason = reason
        super().__init__(errors)


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
