"""实名认证 actions: the citizen's request (name and GB 11643 ID number checked, one pending at
a time, a number confirmed elsewhere refused), the account officer's decisions and their
notifications, and ``confirm_real_name`` as the identity provider uses it."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from chuangkou.core.models import AuditEvent
from chuangkou.notifications.models import Delivery

from .. import actions
from ..choices import IdentityLevel, RealNameRequestStatus, RealNameSource
from ..contacts import id_number_digest
from ..exceptions import AccountClosed, IdentityRefused
from ..models import PersonalData, RealNameRequest
from .factories import RESIDENT_IDS, make_citizen, staff_user

pytestmark = pytest.mark.django_db

ZHANG_ID = "440703198506150010"
LI_ID = "440704199003120021"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def officer():
    return staff_user("szf-account-officer")


def test_a_request_stores_the_name_and_number_encrypted_with_the_digest():
    account = make_citizen()
    created = actions.request_real_name(account=account, real_name=" 张伟 ",
                                        id_number="440703198506150010")
    fresh = RealNameRequest.objects.get(pk=created.pk)
    assert (fresh.real_name, fresh.id_number, fresh.status) == (
        "张伟", ZHANG_ID, RealNameRequestStatus.PENDING)
    assert fresh.id_number_digest == id_number_digest(ZHANG_ID)
    assert AuditEvent.objects.filter(action="accounts.real_name_requested").count() == 1


def test_a_lower_case_check_character_and_full_width_digits_are_accepted():
    account = make_citizen()
    created = actions.request_real_name(account=account, real_name="欧阳明华",
                                        id_number="１１０１０５１９４９１２３１００２x")
    assert created.id_number == "11010519491231002X"


def test_a_minority_name_with_the_middle_dot_is_accepted_whatever_dot_was_typed():
    account = make_citizen()
    created = actions.request_real_name(account=account, real_name="买买提・艾力",
                                        id_number=LI_ID)
    assert created.real_name == "买买提·艾力"


@pytest.mark.parametrize("number, rule", [
    ("44070319850615001", "18位"),
    ("440703198506150011", "校验位"),
    ("440703198502300010", "出生日期"),
    ("44070319850615001A", "18位"),
])
def test_an_invalid_id_number_is_refused_with_the_rule(number, rule):
    with pytest.raises(IdentityRefused) as refused:
        actions.request_real_name(account=make_citizen(), real_name="张伟", id_number=number)
    assert rule in refused.value.errors["id_number"][0]
    assert not RealNameRequest.objects.exists()


@pytest.mark.parametrize("name, rule", [("张", "2至30"), ("Zhang Wei", "汉字"),
                                        ("张伟1", "汉字"), ("·张伟", "汉字")])
def test_an_invalid_name_is_refused_with_the_rule(name, rule):
    with pytest.raises(IdentityRefused) as refused:
        actions.request_real_name(account=make_citizen(), real_name=name, id_number=ZHANG_ID)
    assert rule in refused.value.errors["real_name"][0]


def test_a_second_request_while_one_is_pending_is_refused():
    account = make_citizen()
    actions.request_real_name(account=account, real_name="张伟", id_number=ZHANG_ID)
    with pytest.raises(IdentityRefused) as refused:
        actions.request_real_name(account=account, real_name="张伟", id_number=ZHANG_ID)
    assert "待核验" in refused.value.errors["__all__"][0]
    assert RealNameRequest.objects.filter(account=account).count() == 1


def test_a_number_confirmed_on_another_account_is_refused_by_name():
    make_citizen(level=IdentityLevel.REAL_NAME, id_number=ZHANG_ID)
    with pytest.raises(IdentityRefused) as refused:
        actions.request_real_name(account=make_citizen(), real_name="张伟", id_number=ZHANG_ID)
    assert "已实名认证其他账号" in refused.value.errors["id_number"][0]


def test_an_unverified_account_cannot_ask_yet():
    account = make_citizen(email="wangfang@example.cn", level=IdentityLevel.UNVERIFIED)
    with pytest.raises(IdentityRefused) as refused:
        actions.request_real_name(account=account, real_name="王芳", id_number=LI_ID)
    assert "请先验证" in refused.value.errors["__all__"][0]


def test_a_real_name_citizen_may_ask_to_correct_but_not_to_repeat_the_same_data():
    account = make_citizen(level=IdentityLevel.REAL_NAME, real_name="张伟", id_number=ZHANG_ID)
    with pytest.raises(IdentityRefused) as refused:
        actions.request_real_name(account=account, real_name="张伟", id_number=ZHANG_ID)
    assert "无需重复申请" in refused.value.errors["__all__"][0]
    corrected = actions.request_real_name(account=account, real_name="张炜", id_number=ZHANG_ID)
    assert corrected.status == RealNameRequestStatus.PENDING


def test_requests_are_limited_per_day(settings, officer):
    settings.ACCOUNTS_REAL_NAME_REQUESTS_PER_DAY = 2
    account = make_citizen()
    for _ in range(2):
        created = actions.request_real_name(account=account, real_name="张伟", id_number=ZHANG_ID)
        actions.reject_real_name_request(request=created, actor=officer, reason="身份证号码有误")
    with pytest.raises(IdentityRefused) as refused:
        actions.request_real_name(account=account, real_name="张伟", id_number=ZHANG_ID)
    assert "明天再试" in refused.value.errors["__all__"][0]


def test_approval_confirms_the_real_name_notifies_and_clears_the_request(
        officer, django_capture_on_commit_callbacks):
    account = make_citizen(mobile="13800138002")
    created = actions.request_real_name(account=account, real_name="李娜", id_number=LI_ID)
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve_real_name_request(request=created, actor=officer)
    account.refresh_from_db()
    data = PersonalData.objects.get(account=account)
    assert account.identity_level == IdentityLevel.REAL_NAME
    assert (data.real_name, data.id_number, data.real_name_source) == (
        "李娜", LI_ID, RealNameSource.STAFF)
    decided = RealNameRequest.objects.get(pk=created.pk)
    assert decided.status == RealNameRequestStatus.APPROVED and decided.decided_by == officer
    assert (decided.real_name, decided.id_number) == ("", "")
    assert Delivery.objects.filter(kind="accounts.real_name_approved",
                                   user=account.user).exists()
    assert AuditEvent.objects.filter(action="accounts.real_name_approved",
                                     actor=officer).exists()


def test_rejection_needs_a_reason_and_tells_the_citizen(officer,
                                                        django_capture_on_commit_callbacks):
    account = make_citizen()
    created = actions.request_real_name(account=account, real_name="李娜", id_number=LI_ID)
    with pytest.raises(IdentityRefused) as refused:
        actions.reject_real_name_request(request=created, actor=officer, reason="  ")
    assert "原因" in refused.value.errors["reason"][0]
    with django_capture_on_commit_callbacks(execute=True):
        actions.reject_real_name_request(request=created, actor=officer,
                                         reason="姓名与身份证号码不一致")
    decided = RealNameRequest.objects.get(pk=created.pk)
    assert decided.status == RealNameRequestStatus.REJECTED
    delivery = Delivery.objects.get(kind="accounts.real_name_rejected", user=account.user,
                                    channel="site")
    assert "姓名与身份证号码不一致" in delivery.body
    account.refresh_from_db()
    assert account.identity_level == IdentityLevel.VERIFIED_CONTACT


def test_a_decided_request_cannot_be_decided_again(officer):
    created = actions.request_real_name(account=make_citizen(), real_name="李娜", id_number=LI_ID)
    actions.approve_real_name_request(request=created, actor=officer)
    with pytest.raises(IdentityRefused) as refused:
        actions.reject_real_name_request(request=created, actor=officer, reason="重复核验测试")
    assert "已处理" in refused.value.errors["__all__"][0]


def test_approving_a_number_confirmed_meanwhile_on_another_account_is_refused(officer):
    created = actions.request_real_name(account=make_citizen(), real_name="李娜", id_number=LI_ID)
    make_citizen(level=IdentityLevel.REAL_NAME, real_name="李娜", id_number=LI_ID)
    with pytest.raises(IdentityRefused) as refused:
        actions.approve_real_name_request(request=created, actor=officer)
    assert "id_number" in refused.value.errors
    assert RealNameRequest.objects.get(pk=created.pk).status == RealNameRequestStatus.PENDING


def test_staff_without_the_verification_right_cannot_decide():
    created = actions.request_real_name(account=make_citizen(), real_name="李娜", id_number=LI_ID)
    viewer = staff_user("szf-viewer", permissions=["accounts.view_citizenaccount",
                                                   "accounts.view_citizen_personal_data"])
    with pytest.raises(PermissionDenied):
        actions.approve_real_name_request(request=created, actor=viewer)
    with pytest.raises(PermissionDenied):
        actions.reject_real_name_request(request=created, actor=viewer, reason="无权处理测试")
    with pytest.raises(PermissionDenied):
        actions.record_real_name_request_viewed(request=created, actor=viewer)
    assert RealNameRequest.objects.get(pk=created.pk).status == RealNameRequestStatus.PENDING


def test_the_identity_provider_confirms_directly_without_a_request():
    account = make_citizen(email="zhangwei@example.cn", level=IdentityLevel.UNVERIFIED)
    actions.confirm_real_name(account=account, real_name="张伟", id_number=ZHANG_ID,
                              source=RealNameSource.IDENTITY_PROVIDER)
    assert account.identity_level == IdentityLevel.REAL_NAME
    data = PersonalData.objects.get(account=account)
    assert data.real_name_source == RealNameSource.IDENTITY_PROVIDER
    assert data.id_number_digest == id_number_digest(ZHANG_ID)


def test_the_identity_provider_cannot_confirm_a_number_held_by_another_account():
    holder = make_citizen(level=IdentityLevel.REAL_NAME, id_number=RESIDENT_IDS[1])
    account = make_citizen()
    with pytest.raises(IdentityRefused) as refused:
        actions.confirm_real_name(account=account, real_name="张三", id_number=RESIDENT_IDS[1],
                                  source=RealNameSource.IDENTITY_PROVIDER)
    assert "已实名认证其他账号" in refused.value.errors["id_number"][0]
    account.refresh_from_db()
    assert account.identity_level == IdentityLevel.VERIFIED_CONTACT
    assert PersonalData.objects.get(account=holder).id_number == RESIDENT_IDS[1]


def test_a_closed_account_cannot_be_confirmed():
    account = make_citizen()
    actions.close_citizen_account(account=account, password="Hujiao-12345-Zhanghu")
    with pytest.raises(AccountClosed):
        actions.confirm_real_name(account=account, real_name="张伟", id_number=ZHANG_ID,
                                  source=RealNameSource.STAFF)


def test_each_look_at_a_pending_request_is_audited(officer):
    created = actions.request_real_name(account=make_citizen(), real_name="李娜", id_number=LI_ID)
    seen = actions.record_real_name_request_viewed(request=created, actor=officer)
    assert seen.id_number == LI_ID
    assert AuditEvent.objects.filter(action="accounts.real_name_request_viewed",
                                     actor=officer).count() == 1
