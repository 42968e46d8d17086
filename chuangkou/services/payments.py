"""Fees (收费) behind a provider interface.

A provider says how the applicant pays (``instructions``) and how a payment becomes confirmed
(``confirm``). The one provider shipped records an offline payment — at the hall's window or
by bank transfer — that staff confirm with the receipt number (票据号). No online provider is
faked: a city that signs a contract with a payment channel adds its own class to
``settings.SERVICES_PAYMENT_PROVIDERS`` (key → dotted path).
"""

from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import PaymentStatus
from .exceptions import ServicesRuleViolation
from .models import Payment

__all__ = ["OfflinePaymentProvider", "PaymentProvider", "available_providers", "get_provider",
           "provider_choices"]

REFERENCE_MAX_LENGTH = Payment._meta.get_field("reference").max_length


@runtime_checkable
class PaymentProvider(Protocol):
    key: str
    label: str

    def instructions(self, payment: Payment) -> str:
        """What the applicant is told to do to pay ``payment``."""

    def confirm(self, payment: Payment, *, actor, reference: str) -> Payment:
        """Mark ``payment`` confirmed (the caller holds its row lock and saves nothing)."""


class OfflinePaymentProvider:
    """线下缴费: pay at the hall's window or by bank transfer; staff confirm with the receipt
    number (票据号) printed on the 非税收入一般缴款书 or bank slip."""

    key = "offline"
    label = gettext_lazy("线下缴费（窗口或银行转账）")

    def instructions(self, payment: Payment) -> str:
        item = payment.application.item
        place = item.place or _("实施机关办事窗口")
        return _("请缴纳 %(amount)s 元：可到%(place)s窗口缴费，或按收费标准所列账户银行转账"
                 "（附言填写办件编号 %(number)s）。缴费后请保留票据，工作人员核对票据号后确认。") % {
            "amount": payment.amount, "place": place, "number": payment.application.number}

    def confirm(self, payment: Payment, *, actor, reference: str) -> Payment:
        reference = " ".join((reference or "").split())
        if not reference:
            raise ServicesRuleViolation({"reference": [
                _("请填写票据号：线下缴费须凭缴款书或银行回单的票据号确认。")]})
        if len(reference) > REFERENCE_MAX_LENGTH:
            raise ServicesRuleViolation({"reference": [
                _("票据号不能超过%(n)d个字符。") % {"n": REFERENCE_MAX_LENGTH}]})
        payment.reference = reference
        payment.status = PaymentStatus.CONFIRMED
        payment.confirmed_at = timezone.now()
        payment.confirmed_by = actor if getattr(actor, "is_authenticated", False) else None
        payment.save()
        return payment


def available_providers() -> dict[str, str]:
    return dict(getattr(settings, "SERVICES_PAYMENT_PROVIDERS", {}) or {})


def get_provider(key: str | None = None) -> PaymentProvider:
    """The provider registered under ``key`` (default ``SERVICES_DEFAULT_PAYMENT_PROVIDER``);
    an unknown key is a rule violation, not a crash."""
    key = key or getattr(settings, "SERVICES_DEFAULT_PAYMENT_PROVIDER", "offline")
    path = available_providers().get(key)
    if not path:
        raise ServicesRuleViolation({"provider": [
            _("缴费方式“%(key)s”未配置。") % {"key": key}]})
    provider = import_string(path)()
    if not isinstance(provider, PaymentProvider):
        raise ServicesRuleViolation({"provider": [
            _("缴费方式“%(key)s”配置有误。") % {"key": key}]})
    return provider


def provider_choices() -> list[tuple[str, str]]:
    return [(key, str(get_provider(key).label)) for key in available_providers()]
