"""我的消息 (/yonghu/messages/): a citizen reads their own in-site messages — unread marked,
text escaped, links kept on the site — opens one (marking it read) and marks them all read.
Another citizen's message is 404; visitors sign in first; staff accounts are not citizens."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chuangkou.accounts.tests.factories import make_citizen
from chuangkou.core.models import AuditEvent
from chuangkou.notifications.models import SiteMessage

from .support import make_user

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")
READ_ALL = reverse("notifications:mark_all_read")


def message_url(message):
    return reverse("notifications:message", args=[message.pk])


def make_message(user, subject="您的申请已受理", body="您提交的“个体工商户设立登记”申请已受理。",
                 url="/banshi/applications/BJ2026112300017/", **fields):
    return SiteMessage.objects.create(user=user, subject=subject, body=body, url=url, **fields)


@pytest.fixture
def citizen(client):
    account = make_citizen()
    client.force_login(account.user)
    return account.user


@pytest.fixture
def neighbour():
    return make_citizen().user


def test_a_citizen_sees_their_messages_newest_first_with_the_unread_marked(client, citizen,
                                                                           neighbour):
    older = make_message(citizen, subject="信件已办结", read_at=timezone.now())
    SiteMessage.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=2))
    newer = make_message(citizen, subject="依申请公开答复已出具")
    make_message(neighbour, subject="别人的预约提醒")
    response = client.get(INBOX)
    assert response.status_code == 200
    assert [message.pk for message in response.context["page"].object_list] == [newer.pk,
                                                                                older.pk]
    html = response.content.decode()
    assert "别人的预约提醒" not in html
    assert html.count("未读</span>") == 1 and response.context["unread"] == 1
    assert "no-store" in response["Cache-Control"]


def test_message_text_is_escaped(client, citizen):
    message = make_message(citizen, subject="<script>alert(1)</script>受理通知",
                           body="<img src=x onerror=alert(1)>")
    assert "<script>alert(1)" not in client.get(INBOX).content.decode()
    html = client.get(message_url(message)).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_opening_a_message_marks_it_read_once_and_shows_its_link(client, citizen):
    message = make_message(citizen)
    response = client.get(message_url(message))
    assert response.status_code == 200
    assert 'href="/banshi/applications/BJ2026112300017/"' in response.content.decode()
    first_read = SiteMessage.objects.get(pk=message.pk).read_at
    assert first_read is not None
    client.get(message_url(message))
    assert SiteMessage.objects.get(pk=message.pk).read_at == first_read
    assert AuditEvent.objects.filter(action="notifications.message_read").count() == 1


@pytest.mark.parametrize("url", ["javascript:alert(1)", "https://phishing.example.com/yonghu/",
                                 "//phishing.example.com/"])
def test_a_link_off_the_site_is_not_shown(client, citizen, url):
    message = make_message(citizen, url=url)
    html = client.get(message_url(message)).content.decode()
    assert "查看详情" not in html and "phishing" not in html and "javascript:" not in html


def test_another_citizens_message_is_404_and_stays_unread(client, citizen, neighbour):
    theirs = make_message(neighbour, subject="预约成功：不动产登记窗口")
    response = client.get(message_url(theirs))
    assert response.status_code == 404
    assert "不动产登记" not in response.content.decode()
    assert SiteMessage.objects.get(pk=theirs.pk).read_at is None
    assert client.get(reverse("notifications:message", args=[theirs.pk + 1000])).status_code == 404


def test_marking_all_read_touches_only_my_messages(client, citizen, neighbour):
    make_message(citizen)
    make_message(citizen, subject="办件已办结")
    theirs = make_message(neighbour)
    assert client.get(READ_ALL).status_code == 405
    response = client.post(READ_ALL)
    assert response.status_code == 302 and response.url == INBOX
    assert not SiteMessage.objects.filter(user=citizen, read_at__isnull=True).exists()
    assert SiteMessage.objects.get(pk=theirs.pk).read_at is None
    assert AuditEvent.objects.get(action="notifications.messages_read").data == {"count": 2}


def test_marking_all_read_needs_the_csrf_token(citizen):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(citizen)
    make_message(citizen)
    assert strict.post(READ_ALL).status_code == 403
    assert SiteMessage.objects.filter(user=citizen, read_at__isnull=True).exists()


@pytest.mark.parametrize("route", ["inbox", "message", "read_all"])
def test_visitors_are_sent_to_the_citizen_sign_in(client, route):
    message = make_message(make_citizen().user)
    url = {"inbox": INBOX, "message": message_url(message), "read_all": READ_ALL}[route]
    response = client.post(url) if route == "read_all" else client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))
    assert SiteMessage.objects.get(pk=message.pk).read_at is None


def test_a_staff_account_is_not_a_citizen_account(client):
    client.force_login(make_user("city-editor"))
    assert client.get(INBOX).status_code == 403
    assert client.post(READ_ALL).status_code == 403


def test_the_inbox_pages_with_a_constant_number_of_queries(client, citizen,
                                                           django_assert_max_num_queries):
    make_message(citizen)
    client.get(INBOX)
    with CaptureQueriesContext(connection) as one_message:
        client.get(INBOX)
    SiteMessage.objects.bulk_create([
        SiteMessage(user=citizen, subject=f"第{index}号办件已受理", body="已受理。")
        for index in range(45)])
    with django_assert_max_num_queries(len(one_message.captured_queries)):
        response = client.get(INBOX)
    assert len(response.context["page"].object_list) == 20
    assert client.get(INBOX, {"page": 3}).context["page"].number == 3
