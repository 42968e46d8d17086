"""Applications by citizen accounts: the identity level (身份等级) accounts gives, the page that
says how to raise it, and applications made for an enterprise (法人) that every member sees
and no one else."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from chuangkou.accounts.choices import EnterpriseStatus, IdentityLevel
from chuangkou.accounts.queries import ACTING_ENTERPRISE_SESSION_KEY
from chuangkou.accounts.tests.factories import CREDIT_CODES, make_citizen, make_enterprise
from chuangkou.organizations.choices import Role

from ..choices import Audience, RequiredIdentity
from ..exceptions import ApplicationRefused
from ..hooks.citizens import services_homepage_sections
from ..models import ServiceApplication
from ..queries.applications import applicant_identity_level
from .citizens_support import add_member
from .factories import make_item, make_slot
from .test_applications_support import applicant, pdf, required_material, submit

pytestmark = pytest.mark.django_db

_addresses = itertools.count(1)


@pytest.fixture
def client():
    number = next(_addresses)
    return Client(REMOTE_ADDR=f"10.77.{number // 250}.{number % 250 + 1}")


@pytest.mark.parametrize("level, expected", [
    (IdentityLevel.UNVERIFIED, RequiredIdentity.ACCOUNT),
    (IdentityLevel.VERIFIED_CONTACT, RequiredIdentity.VERIFIED_CONTACT),
    (IdentityLevel.REAL_NAME, RequiredIdentity.REAL_NAME),
])
def test_a_citizen_has_the_level_of_their_account(level, expected):
    assert applicant_identity_level(make_citizen(level=level).user) == expected


def test_anonymous_has_none_and_staff_count_as_a_registered_account(cluster):
    assert applicant_identity_level(AnonymousUser()) == RequiredIdentity.NONE
    assert applicant_identity_level(None) == RequiredIdentity.NONE
    staff = cluster.user("education", Role.SERVICE_HANDLER)
    assert applicant_identity_level(staff) == RequiredIdentity.ACCOUNT


def test_a_real_name_item_accepts_a_real_name_citizen_and_refuses_a_verified_one(cluster):
    item = make_item(body=cluster.education, required_identity=RequiredIdentity.REAL_NAME)
    verified = make_citizen(level=IdentityLevel.VERIFIED_CONTACT).user
    with pytest.raises(ApplicationRefused) as error:
        submit(item, user=verified)
    assert "实名认证" in error.value.errors["__all__"][0]
    application, _code = submit(item, user=make_citizen(level=IdentityLevel.REAL_NAME).user)
    assert application.user is not None


@pytest.mark.parametrize("need, link", [
    (RequiredIdentity.VERIFIED_CONTACT, "accounts:security"),
    (RequiredIdentity.REAL_NAME, "accounts:identity"),
])
def test_the_level_page_links_to_how_to_raise_it(client, cluster, need, link):
    item = make_item(body=cluster.education, required_identity=need)
    client.force_login(make_citizen(level=IdentityLevel.UNVERIFIED).user)
    response = client.get(reverse("services:apply", args=[item.code]))
    assert response.status_code == 403
    body = response.content.decode()
    assert f'href="{reverse(link)}"' in body and 'name="form_token"' not in body


def test_anonymous_applicants_are_sent_to_the_citizen_sign_in(client, cluster):
    item = make_item(body=cluster.education, required_identity=RequiredIdentity.ACCOUNT)
    response = client.get(reverse("services:apply", args=[item.code]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in") + "?next=")


# --- Enterprises -----------------------------------------------------------------------------


@pytest.fixture
def enterprise_item(cluster):
    return make_item(body=cluster.education, name="校外培训机构办学许可",
                     audience=Audience.ENTERPRISE)


@pytest.fixture
def firm():
    administrator = make_citizen(level=IdentityLevel.REAL_NAME)
    member = make_citizen()
    enterprise = make_enterprise(administrator=administrator)
    add_member(enterprise, member)
    return enterprise, administrator, member


def for_firm(item, enterprise, account):
    return submit(item, user=account.user, enterprise=enterprise,
                  applicant=applicant(kind=Audience.ENTERPRISE, resident_id="",
                                      enterprise_name="随便写的名称", credit_code=""))


def test_an_application_for_an_enterprise_records_it_with_its_own_name_and_code(
        enterprise_item, firm):
    enterprise, administrator, _member = firm
    application, _code = for_firm(enterprise_item, enterprise, administrator)
    assert application.enterprise == enterprise
    assert application.applicant_kind == Audience.ENTERPRISE
    assert application.applicant.enterprise_name == enterprise.name
    assert application.applicant.credit_code == enterprise.credit_code


def test_only_members_of_a_verified_enterprise_apply_for_it(cluster, enterprise_item, firm):
    enterprise, administrator, _member = firm
    with pytest.raises(ApplicationRefused) as error:
        for_firm(enterprise_item, enterprise, make_citizen())
    assert "不是" in error.value.errors["__all__"][0]
    other_code = next(code for code in CREDIT_CODES if code != enterprise.credit_code)
    pending = make_enterprise(administrator=make_citizen(level=IdentityLevel.REAL_NAME),
                              status=EnterpriseStatus.PENDING, credit_code=other_code)
    with pytest.raises(ApplicationRefused):
        for_firm(enterprise_item, pending, pending.registered_by)
    person_item = make_item(body=cluster.education)
    with pytest.raises(ApplicationRefused) as error:
        for_firm(person_item, enterprise, administrator)
    assert "kind" in error.value.errors
    assert not ServiceApplication.objects.exists()


def test_every_member_sees_the_enterprise_application_and_a_stranger_gets_404(
        client, enterprise_item, firm):
    enterprise, administrator, member = firm
    application, _code = for_firm(enterprise_item, enterprise, administrator)
    page = reverse("services:application", args=[application.number])
    client.force_login(member.user)
    assert client.get(page).status_code == 200
    numbers = [item.number for section in services_homepage_sections(user=member.user)
               for item in section.items]
    assert application.number in numbers
    mine = client.get(reverse("services:mine")).content.decode()
    assert application.number in mine
    stranger = make_citizen()
    client.force_login(stranger.user)
    assert client.get(page).status_code == 404
    assert client.post(reverse("services:withdraw", args=[application.number]),
                       {"reason": ""}).status_code == 404
    assert application.number not in client.get(reverse("services:mine")).content.decode()


def test_a_removed_member_no_longer_sees_it(client, enterprise_item, firm):
    enterprise, administrator, member = firm
    application, _code = for_firm(enterprise_item, enterprise, administrator)
    enterprise.memberships.filter(account=member).delete()
    client.force_login(member.user)
    assert client.get(reverse("services:application",
                              args=[application.number])).status_code == 404


def test_the_form_of_a_citizen_acting_for_an_enterprise_is_filled_in_and_records_it(
        client, enterprise_item, firm):
    enterprise, _administrator, member = firm
    client.force_login(member.user)
    session = client.session
    session[ACTING_ENTERPRISE_SESSION_KEY] = enterprise.pk
    session.save()
    url = reverse("services:apply", args=[enterprise_item.code])
    form = client.get(url).content.decode()
    assert enterprise.name in form and enterprise.credit_code in form
    response = client.post(url, {
        "name": "王经办", "phone": "13912345678", "enterprise_name": "伪造的单位",
        "credit_code": "91110000600037341L", "answer_student_name": "李小明",
        "answer_grade": "二年级", "form_token": "tok-enterprise",
        f"material_{required_material(enterprise_item).pk}": pdf()})
    assert response.status_code == 302, response.content.decode()
    application = ServiceApplication.objects.get()
    assert application.enterprise == enterprise and application.user == member.user
    assert application.applicant.enterprise_name == enterprise.name


def test_a_booking_that_needs_an_account_links_to_the_citizen_sign_in(client, cluster):
    slot = make_slot(body=cluster.district)
    slot.resource.requires_account = True
    slot.resource.save()
    page = client.get(reverse("services:book", args=[slot.pk])).content.decode()
    assert f'href="{reverse("accounts:sign_in")}?next=' in page


def test_staff_see_which_enterprise_an_application_is_for(client, cluster, enterprise_item, firm):
    enterprise, administrator, _member = firm
    application, _code = for_firm(enterprise_item, enterprise, administrator)
    client.force_login(cluster.user("education", Role.SERVICE_HANDLER))
    page = client.get(reverse("services_application_detail", args=[application.number]))
    assert page.status_code == 200
    assert f"{enterprise.name}（{enterprise.credit_code}）" in page.content.decode()
