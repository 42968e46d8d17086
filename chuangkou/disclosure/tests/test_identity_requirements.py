"""The online application form may ask for an identity level
(``DISCLOSURE_APPLICATION_REQUIRED_IDENTITY``): by default anyone applies without an account; set
to real-name, visitors go to the citizen sign-in, citizens below the level get the page naming
it, and the action refuses too."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from chuangkou.accounts.choices import IdentityLevel
from chuangkou.accounts.tests.factories import make_citizen
from chuangkou.disclosure import actions
from chuangkou.disclosure.exceptions import DisclosureRuleViolation
from chuangkou.disclosure.models import DisclosureApplication
from chuangkou.disclosure.queries import required_application_identity
from chuangkou.organizations.choices import Role

from .factories_applications import applicant_input, form_data, information_request

APPLY = "/zwgk/ysqgk/education/apply/"


@pytest.fixture(autouse=True)
def _empty_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def real_name_required(settings):
    settings.DISCLOSURE_APPLICATION_REQUIRED_IDENTITY = IdentityLevel.REAL_NAME


def test_anyone_applies_without_an_account_by_default(client, cluster):
    assert required_application_identity() == ""
    assert client.get(APPLY).status_code == 200
    assert client.post(APPLY, form_data()).status_code == 302
    assert DisclosureApplication.objects.get().user is None


def test_a_misspelt_level_closes_the_form_rather_than_opening_it(settings):
    settings.DISCLOSURE_APPLICATION_REQUIRED_IDENTITY = "realname"
    assert required_application_identity() == IdentityLevel.REAL_NAME


def test_a_visitor_is_sent_to_sign_in_and_back(client, cluster, real_name_required):
    response = client.get(APPLY)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:sign_in')}?next=%2Fzwgk%2Fysqgk%2Feducation%2Fapply%2F"
    assert client.post(APPLY, form_data()).status_code == 302
    assert not DisclosureApplication.objects.exists()


def test_a_citizen_below_the_level_and_staff_are_refused(client, cluster, real_name_required):
    client.force_login(make_citizen(level=IdentityLevel.VERIFIED_CONTACT).user)
    response = client.post(APPLY, form_data())
    assert response.status_code == 403 and "实名认证" in response.content.decode()
    staff = Client()
    staff.force_login(cluster.user("education", Role.DISCLOSURE_OFFICER))
    assert staff.get(APPLY).status_code == 403
    assert not DisclosureApplication.objects.exists()


def test_a_real_name_citizen_applies(client, cluster, real_name_required):
    citizen = make_citizen(level=IdentityLevel.REAL_NAME)
    client.force_login(citizen.user)
    assert client.get(APPLY).status_code == 200
    assert client.post(APPLY, form_data()).status_code == 302
    assert DisclosureApplication.objects.get().user == citizen.user


def test_the_action_refuses_an_applicant_below_the_level(cluster, real_name_required):
    citizen = make_citizen(level=IdentityLevel.VERIFIED_CONTACT)
    with pytest.raises(DisclosureRuleViolation) as refused:
        actions.submit_online_application(body=cluster.education, applicant=applicant_input(),
                                          request=information_request(), form_token="lvl-1",
                                          user=citizen.user)
    assert "实名认证" in refused.value.errors["__all__"][0]
    assert not DisclosureApplication.objects.exists()
