"""How notifications reach a citizen (hook ``notification_recipient``): verified addresses only,
the channels they chose, nothing for a closed account, and nothing to say about staff."""

import pytest
from django.core import mail
from django.utils import timezone

from chuangkou.notifications import sms
from chuangkou.notifications.actions import notify
from chuangkou.notifications.models import SiteMessage
from chuangkou.notifications.recipients import Recipient, recipient_for

from ..choices import AccountStatus, IdentityLevel
from ..hooks.recipients import citizen_recipient
from ..models import PersonalData
from .factories import make_citizen
from .test_codes import _clean_outboxes  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_citizen_is_reached_at_verified_addresses_on_chosen_channels():
    account = make_citizen(mobile="13955550001", email="wu.lei@example.cn",
                           notify_by_sms=False)
    assert recipient_for(account.user) == Recipient(
        email="wu.lei@example.cn", mobile="13955550001", channels=("email", "site"),
        is_reachable=True)


def test_an_unverified_address_is_never_used():
    account = make_citizen(mobile="13955550002", email="zheng.hua@example.cn")
    PersonalData.objects.filter(account=account).update(email_verified_at=None)
    recipient = citizen_recipient(account.user)
    assert recipient.email == "" and recipient.mobile == "13955550002"
    unverified = make_citizen(mobile="13955550003", level=IdentityLevel.UNVERIFIED)
    assert citizen_recipient(unverified.user).mobile == ""


def test_a_closed_account_receives_nothing(django_capture_on_commit_callbacks):
    account = make_citizen(mobile="13955550004", status=AccountStatus.CLOSED,
                           closed_at=timezone.now())
    assert citizen_recipient(account.user).is_reachable is False
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(kind="accounts.password_changed", user=account.user,
                      context={"changed_at": "2026-03-02 09:00", "how": "修改"}) == []
    assert not sms.outbox and not SiteMessage.objects.exists()


def test_users_without_a_citizen_account_are_left_to_others(django_user_model):
    staff = django_user_model.objects.create_user(username="jiaoyuju-bianji", is_staff=True)
    assert citizen_recipient(staff) is None
    assert citizen_recipient(None) is None


def test_notify_uses_the_hook(django_capture_on_commit_callbacks):
    account = make_citizen(mobile="13955550005", email="qian.yu@example.cn",
                           notify_by_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind="accounts.password_changed", user=account.user,
               context={"changed_at": "2026-03-02 09:00", "how": "修改"})
    # A mandatory notice ignores the preference: it reaches every verified address.
    assert [message.to for message in mail.outbox] == [["qian.yu@example.cn"]]
    assert [sent.mobile for sent in sms.outbox] == ["13955550005"]
    assert SiteMessage.objects.filter(user=account.user).count() == 1
