"""Read helpers for materialised-path trees (bodies and pages) used by the API querysets."""

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from treebeard.mp_tree import MP_Node


def parent_value(model: type[MP_Node], field: str) -> Subquery:
    """A subquery giving ``field`` of each row's parent, so listings need no query per row."""
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - model.steplen)
    return Subquery(model.objects.filter(path=parent_path).values(field)[:1])
