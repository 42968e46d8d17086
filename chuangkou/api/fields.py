"""Input fields shared by every app's API: an unknown id is always a 400 or 404, never a 500.

SQLite raises ``OverflowError`` for integers beyond 64 bits instead of finding nothing, so ids
are bounded before they reach the database.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django_filters import fields as filter_fields
from django_filters import rest_framework as filters
from rest_framework import serializers

# Numeric ids in URLs: longer ones cannot exist and would overflow SQLite's integers.
ID_LOOKUP_REGEX = r"[0-9]{1,18}"


class PrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    def to_internal_value(self, data: Any) -> Model:
        try:
            return super().to_internal_value(data)
        except OverflowError:
            self.fail("does_not_exist", pk_value=data)


class ModelChoiceField(filter_fields.ModelChoiceField):
    def to_python(self, value: Any) -> Model | None:
        try:
            return super().to_python(value)
        except OverflowError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class ModelChoiceFilter(filters.ModelChoiceFilter):
    field_class = ModelChoiceField


class IntegerFilter(filters.NumberFilter):
    """A whole number; ``NumberFilter`` would take 2026.5 and hand a Decimal to the query."""

    field_class = forms.IntegerField
