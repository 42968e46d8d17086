"""Which account an identity provider's claims sign in, link or create, without the provider:
the claims are what ``oidc.finish_authorization`` hands over after verifying the ID token."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory
from django.utils import timezone

from chuangkou.core.choices import AuditOutcome
from chuangkou.core.models import AuditEvent

from ..actions.oidc import (
    IdentityProviderRefused,
    link_identity_provider,
    read_provider_claims,
    record_identity_provider_failure,
    sign_in_from_identity_provider,
    unlink_external_identity,
)
from ..choices import AccountStatus, IdentityLevel, RealNameSource
from ..exceptions import AccountsRuleViolation
from ..models import CitizenAccount, ExternalIdentity, PersonalData
from .factories import make_citizen

pytestmark = pytest.mark.django_db

ISSUER = "https://tyrz.example.gov.cn/oidc"
ID_NUMBER = "440305199203154028"


def read(claims: dict):
    return read_provider_claims(claims, name_claim="name", id_number_claim="id_card_number")


def browser_request():
    request = RequestFactory().get("/yonghu/oidc/callback/")
    SessionMiddleware(lambda _request: None).process_request(request)
    request.user = AnonymousUser()
    return request


def sign_in(claims: dict, request=None) -> CitizenAccount:
    return sign_in_from_identity_provider(request=request or browser_request(), issuer=ISSUER,
                                          claims=claims)


def claims(subject: str = "u-1001", **extra) -> dict:
    return {"sub": subject, **extra}


def test_claims_keep_only_contacts_the_provider_verified():
    read_claims = read(claims(email="Liu.Yang@Example.cn", email_verified=True,
                              phone_number="13600002222", phone_number_verified=False))

    assert (read_claims.email, read_claims.mobile) == ("liu.yang@example.cn", "")


def test_claims_accept_an_international_mobile_and_verified_flags_sent_as_text():
    read_claims = read(claims(phone_number="+86 137-0000-1111", phone_number_verified="true"))

    assert read_claims.mobile == "13700001111"


def test_claims_drop_a_real_name_whose_id_number_fails_its_check_character():
    assert not read(claims(name="王建国", id_card_number="440305199203154029")).has_real_name
    assert not read(claims(id_card_number=ID_NUMBER)).has_real_name
    assert read(claims(name="王建国", id_card_number=ID_NUMBER.lower())).has_real_name


def test_claims_without_a_subject_are_refused():
    with pytest.raises(IdentityProviderRefused) as refused:
        read({"email": "a@example.cn", "email_verified": True})

    assert refused.value.reason == "invalid_claims"


def test_first_sign_in_creates_an_account_with_the_verified_contacts_and_signs_it_in():
    request = browser_request()

    account = sign_in(claims(email="liu.yang@example.cn", email_verified=True,
                             phone_number="13600002222", phone_number_verified=True), request)

    data = PersonalData.objects.get(account=account)
    assert (data.email, data.mobile) == ("liu.yang@example.cn", "13600002222")
    assert data.email_verified_at and data.mobile_verified_at
    assert account.identity_level == IdentityLevel.VERIFIED_CONTACT
    assert not account.user.has_usable_password()
    assert request.session[SESSION_KEY] == str(account.user_id)
    assert ExternalIdentity.objects.get(issuer=ISSUER, subject="u-1001").account == account


def test_an_account_without_verified_contacts_starts_unverified():
    account = sign_in(claims(email="liu.yang@example.cn", email_verified=False))

    assert account.identity_level == IdentityLevel.UNVERIFIED
    assert PersonalData.objects.get(account=account).email == ""


def test_known_subject_signs_in_its_account_whatever_the_contacts_say():
    owner = make_citizen()
    ExternalIdentity.objects.create(account=owner, issuer=ISSUER, subject="u-1001")
    make_citizen(email="liu.yang@example.cn")

    account = sign_in(claims(email="liu.yang@example.cn", email_verified=True))

    assert account == owner
    assert ExternalIdentity.objects.get().last_used_at is not None


def test_verified_mobile_matching_a_verified_account_links_it():
    existing = make_citizen(mobile="13600002222")

    account = sign_in(claims(phone_number="13600002222", phone_number_verified=True))

    assert account == existing
    assert CitizenAccount.objects.count() == 1
    event = AuditEvent.objects.get(action="accounts.oidc_sign_in")
    assert event.data["how"] == "linked" and "13600002222" not in str(event.data)


def test_a_contact_only_registered_but_never_verified_here_is_not_linked_nor_taken():
    unverified = make_citizen(email="liu.yang@example.cn", level=IdentityLevel.UNVERIFIED)

    account = sign_in(claims(email="liu.yang@example.cn", email_verified=True))

    assert account != unverified
    assert PersonalData.objects.get(account=account).email == ""
    assert PersonalData.objects.get(account=unverified).email == "liu.yang@example.cn"


def test_contacts_matching_two_accounts_are_refused():
    make_citizen(email="liu.yang@example.cn")
    make_citizen(mobile="13600002222")

    with pytest.raises(IdentityProviderRefused) as refused:
        sign_in(claims(email="liu.yang@example.cn", email_verified=True,
                       phone_number="13600002222", phone_number_verified=True))

    assert refused.value.reason == "ambiguous"
    assert not ExternalIdentity.objects.exists()


def test_an_account_linked_to_another_subject_is_not_linked_again_by_contact():
    existing = make_citizen(email="liu.yang@example.cn")
    ExternalIdentity.objects.create(account=existing, issuer=ISSUER, subject="u-0001")

    with pytest.raises(IdentityProviderRefused) as refused:
        sign_in(claims(email="liu.yang@example.cn", email_verified=True))

    assert refused.value.reason == "identity_conflict"


def test_a_closed_account_cannot_sign_in_through_its_link():
    closed = make_citizen(status=AccountStatus.CLOSED, closed_at=timezone.now())
    ExternalIdentity.objects.create(account=closed, issuer=ISSUER, subject="u-1001")
    request = browser_request()

    with pytest.raises(IdentityProviderRefused) as refused:
        sign_in(claims(), request)

    assert refused.value.reason == "closed"
    assert SESSION_KEY not in request.session


def test_trusted_real_name_raises_the_new_account_to_real_name(settings):
    settings.ACCOUNTS_OIDC_TRUST_REAL_NAME = True

    account = sign_in(claims(name="王建国", id_card_number=ID_NUMBER))

    assert account.identity_level == IdentityLevel.REAL_NAME
    data = PersonalData.objects.get(account=account)
    assert (data.real_name, data.id_number, data.real_name_source) == (
        "王建国", ID_NUMBER, RealNameSource.IDENTITY_PROVIDER)
    assert AuditEvent.objects.get(action="accounts.oidc_sign_in").data["real_name_confirmed"]


def test_number_verified_on_another_account_refuses_and_creates_nothing(settings):
    settings.ACCOUNTS_OIDC_TRUST_REAL_NAME = True
    make_citizen(level=IdentityLevel.REAL_NAME, id_number=ID_NUMBER)

    with pytest.raises(IdentityProviderRefused) as refused:
        sign_in(claims(name="王建国", id_card_number=ID_NUMBER))

    assert refused.value.reason == "real_name_conflict"
    assert CitizenAccount.objects.count() == 1 and not ExternalIdentity.objects.exists()


def test_an_account_verified_with_another_number_is_refused(settings):
    settings.ACCOUNTS_OIDC_TRUST_REAL_NAME = True
    verified = make_citizen(level=IdentityLevel.REAL_NAME, id_number="11010519491231002X")
    ExternalIdentity.objects.create(account=verified, issuer=ISSUER, subject="u-1001")

    with pytest.raises(IdentityProviderRefused) as refused:
        sign_in(claims(name="王建国", id_card_number=ID_NUMBER))

    assert refused.value.reason == "real_name_conflict"
    assert PersonalData.objects.get(account=verified).id_number == "11010519491231002X"


def test_the_same_verified_number_signs_in_without_confirming_again(settings):
    settings.ACCOUNTS_OIDC_TRUST_REAL_NAME = True
    verified = make_citizen(level=IdentityLevel.REAL_NAME, id_number=ID_NUMBER)
    ExternalIdentity.objects.create(account=verified, issuer=ISSUER, subject="u-1001")

    assert sign_in(claims(name="王建国", id_card_number=ID_NUMBER)) == verified
    assert PersonalData.objects.get(account=verified).real_name_source == RealNameSource.STAFF


def test_linking_a_signed_in_account_records_the_identity():
    citizen = make_citizen()

    link = link_identity_provider(account=citizen, issuer=ISSUER, claims=claims())

    assert (link.account, link.subject) == (citizen, "u-1001")
    assert AuditEvent.objects.filter(action="accounts.oidc_linked").exists()


def test_linking_an_identity_held_by_another_account_is_refused():
    ExternalIdentity.objects.create(account=make_citizen(), issuer=ISSUER, subject="u-1001")
    citizen = make_citizen()

    with pytest.raises(IdentityProviderRefused) as refused:
        link_identity_provider(account=citizen, issuer=ISSUER, claims=claims())

    assert refused.value.reason == "identity_conflict"
    assert not citizen.external_identities.exists()


def test_a_second_identity_at_the_same_provider_is_refused():
    citizen = make_citizen()
    ExternalIdentity.objects.create(account=citizen, issuer=ISSUER, subject="u-0001")

    with pytest.raises(IdentityProviderRefused):
        link_identity_provider(account=citizen, issuer=ISSUER, claims=claims())


def test_unlinking_the_only_way_into_a_passwordless_account_is_refused(settings):
    settings.ACCOUNTS_OIDC_ISSUER = ISSUER
    citizen = make_citizen()
    citizen.user.set_unusable_password()
    citizen.user.save()
    only = ExternalIdentity.objects.create(account=citizen, issuer=ISSUER, subject="u-1001")

    with pytest.raises(AccountsRuleViolation):
        unlink_external_identity(account=citizen, identity=only)

    assert ExternalIdentity.objects.filter(pk=only.pk).exists()


def test_a_passwordless_account_may_drop_a_link_to_a_provider_no_longer_used(settings):
    settings.ACCOUNTS_OIDC_ISSUER = ISSUER
    citizen = make_citizen()
    citizen.user.set_unusable_password()
    citizen.user.save()
    ExternalIdentity.objects.create(account=citizen, issuer=ISSUER, subject="u-1001")
    old = ExternalIdentity.objects.create(account=citizen, issuer="https://old.example/oidc",
                                          subject="u-1001")

    unlink_external_identity(account=citizen, identity=old)

    assert list(citizen.external_identities.values_list("issuer", flat=True)) == [ISSUER]


def test_another_accounts_link_is_never_unlinked():
    theirs = ExternalIdentity.objects.create(account=make_citizen(), issuer=ISSUER,
                                             subject="u-1001")

    with pytest.raises(AccountsRuleViolation):
        unlink_external_identity(account=make_citizen(), identity=theirs)

    assert ExternalIdentity.objects.filter(pk=theirs.pk).exists()


def test_a_failed_sign_in_is_audited_without_personal_data():
    record_identity_provider_failure(reason="invalid_token", issuer=ISSUER)

    event = AuditEvent.objects.get(action="accounts.oidc_sign_in_failed")
    assert event.outcome == AuditOutcome.FAILED
    assert event.data == {"issuer": ISSUER, "reason": "invalid_token"}
