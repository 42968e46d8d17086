"""Payment providers: the offline provider's instructions and confirmation, the registry."""

import pytest

from ..choices import ApplicationStatus, PaymentStatus
from ..exceptions import ServicesRuleViolation
from ..models import Payment
from ..payments import OfflinePaymentProvider, PaymentProvider, get_provider, provider_choices
from .factories import FEE, make_application, make_item

pytestmark = pytest.mark.django_db


def _payment(cluster):
    item = make_item(body=cluster.education, charges_fee=True)
    application = make_application(item=item, status=ApplicationStatus.APPROVED)
    return Payment(application=application, amount=FEE, provider="offline",
                   requested_at=application.submitted_at)


def test_offline_provider_is_the_default_and_a_provider():
    provider = get_provider()
    assert isinstance(provider, OfflinePaymentProvider)
    assert isinstance(provider, PaymentProvider)
    assert provider_choices() == [("offline", str(provider.label))]


def test_unknown_or_misconfigured_provider_is_a_rule_violation(settings):
    with pytest.raises(ServicesRuleViolation) as error:
        get_provider("wechat")
    assert "未配置" in error.value.errors["provider"][0]
    settings.SERVICES_PAYMENT_PROVIDERS = {"broken": "builtins.object"}
    with pytest.raises(ServicesRuleViolation) as error:
        get_provider("broken")
    assert "配置有误" in error.value.errors["provider"][0]


def test_instructions_name_amount_place_and_number(cluster):
    payment = _payment(cluster)
    text = OfflinePaymentProvider().instructions(payment)
    assert "20.00" in text and payment.application.number in text
    assert "政务服务中心" in text


def test_confirmation_needs_a_receipt_number(cluster):
    payment = _payment(cluster)
    payment.save()
    provider = OfflinePaymentProvider()
    with pytest.raises(ServicesRuleViolation):
        provider.confirm(payment, actor=None, reference="   ")
    with pytest.raises(ServicesRuleViolation):
        provider.confirm(payment, actor=None, reference="X" * 65)
    confirmed = provider.confirm(payment, actor=cluster.user("education", "service_handler"),
                                 reference=" No. 001 ")
    assert confirmed.status == PaymentStatus.CONFIRMED and confirmed.reference == "No. 001"
    assert confirmed.confirmed_at is not None
