from chuangkou.core.exceptions import RuleViolation


class BodyInvalid(RuleViolation):
    """The body's data break a rule (credit code, division code, uniqueness...)."""


class MembershipInvalid(RuleViolation):
    """The membership cannot be granted (unknown role, duplicate...)."""
