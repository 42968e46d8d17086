"""Turn refused business rules into the same 400 answer DRF gives for invalid input."""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from chuangkou.core.exceptions import RuleViolation


def rule_violation_detail(error: RuleViolation) -> dict[str, list[str]]:
    """The refusal's per-field messages, keyed the way serializer errors are."""
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
        for field, messages in error.errors.items()
    }


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: a refused action is the client's mistake (400)."""
    if isinstance(exc, RuleViolation):
        exc = ValidationError(rule_violation_detail(exc))
    return drf_exception_handler(exc, context)
