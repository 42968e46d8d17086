"""Publishing models: review tasks, content-check lexicon and findings, fingerprints."""

from .checks import ContentCheckRun, ContentFinding, ExpressionRule, LexiconEntry
from .fingerprints import PublicationFingerprint
from .workflow import RoleReviewTask

__all__ = [
    "ContentCheckRun",
    "ContentFinding",
    "ExpressionRule",
    "LexiconEntry",
    "PublicationFingerprint",
    "RoleReviewTask",
]
