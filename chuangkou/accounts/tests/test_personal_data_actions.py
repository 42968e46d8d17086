"""A citizen's rights over their personal data (个人信息保护法 第四十五至四十七条): correcting,
downloading everything (with other apps' data), closing the account (other apps anonymise,
everything here is deleted, sessions end, the contact is free again), and the account officer's
audited look."""

from datetime import date
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from wagtail import hooks

from chuangkou.core.models import AuditEvent

from .. import actions
from ..choices import AccountStatus, EnterpriseRole, IdentityLevel, SubscriptionTarget
from ..exceptions import AccountClosed, AccountsRuleViolation
from ..models import (
    CitizenAccount,
    CitizenSession,
    EnterpriseMembership,
    ExternalIdentity,
    OneTimeCode,
    PersonalData,
    RealNameRequest,
    Reminder,
    Subscription,
)
from .factories import PASSWORD, make_citizen, make_enterprise, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def zhang():
    return make_citizen(mobile="13800138001", email="zhangwei@example.cn",
                        level=IdentityLevel.REAL_NAME, real_name="张伟",
                        id_number="440703198506150010", display_name="张伟")


def profile(account, **changes):
    fields = dict(display_name=account.display_name, address="", notify_by_email=True,
                  notify_by_sms=True, notify_in_site=True)
    return actions.update_profile(account=account, **{**fields, **changes})


def test_the_citizen_corrects_nickname_address_and_channels(zhang):
    profile(zhang, display_name="  张 伟 ", address="江门市蓬江区建设路38号", notify_by_sms=False)
    zhang.refresh_from_db()
    assert (zhang.display_name, zhang.notify_by_sms) == ("张 伟", False)
    assert PersonalData.objects.get(account=zhang).address == "江门市蓬江区建设路38号"
    event = AuditEvent.objects.get(action="accounts.profile_updated")
    assert sorted(event.data["fields"]) == ["address", "display_name", "notify_by_sms"]
    assert "建设路" not in str(event.data)


def test_an_unchanged_profile_records_nothing(zhang):
    profile(zhang)
    assert not AuditEvent.objects.filter(action="accounts.profile_updated").exists()


def test_too_long_values_are_refused_per_field(zhang):
    with pytest.raises(AccountsRuleViolation) as refused:
        profile(zhang, display_name="张" * 41, address="路" * 201)
    assert set(refused.value.errors) == {"display_name", "address"}


def test_the_download_holds_my_data_in_clear_and_other_apps_data(zhang):
    def letters(*, user):
        return {"政民互动来信": [{"编号": "XJ2026000001", "用户": user.pk}]}

    with hooks.register_temporarily("citizen_data_export", letters):
        exported = actions.download_personal_data(account=zhang)
    assert exported["个人信息"]["手机号码"] == "13800138001"
    assert exported["个人信息"]["身份证号码"] == "440703198506150010"
    assert exported["账号"]["身份等级"] == "实名认证"
    assert exported["政民互动来信"] == [{"编号": "XJ2026000001", "用户": zhang.user_id}]
    assert AuditEvent.objects.filter(action="accounts.personal_data_downloaded").count() == 1


def test_the_download_lists_enterprises_reminders_and_subscriptions(zhang):
    make_enterprise(administrator=zhang, name="江门市青禾农业科技有限公司")
    Reminder.objects.create(account=zhang, title="身份证到期", due_on=date(2030, 6, 15),
                            remind_on=date(2030, 5, 15))
    Subscription.objects.create(account=zhang, target=SubscriptionTarget.TOPIC, topic="农业农村",
                                feed_token="t-1")
    exported = actions.download_personal_data(account=zhang)
    assert exported["所属单位"][0]["单位名称"] == "江门市青禾农业科技有限公司"
    assert exported["提醒"][0]["提醒事项"] == "身份证到期"
    assert exported["订阅"][0]["名称"] == "农业农村"


def login_session(account) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["_auth_user_id"] = str(account.user_id)
    store.create()
    CitizenSession.objects.create(account=account, session_key=store.session_key)
    return store.session_key


def test_closing_deletes_everything_personal_and_ends_the_sessions(
        zhang, django_capture_on_commit_callbacks):
    key = login_session(zhang)
    RealNameRequest.objects.create(account=zhang, real_name="张炜", id_number="440703198506150010",
                                   id_number_digest="x")
    ExternalIdentity.objects.create(account=zhang, issuer="https://tyrz.gd.gov.cn", subject="s1")
    Reminder.objects.create(account=zhang, title="驾驶证换证", due_on=date(2030, 1, 1),
                            remind_on=date(2029, 12, 1))
    closed_records = []

    def anonymise(*, user):
        closed_records.append(user.pk)
        return 3

    with hooks.register_temporarily("citizen_account_closing", anonymise), \
            django_capture_on_commit_callbacks(execute=True):
        assert actions.close_citizen_account(account=zhang, password=PASSWORD) == 3
    assert closed_records == [zhang.user_id]
    account = CitizenAccount.objects.select_related("user").get(pk=zhang.pk)
    assert account.status == AccountStatus.CLOSED and account.closed_at is not None
    assert account.display_name == ""
    assert account.user.username.startswith("closed-") and not account.user.is_active
    assert not account.user.has_usable_password()
    for model in (PersonalData, CitizenSession, ExternalIdentity, RealNameRequest, Reminder,
                  OneTimeCode):
        assert not model.objects.filter(account=zhang).exists(), model.__name__
    assert not import_module(settings.SESSION_ENGINE).SessionStore().exists(key)
    event = AuditEvent.objects.get(action="accounts.account_closed")
    assert event.data == {"records_anonymised": 3}


def test_a_closed_account_never_signs_in_and_its_contact_registers_anew(zhang):
    actions.close_citizen_account(account=zhang, password=PASSWORD)
    assert authenticate(username=zhang.user.username, password=PASSWORD) is None
    again = make_citizen(mobile="13800138001", email="zhangwei@example.cn")
    assert PersonalData.objects.get(account=again).mobile == "13800138001"
    with pytest.raises(AccountClosed):
        actions.close_citizen_account(account=zhang, password=PASSWORD)


def test_a_wrong_password_closes_nothing_and_tries_are_limited(zhang):
    for _ in range(5):
        with pytest.raises(AccountsRuleViolation) as refused:
            actions.close_citizen_account(account=zhang, password="Wrong-Password-1")
        assert "密码不正确" in refused.value.errors["password"][0]
    with pytest.raises(AccountsRuleViolation) as refused:
        actions.close_citizen_account(account=zhang, password=PASSWORD)
    assert "次数过多" in refused.value.errors["password"][0]
    zhang.refresh_from_db()
    assert zhang.status == AccountStatus.ACTIVE


def test_the_only_administrator_of_an_enterprise_with_members_must_hand_over_first(zhang):
    enterprise = make_enterprise(administrator=zhang, name="江门市青禾农业科技有限公司")
    member = EnterpriseMembership.objects.create(enterprise=enterprise, account=make_citizen())
    with pytest.raises(AccountsRuleViolation) as refused:
        actions.close_citizen_account(account=zhang, password=PASSWORD)
    assert "江门市青禾农业科技有限公司" in refused.value.errors["__all__"][0]
    assert "设为管理员" in refused.value.errors["__all__"][0]
    EnterpriseMembership.objects.filter(pk=member.pk).update(role=EnterpriseRole.ADMINISTRATOR)
    actions.close_citizen_account(account=zhang, password=PASSWORD)
    assert list(enterprise.memberships.values_list("account", flat=True)) == [member.account_id]


def test_the_only_member_of_an_enterprise_may_close(zhang):
    enterprise = make_enterprise(administrator=zhang, name="江门市青禾农业科技有限公司")
    actions.close_citizen_account(account=zhang, password=PASSWORD)
    assert not enterprise.memberships.exists()


def test_a_failing_app_leaves_the_account_untouched(zhang):
    def broken(*, user):
        raise RuntimeError("letters table locked")

    with hooks.register_temporarily("citizen_account_closing", broken), \
            pytest.raises(RuntimeError):
        actions.close_citizen_account(account=zhang, password=PASSWORD)
    zhang.refresh_from_db()
    assert zhang.status == AccountStatus.ACTIVE
    assert PersonalData.objects.get(account=zhang).mobile == "13800138001"


def test_the_officer_look_at_personal_data_is_audited(zhang):
    officer = staff_user("szf-account-officer")
    data = actions.record_personal_data_viewed(account=zhang, actor=officer)
    assert data.id_number == "440703198506150010"
    assert AuditEvent.objects.filter(action="accounts.personal_data_viewed",
                                     actor=officer).count() == 1
    with pytest.raises(PermissionDenied):
        actions.record_personal_data_viewed(
            account=zhang, actor=staff_user("szf-auditor", permissions=["core.view_auditevent"]))
