"""Under real concurrency, on both databases: parallel wrong passwords are counted exactly and
lock the identifier once; two parallel registrations of one address make one account."""

from functools import partial

import pytest

from chuangkou.core.testing import run_at_once

from .. import actions
from ..choices import ContactKind
from ..exceptions import SignInRefused
from ..models import CitizenAccount, PersonalData, SignInThrottle
from .factories import make_citizen
from .test_codes import _clean_outboxes  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MOBILE = "13977770000"


def wrong_password(_index):
    return actions.authenticate_citizen(identifier=MOBILE, password="Not-The-Password-1")


def test_parallel_failures_are_counted_exactly_and_lock_at_the_fifth():
    make_citizen(mobile=MOBILE)
    results, errors = run_at_once([partial(wrong_password, index) for index in range(8)])
    assert results == [] and all(isinstance(error, SignInRefused) for error in errors), errors
    messages = sorted(error.errors["__all__"][0] for error in errors)
    assert messages.count("手机号码/邮箱或密码不正确。") == 4
    assert messages.count("登录失败次数过多，请15分钟后再试。") == 4
    throttle = SignInThrottle.objects.get()
    assert throttle.failures == 5 and throttle.locked_until is not None


def test_two_parallel_registrations_of_one_address_make_one_account():
    def register(index):
        return actions.register_citizen(contact_kind=ContactKind.MOBILE, contact=MOBILE,
                                        password=f"Shuangxiang-Zhuce-{index}-2026")

    results, errors = run_at_once([partial(register, index) for index in range(2)])
    assert errors == []
    assert sorted(result is None for result in results) == [False, True]
    assert CitizenAccount.objects.count() == 1 and PersonalData.objects.count() == 1
