"""JSON and XML for Open311 responses.

The JSON is the spec's programmatic mapping of the XML (the "Spark convention"): a list in JSON is
an element named after the list holding one element per item (``<services><service>…``); a
``None`` is an empty element, ``True``/``False`` are ``true``/``false``. XML is built with
``xml.etree.ElementTree`` (which escapes text) and starts with the UTF-8 declaration the spec
requires.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from django.http import HttpResponse
from django.utils.cache import patch_cache_control

__all__ = ["FORMATS", "render"]

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# The element each item of a list is written as, by the list's element name.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
# Characters XML 1.0 cannot carry at all, even escaped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, Decimal | float | int):
        return str(value)
    return NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, list | tuple):
        item_name = ITEM_NAMES[element.tag]
        for item in value:
            _fill(ET.SubElement(element, item_name), item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), item)
    elif value is not None:
        element.text = _text(value)


def to_xml(root: str, data) -> bytes:
    element = ET.Element(root)
    _fill(element, data)
    return (XML_DECLARATION + ET.tostring(element, encoding="unicode")).encode("utf-8")


def to_json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")


def render(data, *, fmt: str, root: str, status: int = 200) -> HttpResponse:
    """``data`` as an HTTP response in ``fmt``; ``root`` names the XML root element."""
    body = to_xml(root, data) if fmt == "xml" else to_json(data)
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    # Letter statuses change without the page cache's generation clock moving: never stored by
    # the anonymous page cache or a shared proxy.
    patch_cache_control(response, private=True, no_cache=True, max_age=0)
    return response
