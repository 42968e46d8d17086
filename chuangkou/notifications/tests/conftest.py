"""Fixtures of the notifications tests: the test kinds registered, the SMS outbox empty."""

import pytest

from chuangkou.notifications import kinds, sms

from .support import CODE, NOTICE


@pytest.fixture
def test_kinds():
    added = [kind for kind in (NOTICE, CODE) if kind.code not in kinds._REGISTRY]
    for kind in added:
        kinds.register_kind(kind)
    yield
    for kind in added:
        kinds._REGISTRY.pop(kind.code, None)


@pytest.fixture
def sms_outbox():
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
