"""政民互动 settings in the admin: letter kinds, time limits, routing rules and Open311 keys,
each change through an action, for mailbox managers only."""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from chuangkou.core.models import AuditEvent
from chuangkou.mailbox.models import LetterKind, Open311ApiKey, ReplyTimeLimit, RoutingRule
from chuangkou.mailbox.queries import open311_api_key_for
from chuangkou.organizations.choices import Role

pytestmark = pytest.mark.django_db

DISPATCHER, SYSADMIN = Role.LETTER_DISPATCHER, Role.SYSTEM_ADMINISTRATOR


def manager(cluster, role=DISPATCHER) -> Client:
    client = Client()
    client.force_login(cluster.user("city", role))
    return client


def kind_data(**overrides):
    data = {"code": "jubao", "name": "举报", "description": "违法违纪线索",
            "reply_working_days": "15", "sort_order": "60", "is_active": "on"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --------------------------------------------------------------------------- letter kinds


@pytest.mark.parametrize("role", [DISPATCHER, SYSADMIN])
def test_managers_list_the_seeded_letter_kinds(cluster, role):
    page = manager(cluster, role).get(reverse("mailbox_kinds")).content.decode()
    for name in ("咨询", "求助", "投诉", "建议", "批评"):
        assert name in page


def test_a_new_letter_kind_is_created_through_the_action_and_audited(cluster):
    response = manager(cluster).post(reverse("mailbox_kind_add"), kind_data())
    assert response.status_code == 302 and response.url == reverse("mailbox_kinds")
    kind = LetterKind.objects.get(code="jubao")
    assert (kind.name, kind.reply_working_days, kind.is_active) == ("举报", 15, True)
    assert AuditEvent.objects.filter(action="mailbox.kind.created").count() == 1


def test_a_time_limit_outside_1_to_60_working_days_is_refused_on_the_field(cluster):
    response = manager(cluster).post(reverse("mailbox_kind_add"),
                                     kind_data(reply_working_days="0"))
    assert response.status_code == 200
    assert "reply_working_days" in response.context["form"].errors
    assert not LetterKind.objects.filter(code="jubao").exists()


def test_a_duplicate_kind_name_is_refused_on_the_name_field(cluster):
    response = manager(cluster).post(reverse("mailbox_kind_add"),
                                     kind_data(code="zixun2", name="咨询"))
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not LetterKind.objects.filter(code="zixun2").exists()


def test_editing_a_kind_keeps_its_code_and_can_deactivate_it(cluster):
    kind = LetterKind.objects.get(code="piping")
    client = manager(cluster)
    page = client.get(reverse("mailbox_kind_edit", args=[kind.pk])).content.decode()
    assert 'value="piping"' in page and "disabled" in page
    response = client.post(reverse("mailbox_kind_edit", args=[kind.pk]),
                           kind_data(code="changed", name="批评", reply_working_days="10",
                                     sort_order="50", is_active=None))
    assert response.status_code == 302
    kind.refresh_from_db()
    assert kind.code == "piping" and kind.reply_working_days == 10 and not kind.is_active
    assert AuditEvent.objects.filter(action="mailbox.kind.updated").count() == 1


def test_letter_kinds_have_no_delete_route(cluster):
    with pytest.raises(NoReverseMatch):
        reverse("mailbox_kind_delete", args=[1])


def test_letter_staff_without_manage_permission_get_403(cluster):
    client = Client()
    client.force_login(cluster.user("city", Role.LETTER_SUPERVISOR))
    for url in (reverse("mailbox_kinds"), reverse("mailbox_kind_add"),
                reverse("mailbox_time_limits"), reverse("mailbox_routing_rules"),
                reverse("mailbox_api_keys")):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("mailbox_kind_add"), kind_data()).status_code == 403
    assert not LetterKind.objects.filter(code="jubao").exists()


# --------------------------------------------------------------------------- time limits


def test_a_body_time_limit_is_set_and_cleared(cluster):
    kind = LetterKind.objects.get(code="tousu")
    client = manager(cluster)
    data = {"body": cluster.health.pk, "kind": kind.pk, "reply_working_days": "8"}
    assert client.post(reverse("mailbox_time_limits"), data).status_code == 302
    assert ReplyTimeLimit.objects.get(body=cluster.health, kind=kind).reply_working_days == 8
    page = client.get(reverse("mailbox_time_limits")).content.decode()
    assert "示例市卫生健康委员会" in page
    data["reply_working_days"] = ""
    assert client.post(reverse("mailbox_time_limits"), data).status_code == 302
    assert not ReplyTimeLimit.objects.filter(body=cluster.health, kind=kind).exists()


def test_a_time_limit_of_61_days_is_refused(cluster):
    kind = LetterKind.objects.get(code="tousu")
    response = manager(cluster).post(reverse("mailbox_time_limits"), {
        "body": cluster.health.pk, "kind": kind.pk, "reply_working_days": "61"})
    assert response.status_code == 200
    assert "reply_working_days" in response.context["form"].errors


# --------------------------------------------------------------------------- routing rules


def rule_data(cluster, **overrides):
    data = {"name": "学校相关", "priority": "10", "kind": "", "addressed_body": "",
            "keywords": "学校\n幼儿园\n学校", "target_body": cluster.education.pk,
            "is_active": "on"}
    data.update(overrides)
    return data


def test_routing_rule_is_created_edited_and_deleted(cluster):
    client = manager(cluster)
    assert client.post(reverse("mailbox_routing_rule_add"), rule_data(cluster)).status_code == 302
    rule = RoutingRule.objects.get()
    assert rule.keyword_list == ["学校", "幼儿园"]
    response = client.post(reverse("mailbox_routing_rule_edit", args=[rule.pk]),
                           rule_data(cluster, target_body=cluster.health.pk, priority="5"))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.target_body == cluster.health and rule.priority == 5
    url = reverse("mailbox_routing_rule_delete", args=[rule.pk])
    assert "学校相关" in client.get(url).content.decode()
    assert RoutingRule.objects.exists()  # a GET only asks
    assert client.post(url).status_code == 302
    assert not RoutingRule.objects.exists()
    assert {event.action for event in AuditEvent.objects.filter(
        action__startswith="mailbox.routing_rule.")} == {
        "mailbox.routing_rule.created", "mailbox.routing_rule.updated",
        "mailbox.routing_rule.deleted"}


def test_routing_rule_without_target_body_is_refused_on_the_field(cluster):
    response = manager(cluster).post(reverse("mailbox_routing_rule_add"),
                                     rule_data(cluster, target_body=""))
    assert response.status_code == 200
    assert "target_body" in response.context["form"].errors


def test_the_test_box_names_the_rule_a_text_would_match(cluster):
    client = manager(cluster)
    client.post(reverse("mailbox_routing_rule_add"), rule_data(cluster))
    kind = LetterKind.objects.get(code="zixun")
    url = reverse("mailbox_routing_rules")
    page = client.get(url, {"kind": kind.pk, "addressed_body": "",
                            "text": "孩子幼儿园门口车太多"}).content.decode()
    assert "匹配规则“学校相关”，交由示例市教育局办理" in page
    page = client.get(url, {"kind": kind.pk, "addressed_body": cluster.health.pk,
                            "text": "医院排队太久"}).content.decode()
    assert "按写信对象交由示例市卫生健康委员会办理" in page
    page = client.get(url, {"kind": kind.pk, "addressed_body": "",
                            "text": "医院排队太久"}).content.decode()
    assert "来信将进入待分办" in page


# --------------------------------------------------------------------------- Open311 keys


def test_api_key_is_shown_once_and_only_its_digest_is_kept(cluster):
    client = manager(cluster, SYSADMIN)
    response = client.post(reverse("mailbox_api_keys"), {"name": "城市服务App"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    plaintext = response.context["plaintext"]
    assert plaintext in response.content.decode()
    key = Open311ApiKey.objects.get()
    assert key.key_digest != plaintext and open311_api_key_for(plaintext) == key
    assert plaintext not in client.get(reverse("mailbox_api_keys")).content.decode()


def test_api_key_with_a_taken_name_is_refused_on_the_field(cluster):
    client = manager(cluster)
    client.post(reverse("mailbox_api_keys"), {"name": "12345热线"})
    response = client.post(reverse("mailbox_api_keys"), {"name": "12345热线"})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert Open311ApiKey.objects.count() == 1


def test_api_key_is_revoked_after_confirmation(cluster):
    client = manager(cluster)
    client.post(reverse("mailbox_api_keys"), {"name": "城市服务App"})
    key = Open311ApiKey.objects.get()
    url = reverse("mailbox_api_key_revoke", args=[key.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    key.refresh_from_db()
    assert not key.is_active
    response = client.post(url)  # a second revocation is refused, not an error page
    assert response.status_code == 200 and response.context["form"].non_field_errors()


def test_settings_menu_item_shows_only_to_managers(cluster):
    from chuangkou.mailbox.admin_views.configuration import may_manage_mailbox

    assert may_manage_mailbox(cluster.user("education", DISPATCHER))
    assert may_manage_mailbox(cluster.user("city", SYSADMIN))
    assert not may_manage_mailbox(cluster.user("city", Role.LETTER_SUPERVISOR))
    assert not may_manage_mailbox(cluster.user("city", Role.LETTER_HANDLER))
