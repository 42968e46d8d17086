"""Catalogue fixtures built through the actions, as the application does."""

import itertools
from datetime import date

from chuangkou.disclosure.actions.catalogue import register_disclosure_document
from chuangkou.disclosure.choices import (
    CategoryScheme,
    DisclosureAttribute,
    DisclosureMethod,
    Genre,
    ServiceAudience,
    Theme,
)
from chuangkou.disclosure.models import CatalogueCategory
from chuangkou.sitecluster.tests.factories import make_article

_sequence = itertools.count(1)


def statutory(code: str) -> CatalogueCategory:
    return CatalogueCategory.objects.get(scheme=CategoryScheme.STATUTORY, body=None, code=code)


def register(*, page, body, category=None, actor=None, **overrides):
    values = {
        "category": category or statutory("regulations"),
        "written_on": date(2026, 3, 2),
        "formed_on": date(2026, 3, 2),
        "document_number": "",
        "theme": Theme.SCIENCE_EDUCATION,
        "genre": Genre.NOTICE,
        "audience": ServiceAudience.PUBLIC,
        "attribute": DisclosureAttribute.PROACTIVE,
        "withheld_reason": "",
        "method": DisclosureMethod.WEBSITE,
        "summary": "",
    }
    values.update(overrides)
    return register_disclosure_document(page=page, body=body, actor=actor, **values)


def make_document(*, column, body, title=None, publish=True, **overrides):
    """A new article in ``column`` registered as a disclosure document of ``body``."""
    number = next(_sequence)
    article = make_article(column=column, title=title or f"示例市关于做好第{number}项工作的通知",
                           publish=publish)
    return register(page=article, body=body, **overrides)
