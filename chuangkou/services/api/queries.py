"""Reads of the back-office API: a system's applications, fetched with what the serializers
show so that no listing makes a query per row."""

from django.db.models import Prefetch, Q, QuerySet

from ..models import (
    ApplicationEvent,
    BackOfficeSystem,
    ProxyHop,
    ServiceApplication,
)

__all__ = ["system_application", "system_applications"]


def system_applications(system: BackOfficeSystem) -> QuerySet[ServiceApplication]:
    """The system body's applications (now at it, or implemented by it), newest first."""
    return (ServiceApplication.objects
            .filter(Q(current_body_id=system.body_id) | Q(item__implementing_body_id=system.body_id))
            .select_related("item__implementing_body", "current_body")
            .order_by("-submitted_at", "-pk"))


def system_application(system: BackOfficeSystem, number: str) -> ServiceApplication | None:
    """One of the system's applications with everything its detail shows, or None (another
    body's number looks exactly like an unknown one)."""
    return (system_applications(system)
            .select_related("applicant", "submitting_body")
            .prefetch_related(
                "item__form_fields", "item__steps", "uploads__material", "payments",
                Prefetch("events", queryset=ApplicationEvent.objects.select_related(
                    "body", "step", "actor")),
                Prefetch("hops", queryset=ProxyHop.objects.select_related("body")))
            .filter(number=number).first())
