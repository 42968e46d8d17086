"""Errors of the search domain: each carries ``{field: [messages]}`` for forms and the API."""

from chuangkou.core.exceptions import RuleViolation

__all__ = ["BestBetInvalid", "GovernmentTermInvalid", "SearchRequestInvalid", "SynonymInvalid"]


class SynonymInvalid(RuleViolation):
    """A synonym group (同义词) was refused."""


class GovernmentTermInvalid(RuleViolation):
    """A government term (政务词语) was refused."""


class BestBetInvalid(RuleViolation):
    """A best bet (推荐结果) was refused."""


class SearchRequestInvalid(RuleViolation):
    """A search request's parameters were refused (API: 400)."""
