"""A letter kind may ask its writer to sign in at an identity level (写信人身份要求): by default
anyone writes without an account; a kind set to real-name sends visitors to the citizen sign-in
and citizens below the level to the page naming it, and the action refuses it too."""

import pytest
from django.test import Client
from django.urls import reverse

from chuangkou.accounts.choices import IdentityLevel
from chuangkou.accounts.tests.factories import make_citizen
from chuangkou.mailbox import actions
from chuangkou.mailbox.choices import LetterChannel
from chuangkou.mailbox.exceptions import LetterSubmissionRefused, MailboxRuleViolation
from chuangkou.mailbox.models import Letter, LetterKind
from chuangkou.mailbox.open311.services import service_catalogue, service_for_code
from chuangkou.organizations.choices import Role

from .factories import letter_draft, next_token, writer_input
from .public_helpers import WRITE, clear_rate_limits, form_data


@pytest.fixture(autouse=True)
def _empty_rate_limits():
    clear_rate_limits()
    yield
    clear_rate_limits()


@pytest.fixture
def complaints_need_real_name(cluster):
    """投诉 asks for a real-name citizen, set the way a mailbox manager sets it."""
    manager = cluster.user("city", Role.LETTER_DISPATCHER)
    return actions.save_letter_kind(actor=manager, kind=LetterKind.objects.get(code="tousu"),
                                    required_identity=IdentityLevel.REAL_NAME)


def test_kinds_need_no_account_by_default(cluster):
    assert not LetterKind.objects.exclude(required_identity="").exists()
    letter, _code = actions.submit_letter(draft=letter_draft(kind_code="tousu"),
                                          writer=writer_input(), form_token=next_token())
    assert letter.user is None


def test_an_unknown_level_is_refused_when_the_kind_is_saved(cluster):
    manager = cluster.user("city", Role.LETTER_DISPATCHER)
    with pytest.raises(MailboxRuleViolation) as refused:
        actions.save_letter_kind(actor=manager, kind=LetterKind.objects.get(code="tousu"),
                                 required_identity="gold")
    assert "required_identity" in refused.value.errors


def test_a_visitor_choosing_the_kind_is_sent_to_sign_in_and_back(client, cluster,
                                                                  complaints_need_real_name):
    response = client.get(WRITE + "?kind=tousu")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in") + "?next=")
    posted = client.post(WRITE, form_data(kind_code="tousu"))
    assert posted.status_code == 302 and posted["Location"].startswith(
        reverse("accounts:sign_in"))
    assert not Letter.objects.exists()


def test_a_citizen_below_the_level_gets_the_level_needed_page(client, cluster,
                                                              complaints_need_real_name):
    client.force_login(make_citizen(level=IdentityLevel.VERIFIED_CONTACT).user)
    assert client.get(WRITE + "?kind=tousu").status_code == 403
    response = client.post(WRITE, form_data(kind_code="tousu"))
    assert response.status_code == 403 and "实名认证" in response.content.decode()
    assert not Letter.objects.exists()


def test_staff_are_not_citizens_for_a_kind_that_needs_one(client, cluster,
                                                          complaints_need_real_name):
    client.force_login(cluster.user("education", Role.LETTER_HANDLER))
    assert client.post(WRITE, form_data(kind_code="tousu")).status_code == 403
    assert not Letter.objects.exists()


def test_a_real_name_citizen_writes_it_and_other_kinds_stay_open_to_all(
        client, cluster, complaints_need_real_name):
    form = client.get(WRITE).content.decode()
    assert "投诉" in form and "须登录并实名认证" in form
    assert client.post(WRITE, form_data(kind_code="zixun")).status_code == 302
    citizen = make_citizen(level=IdentityLevel.REAL_NAME)
    signed_in = Client()
    signed_in.force_login(citizen.user)
    assert signed_in.get(WRITE + "?kind=tousu").status_code == 200
    assert signed_in.post(WRITE, form_data(kind_code="tousu")).status_code == 302
    assert Letter.objects.get(kind__code="tousu").user == citizen.user


def test_the_action_refuses_a_writer_below_the_level(cluster, complaints_need_real_name):
    citizen = make_citizen(level=IdentityLevel.VERIFIED_CONTACT)
    with pytest.raises(LetterSubmissionRefused) as refused:
        actions.submit_letter(draft=letter_draft(kind_code="tousu"), writer=writer_input(),
                              form_token=next_token(), user=citizen.user)
    assert "须登录并实名认证" in refused.value.errors["kind"][0]
    assert not Letter.objects.exists()


def test_hotline_work_orders_of_the_kind_are_registered_by_staff(cluster,
                                                                 complaints_need_real_name):
    letter, _code = actions.submit_letter(
        draft=letter_draft(kind_code="tousu"), writer=writer_input(),
        channel=LetterChannel.HOTLINE, form_token=None, external_source="12345",
        external_id="GD20260302001")
    assert letter.kind.code == "tousu"


def test_open311_no_longer_offers_the_kind(cluster, complaints_need_real_name):
    codes = {service.code for service in service_catalogue()}
    assert "zixun" in codes and "tousu" not in codes
    assert service_for_code("tousu.education") is None


def test_the_landing_page_says_which_kinds_need_an_account(client, cluster,
                                                           complaints_need_real_name):
    page = client.get(reverse("mailbox:landing")).content.decode()
    assert "须登录并实名认证" in page and "不限（无需登录）" in page
    assert "/hudong/write/?kind=tousu" in page


def test_a_manager_sets_the_requirement_in_the_admin_and_the_list_shows_it(cluster):
    client = Client()
    client.force_login(cluster.user("city", Role.LETTER_DISPATCHER))
    kind = LetterKind.objects.get(code="tousu")
    response = client.post(reverse("mailbox_kind_edit", args=[kind.pk]), {
        "code": kind.code, "name": kind.name, "description": kind.description,
        "reply_working_days": str(kind.reply_working_days), "sort_order": str(kind.sort_order),
        "is_active": "on", "required_identity": IdentityLevel.VERIFIED_CONTACT})
    assert response.status_code == 302
    assert LetterKind.objects.get(pk=kind.pk).required_identity == IdentityLevel.VERIFIED_CONTACT
    assert "须登录并验证手机或邮箱" in client.get(reverse("mailbox_kinds")).content.decode()
