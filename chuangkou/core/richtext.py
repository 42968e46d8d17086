"""Cleaning of staff rich text that reaches the database without the editor (imports, the API,
actions): Wagtail's whitelisting engine with rules for the stored format, so page and document
references survive while scripts, event handlers and ``javascript:`` links do not."""

import re

from wagtail.whitelist import (
    DEFAULT_ELEMENT_RULES,
    Whitelister,
    allow_without_attributes,
    attribute_rule,
    check_url,
)

_DIGITS = re.compile(r"^\d{1,12}$")
# Elements removed together with their content: their text is code, not prose.
_DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "template", "noscript",
                                   "svg", "math"})


def _one_of(*allowed: str):
    return lambda value: value if value in allowed else None


def _identifier(value: str):
    return value if _DIGITS.match(value or "") else None


STORED_ELEMENT_RULES = {
    **DEFAULT_ELEMENT_RULES,
    "a": attribute_rule({"href": check_url, "linktype": _one_of("page", "document"),
                         "id": _identifier}),
    "embed": attribute_rule({"embedtype": _one_of("image", "media"), "id": _identifier,
                             "format": _one_of("fullwidth", "left", "right"), "alt": True,
                             "url": check_url}),
    "blockquote": allow_without_attributes,
    "img": attribute_rule({"src": check_url, "alt": True}),
}


class StoredRichTextWhitelister(Whitelister):
    element_rules = STORED_ELEMENT_RULES

    def clean_tag_node(self, doc, tag):
        if tag.name in _DROPPED_WITH_CONTENT:
            tag.decompose()
            return
        super().clean_tag_node(doc, tag)


def clean_rich_text(html: str) -> str:
    """The stored rich text with everything that could run removed."""
    return StoredRichTextWhitelister().clean(html or "")
