"""The demo catalogue, loaded through the catalogue import like any city's own file."""

import json

from ..catalogue_io import FORMAT_NAME, FORMAT_VERSION, ImportReport, import_catalogue
from ..exceptions import ServicesRuleViolation
from .catalogue_data import demo_items

__all__ = ["demo_catalogue_document", "load_catalogue_demo"]


def demo_catalogue_document() -> bytes:
    """The demo items as a catalogue JSON file (the exchange format)."""
    return json.dumps({"format": FORMAT_NAME, "version": FORMAT_VERSION,
                       "items": demo_items()}, ensure_ascii=False).encode("utf-8")


def load_catalogue_demo() -> ImportReport:
    report = import_catalogue(data=demo_catalogue_document(), format="json", actor=None,
                              max_bytes=50 * 1024 * 1024)
    if not report.ok:
        raise ServicesRuleViolation({"catalogue": report.errors})
    return report
