"""业务系统对接 in the Wagtail admin: every route against every role (system administrators
only; 三员分立), registering (key and webhook secret shown once), editing, rotating, the
deliveries list and 立即重试."""

import pytest
from django.test import Client
from django.urls import reverse

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role

from .. import actions
from ..choices import ApplicationEventKind, WebhookDeliveryStatus
from ..models import BackOfficeSystem, WebhookDelivery
from ..webhooks import notify_back_offices
from .factories import make_application, make_item
from .integration_support import administrator, register
from .role_tables import everyone, who_id

pytestmark = pytest.mark.django_db

BODIES = ("city", "education", "health", "dongcheng")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def objects(cluster):
    system, _key = register(cluster, webhook_url="https://jyj.example.cn/hook")
    notify_back_offices(application=make_application(item=make_item(body=cluster.education)),
                        event_kind=ApplicationEventKind.ACCEPTED)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDeliveryStatus.FAILED)
    return {"system": system, "delivery": delivery}


def routes(objects):
    """(name, method, url) of every route this part registers."""
    pk = objects["system"].pk
    yield "list", "get", reverse("services_backoffice_systems")
    yield "register", "get", reverse("services_backoffice_register")
    yield "edit", "get", reverse("services_backoffice_edit", args=[pk])
    yield "rotate_key", "get", reverse("services_backoffice_rotate_key", args=[pk])
    yield "rotate_secret", "get", reverse("services_backoffice_rotate_secret", args=[pk])
    yield "deliveries", "get", reverse("services_backoffice_deliveries", args=[pk])
    yield "retry", "post", reverse("services_backoffice_delivery_retry",
                                   args=[objects["delivery"].pk])


# Who may use these routes: system administrators (a cluster role, whichever body they belong
# to). Everyone else signed in gets 403, whatever their services role; anonymous visitors are
# sent to the admin login.
EXPECTED = {role: (200 if role == Role.SYSTEM_ADMINISTRATOR else 403) for role in Role.values}


@pytest.mark.parametrize("who", everyone(BODIES, every_role_in=("city", "education"))[1:],
                         ids=who_id)
def test_every_route_for_every_role(cluster, objects, who):
    body, role = who
    client = signed_in(cluster.user(body, role))
    for name, method, url in routes(objects):
        response = getattr(client, method)(url)
        expected = EXPECTED[role]
        if name == "retry" and expected == 200:
            expected = 302
        assert response.status_code == expected, (name, body, role)


def test_anonymous_visitors_are_sent_to_the_login(objects):
    client = Client()
    for name, method, url in routes(objects):
        response = getattr(client, method)(url)
        assert response.status_code == 302, name
        assert reverse("wagtailadmin_login") in response.url


def test_nothing_changes_when_a_handler_posts(cluster, objects):
    client = signed_in(cluster.user("education", Role.SERVICE_HANDLER))
    system = objects["system"]
    assert client.post(reverse("services_backoffice_rotate_key", args=[system.pk])).status_code \
        == 403
    assert client.post(reverse("services_backoffice_register"), {
        "name": "x", "body": system.body.pk}).status_code == 403
    assert BackOfficeSystem.objects.count() == 1
    assert BackOfficeSystem.objects.get().key_digest == system.key_digest


def test_an_unknown_system_or_delivery_is_404(cluster):
    client = signed_in(administrator(cluster))
    assert client.get(reverse("services_backoffice_edit", args=[999999])).status_code == 404
    assert client.get(reverse("services_backoffice_edit", args=[2**64])).status_code == 404
    assert client.post(reverse("services_backoffice_delivery_retry",
                               args=[999999])).status_code == 404


def test_the_menu_shows_the_item_to_system_administrators_only(cluster):
    url = reverse("services_backoffice_systems")
    page = signed_in(administrator(cluster)).get(reverse("wagtailadmin_home")).content.decode()
    assert url in page
    page = signed_in(cluster.user("education", Role.SERVICE_HANDLER)).get(
        reverse("wagtailadmin_home")).content.decode()
    assert url not in page


def test_registering_shows_the_key_and_secret_once(cluster):
    client = signed_in(administrator(cluster))
    response = client.post(reverse("services_backoffice_register"), {
        "name": "教育审批系统", "body": cluster.education.pk,
        "webhook_url": "https://jyj.example.cn/hook"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    system = BackOfficeSystem.objects.get()
    page = response.content.decode()
    key = page.split('id="api-key">')[1].split("<")[0]
    assert key.startswith("ck_" + system.key_prefix)
    assert system.key_digest == actions.back_office_key_digest(key)
    assert system.webhook_secret in page
    listing = client.get(reverse("services_backoffice_systems")).content.decode()
    assert key not in listing and system.webhook_secret not in listing
    assert f"ck_{system.key_prefix}" in listing


def test_registering_with_errors_shows_them_on_the_fields(cluster):
    client = signed_in(administrator(cluster))
    response = client.post(reverse("services_backoffice_register"), {
        "name": "", "body": "", "webhook_url": "ftp://x.example.cn/"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "name" in errors and "body" in errors
    response = client.post(reverse("services_backoffice_register"), {
        "name": "x", "body": cluster.education.pk, "webhook_url": "https://u:p@x.example.cn/"})
    assert "用户名或密码" in response.context["form"].errors["webhook_url"][0]
    assert not BackOfficeSystem.objects.exists()


def test_editing_saves_through_the_action(cluster, objects):
    client = signed_in(administrator(cluster))
    system = objects["system"]
    url = reverse("services_backoffice_edit", args=[system.pk])
    assert 'value="教育审批系统"' in client.get(url).content.decode()
    response = client.post(url, {"name": "教育审批系统二期", "webhook_url": ""})
    assert response.status_code == 302
    system.refresh_from_db()
    assert (system.name, system.webhook_url, system.is_active) == ("教育审批系统二期", "", False)
    assert AuditEvent.objects.filter(action="services.back_office_system.updated").exists()
    response = client.post(url, {"name": "x", "webhook_url": "not a url", "is_active": "on"})
    assert response.status_code == 200 and "webhook_url" in response.context["form"].errors


def test_rotating_the_key_asks_first_then_shows_the_new_key(cluster, objects):
    client = signed_in(administrator(cluster))
    system = objects["system"]
    url = reverse("services_backoffice_rotate_key", args=[system.pk])
    page = client.get(url).content.decode()
    assert "旧密钥" in page and f"ck_{system.key_prefix}" in page
    old_digest = system.key_digest
    response = client.post(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    key = response.content.decode().split('id="api-key">')[1].split("<")[0]
    system.refresh_from_db()
    assert system.key_digest != old_digest
    assert system.key_digest == actions.back_office_key_digest(key)


def test_rotating_the_webhook_secret_shows_the_new_secret(cluster, objects):
    client = signed_in(administrator(cluster))
    system = objects["system"]
    response = client.post(reverse("services_backoffice_rotate_secret", args=[system.pk]))
    system.refresh_from_db()
    assert system.webhook_secret in response.content.decode()
    assert 'id="api-key"' not in response.content.decode()


def test_the_deliveries_list_offers_retry_for_failed_ones_and_retry_requeues(
        cluster, objects, django_capture_on_commit_callbacks):
    client = signed_in(administrator(cluster))
    system, delivery = objects["system"], objects["delivery"]
    page = client.get(reverse("services_backoffice_deliveries", args=[system.pk])).content.decode()
    retry_url = reverse("services_backoffice_delivery_retry", args=[delivery.pk])
    assert retry_url in page and "立即重试" in page
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(retry_url)
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == WebhookDeliveryStatus.PENDING and delivery.attempts == 0
    response = client.post(retry_url, follow=True)  # not failed any more: a message, no change
    assert "只有发送失败的回调可以重试" in response.content.decode()


def test_the_retry_route_takes_only_post(cluster, objects):
    client = signed_in(administrator(cluster))
    url = reverse("services_backoffice_delivery_retry", args=[objects["delivery"].pk])
    assert client.get(url).status_code == 405


def test_system_names_and_urls_are_escaped(cluster):
    actions.register_back_office_system(
        actor=administrator(cluster), name="<script>alert(1)</script>", body=cluster.education,
        webhook_url="https://x.example.cn/?a=<b>")
    page = signed_in(administrator(cluster)).get(
        reverse("services_backoffice_systems")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "a=<b>" not in page
