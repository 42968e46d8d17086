"""Reads of the links between citizen accounts and the government identity provider."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import CitizenAccount, ExternalIdentity

__all__ = ["external_identities_of", "external_identity_of"]


def external_identities_of(account: CitizenAccount) -> QuerySet[ExternalIdentity]:
    """The account's links (统一身份认证绑定), newest first."""
    return account.external_identities.order_by("-linked_at", "-pk")


def external_identity_of(account: CitizenAccount, identity_id: int) -> ExternalIdentity | None:
    """One of the account's own links; None for another account's (the page answers 404)."""
    return account.external_identities.filter(pk=identity_id).first()
