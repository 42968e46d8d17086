"""通知模板 in the admin (Settings): the system administrator lists every kind, edits its
wording per channel with the errors on the fields, previews it, resets it; everyone else is
refused."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from wagtail.admin.menu import settings_menu

from chuangkou.core.models import AuditEvent
from chuangkou.notifications.choices import Channel
from chuangkou.notifications.models import NotificationTemplate
from chuangkou.organizations.choices import Role

from .support import CODE, NOTICE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_kinds")]

LIST = reverse("notifications_templates")


def edit_url(kind=NOTICE.code, channel=Channel.EMAIL):
    return reverse("notifications_template_edit", args=[kind, channel])


def reset_url(kind=NOTICE.code, channel=Channel.EMAIL):
    return reverse("notifications_template_reset", args=[kind, channel])


@pytest.fixture
def administrator(cluster, client):
    user = cluster.user("city", Role.SYSTEM_ADMINISTRATOR)
    client.force_login(user)
    return user


def test_only_the_system_administrator_finds_the_templates_in_the_settings_menu(
        cluster, administrator):
    request = RequestFactory().get("/admin/")
    request.user = administrator
    assert "notification-templates" in {
        item.name for item in settings_menu.menu_items_for_request(request)}
    request.user = cluster.user("education", Role.EDITOR)
    assert "notification-templates" not in {
        item.name for item in settings_menu.menu_items_for_request(request)}


@pytest.mark.parametrize("role", [Role.EDITOR, Role.SITE_ADMINISTRATOR, Role.AUDITOR,
                                  Role.ACCOUNT_OFFICER])
def test_other_staff_are_refused_every_template_screen(cluster, client, role):
    client.force_login(cluster.user("city", role))
    assert client.get(LIST).status_code == 403
    assert client.get(edit_url()).status_code == 403
    assert client.post(edit_url(), {"subject": "x", "body": "y"}).status_code == 403
    NotificationTemplate.objects.create(kind=NOTICE.code, channel=Channel.EMAIL, subject="受理",
                                        body="已受理")
    assert client.post(reset_url()).status_code == 403
    assert NotificationTemplate.objects.filter(body="已受理").exists()


def test_anonymous_visitors_are_sent_to_the_admin_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and reverse("wagtailadmin_login") in response.url


def test_the_list_shows_every_kind_its_variables_and_who_overrode_it(client, administrator):
    NotificationTemplate.objects.create(kind=NOTICE.code, channel=Channel.SMS,
                                        body="办件{{ number }}已受理。", updated_by=administrator)
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert NOTICE.label in html and NOTICE.code in html and "办件编号" in html
    assert "使用本单位模板" in html and administrator.get_username() in html
    assert edit_url(CODE.code, Channel.SMS) in html
    assert edit_url(CODE.code, Channel.SITE) not in html  # codes never go to the inbox


def test_the_editor_starts_from_the_default_wording(client, administrator):
    response = client.get(edit_url())
    assert response.status_code == 200
    form = response.context["form"]
    assert form["subject"].value() == NOTICE.subject and form["body"].value() == NOTICE.body
    assert "subject" not in client.get(edit_url(channel=Channel.SMS)).context["form"].fields


def test_a_preview_renders_the_draft_with_sample_values_and_saves_nothing(client,
                                                                          administrator):
    response = client.post(edit_url(), {"subject": "{{ item }}已受理",
                                         "body": "办件编号{{ number }}", "is_active": "on",
                                         "action": "preview"})
    assert response.status_code == 200
    assert response.context["preview"] == ("〔事项名称〕已受理", "办件编号〔办件编号〕")
    assert not NotificationTemplate.objects.exists()


def test_a_syntax_error_is_shown_on_the_body_field_and_nothing_is_saved(client, administrator):
    response = client.post(edit_url(), {"subject": "受理通知", "body": "{% if item %}未闭合",
                                         "is_active": "on", "action": "save"})
    assert response.status_code == 400
    assert "模板语法错误" in response.context["form"].errors["body"][0]
    assert not NotificationTemplate.objects.exists()


def test_saving_goes_through_the_action_and_is_audited(client, administrator):
    response = client.post(edit_url(), {"subject": "【示例市】{{ item }}已受理",
                                         "body": "办件编号{{ number }}。", "is_active": "on",
                                         "action": "save"})
    assert response.status_code == 302 and response.url == LIST
    template = NotificationTemplate.objects.get()
    assert (template.subject, template.is_active, template.updated_by) == (
        "【示例市】{{ item }}已受理", True, administrator)
    assert AuditEvent.objects.get(action="notifications.template_saved").actor == administrator


def test_resetting_to_the_default_deletes_the_template(client, administrator):
    NotificationTemplate.objects.create(kind=NOTICE.code, channel=Channel.EMAIL, subject="受理",
                                        body="已受理")
    assert client.get(reset_url()).status_code == 405
    response = client.post(reset_url())
    assert response.status_code == 302
    assert not NotificationTemplate.objects.exists()


@pytest.mark.parametrize("kind, channel", [("testing.no_such_notice", Channel.EMAIL),
                                           (CODE.code, Channel.SITE), (NOTICE.code, "fax")])
def test_a_kind_or_channel_that_does_not_exist_is_404(client, administrator, kind, channel):
    assert client.get(edit_url(kind, channel)).status_code == 404
    assert client.post(reset_url(kind, channel)).status_code == 404
