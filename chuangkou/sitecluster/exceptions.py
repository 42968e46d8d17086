from chuangkou.core.exceptions import RuleViolation


class SiteInvalid(RuleViolation):
    """A site's identity breaks a rule (identification code, duplicate hostname...)."""


class ColumnInvalid(RuleViolation):
    """A column cannot be created where or as asked."""


class ArticleInvalid(RuleViolation):
    """An article's fields break a rule."""


class SubmissionRefused(RuleViolation):
    """An information submission (信息报送) or its decision is not allowed."""
