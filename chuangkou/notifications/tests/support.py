"""Shared test data of the notifications app: two kinds of notification (a status notice and a
one-time code), SMS providers that fail, a recipient hook standing in for the accounts
domain's, and helpers to run the real database task worker in-process."""

from __future__ import annotations

import threading
import uuid
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.test import override_settings
from django_tasks_db.management.commands.db_worker import Worker
from wagtail import hooks

from chuangkou.notifications import sms
from chuangkou.notifications.choices import Channel
from chuangkou.notifications.kinds import NotificationKind
from chuangkou.notifications.recipients import Recipient

NOTICE = NotificationKind(
    code="testing.application_accepted",
    label="办件受理通知",
    subject="您的申请已受理：{{ item }}",
    body="您提交的“{{ item }}”申请已受理，办件编号{{ number }}。{% if url %}查看办理进度：{{ url }}{% endif %}",
    sms="您的申请（办件编号{{ number }}）已受理。",
    variables={"item": "事项名称", "number": "办件编号"},
)
CODE = NotificationKind(
    code="testing.sign_in_code",
    label="登录验证码",
    subject="登录验证码",
    body="您的验证码是{{ code }}，10分钟内有效。如非本人操作，请忽略。",
    variables={"code": "六位验证码"},
    sensitive=True,
    mandatory=True,
)
NOTICE_CONTEXT = {"item": "个体工商户设立登记", "number": "BJ2026112300017"}

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend",
                   "QUEUES": ["notifications", "periodic"]},
}


class UnreachableGateway(sms.SmsProvider):
    """An SMS gateway that is down; its error quotes the number, as real gateways do."""

    def send(self, *, mobile: str, text: str) -> str:
        raise ConnectionError(f"短信网关拒绝连接，号码 {mobile}")


class FlakyGateway(sms.LoggingSmsProvider):
    """Fails the first send after ``reset()``, then works."""

    failures_left = 0
    lock = threading.Lock()

    @classmethod
    def reset(cls, failures: int = 1) -> None:
        cls.failures_left = failures

    def send(self, *, mobile: str, text: str) -> str:
        with self.lock:
            if FlakyGateway.failures_left > 0:
                FlakyGateway.failures_left -= 1
                raise TimeoutError("短信网关响应超时")
        return super().send(mobile=mobile, text=text)


class GatedGateway(sms.LoggingSmsProvider):
    """Sends only once ``gate`` is open (or after a timeout): keeps a send in flight while
    another thread tries the same delivery."""

    gate = threading.Event()

    def send(self, *, mobile: str, text: str) -> str:
        GatedGateway.gate.wait(timeout=10)
        return super().send(mobile=mobile, text=text)


@contextmanager
def sms_gateway(name: str):
    with override_settings(NOTIFICATIONS_SMS_PROVIDER=f"{__name__}.{name}"):
        yield


def make_user(name: str = "citizen"):
    return get_user_model().objects.create_user(username=f"{name}-{uuid.uuid4().hex[:12]}")


@contextmanager
def recipients(table: dict):
    """Answer the ``notification_recipient`` hook for the users in ``table`` (user pk →
    Recipient) before any other resolver."""

    def resolve(user):
        return table.get(user.pk)

    with hooks.register_temporarily("notification_recipient", resolve, order=-100):
        yield


def reachable(email="", mobile="", channels=(Channel.EMAIL, Channel.SMS, Channel.SITE)):
    return Recipient(email=email, mobile=mobile, channels=tuple(channels), is_reachable=True)


def run_worker() -> None:
    """Run the database task worker until the queue is empty (what ``manage.py db_worker
    --batch`` does, without taking over the test process's signal handlers)."""
    Worker(queue_names=["*"], interval=0, batch=True, backend_name="background",
           startup_delay=False, max_tasks=None, worker_id="test-worker").run()


def database_task_backend():
    return override_settings(TASKS=DATABASE_TASKS)
