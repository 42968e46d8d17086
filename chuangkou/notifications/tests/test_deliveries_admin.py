"""发送记录 in the admin (Settings): the system administrator finds any delivery by kind,
channel, status and date, sees masked addresses only and no one-time code, and sends a failed
one again; everyone else is refused."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.menu import settings_menu

from chuangkou.core.models import AuditEvent
from chuangkou.notifications.actions import notify
from chuangkou.notifications.choices import Channel, DeliveryStatus
from chuangkou.notifications.models import Delivery
from chuangkou.organizations.choices import Role

from .support import CODE, NOTICE, NOTICE_CONTEXT, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_kinds", "sms_outbox")]

INDEX = reverse("notification_deliveries:index")
EMAIL = "wangfang@example.cn"
MOBILE = "13612345678"


def inspect_url(delivery):
    return reverse("notification_deliveries:inspect", args=[delivery.pk])


def retry_url(delivery):
    return reverse("notification_deliveries:retry", args=[delivery.pk])


def queued(**kwargs):
    return notify(kind=kwargs.pop("kind", NOTICE.code), context=NOTICE_CONTEXT, **kwargs)


@pytest.fixture
def administrator(cluster, client):
    user = cluster.user("city", Role.SYSTEM_ADMINISTRATOR)
    client.force_login(user)
    return user


@pytest.fixture
def failed():
    [delivery] = queued(email=EMAIL)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED, attempts=2, last_error="SMTPServerDisconnected: 连接中断",
        next_attempt_at=timezone.now() + timedelta(minutes=2))
    return delivery


def test_only_the_system_administrator_finds_the_records_in_the_settings_menu(cluster,
                                                                            administrator):
    request = RequestFactory().get("/admin/")
    request.user = administrator
    assert "notification-deliveries" in {
        item.name for item in settings_menu.menu_items_for_request(request)}
    request.user = cluster.user("city", Role.SITE_ADMINISTRATOR)
    assert "notification-deliveries" not in {
        item.name for item in settings_menu.menu_items_for_request(request)}


def test_the_list_shows_masked_addresses_never_the_address_or_its_ciphertext(client,
                                                                             administrator):
    queued(email=EMAIL, mobile=MOBILE)
    response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "w***@example.cn" in html and "136****5678" in html
    assert EMAIL not in html and MOBILE not in html and "sm4:" not in html.lower()
    assert NOTICE.label in html


@pytest.mark.parametrize("query, expected", [
    ({"channel": Channel.SMS}, {"sms"}),
    ({"status": DeliveryStatus.FAILED}, {"failed-email"}),
    ({"kind": CODE.code}, {"code"}),
    ({"created_from": "2026-01-01", "created_to": "2026-01-31"}, {"january"}),
])
def test_deliveries_are_found_by_kind_channel_status_and_date(client, administrator, failed,
                                                              query, expected):
    names = {failed.pk: "failed-email"}
    names[queued(mobile=MOBILE)[0].pk] = "sms"
    names[notify(kind=CODE.code, context={"code": "482915"}, email="lina@example.cn")[0].pk] = "code"
    [january] = queued(email="zhaoliu@example.cn")
    Delivery.objects.filter(pk=january.pk).update(
        created_at=timezone.make_aware(datetime(2026, 1, 15, 10, 0)))
    names[january.pk] = "january"
    response = client.get(INDEX, query)
    assert response.status_code == 200
    assert {names.get(row.pk) for row in response.context["object_list"]} == expected


def test_a_date_range_ending_before_it_starts_finds_nothing(client, administrator, failed):
    response = client.get(INDEX, {"created_from": "2026-12-01", "created_to": "2026-11-01"})
    assert list(response.context["object_list"]) == []


def test_the_list_uses_the_same_number_of_queries_for_more_rows(
        client, administrator, django_assert_max_num_queries):
    queued(email=EMAIL)
    client.get(INDEX)
    with CaptureQueriesContext(connection) as few:
        client.get(INDEX)
    for index in range(20):
        queued(email=f"user{index}@example.cn", mobile=f"1370000{index:04d}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(INDEX)


def test_a_one_time_code_record_shows_no_code(client, administrator,
                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = notify(kind=CODE.code, context={"code": "482915"}, mobile=MOBILE)
    response = client.get(inspect_url(delivery))
    assert response.status_code == 200
    html = response.content.decode()
    assert "482915" not in html and "136****5678" in html and MOBILE not in html
    assert retry_url(delivery) not in html


def test_the_administrator_sends_a_failed_delivery_again(client, administrator, failed,
                                                         django_capture_on_commit_callbacks):
    page = client.get(inspect_url(failed)).content.decode()
    assert retry_url(failed) in page and "SMTPServerDisconnected" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url(failed))
    assert response.status_code == 302 and response.url == inspect_url(failed)
    assert Delivery.objects.get(pk=failed.pk).status == DeliveryStatus.SENT
    assert [message.to for message in mail.outbox] == [[EMAIL]]
    assert AuditEvent.objects.get(action="notifications.delivery_retried").actor == administrator


def test_a_sent_delivery_is_not_sent_again(client, administrator):
    [delivery] = queued(email=EMAIL)
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT,
                                                   sent_at=timezone.now())
    response = client.post(retry_url(delivery), follow=True)
    assert "只能重新发送" in response.content.decode()
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT


def test_a_viewer_without_the_retry_permission_cannot_send_again(client, failed):
    viewer = make_user("delivery-viewer")
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_delivery", content_type__app_label="notifications"))
    client.force_login(viewer)
    assert client.get(INDEX).status_code == 200
    assert retry_url(failed) not in client.get(inspect_url(failed)).content.decode()
    assert client.post(retry_url(failed)).status_code == 403
    assert Delivery.objects.get(pk=failed.pk).status == DeliveryStatus.FAILED


@pytest.mark.parametrize("role", [Role.EDITOR, Role.SITE_ADMINISTRATOR, Role.AUDITOR,
                                  Role.ACCOUNT_OFFICER, Role.SERVICE_HANDLER])
def test_other_staff_are_refused_every_delivery_screen(cluster, client, failed, role):
    client.force_login(cluster.user("city", role))
    assert client.get(INDEX).status_code in (302, 403)
    assert client.get(inspect_url(failed)).status_code in (302, 403)
    assert client.post(retry_url(failed)).status_code == 403
    assert Delivery.objects.get(pk=failed.pk).status == DeliveryStatus.FAILED


def test_a_delivery_that_does_not_exist_is_404(client, administrator):
    assert client.get(reverse("notification_deliveries:inspect", args=[999999])).status_code == 404
    assert client.post(reverse("notification_deliveries:retry", args=[999999])).status_code == 404
