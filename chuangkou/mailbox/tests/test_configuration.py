"""Configuration actions: letter kinds, time limits, routing rules and Open311 keys; all need
``mailbox.manage_mailbox`` and are audited."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied

from chuangkou.core.models import AuditEvent
from chuangkou.mailbox import actions, queries
from chuangkou.mailbox.exceptions import MailboxRuleViolation
from chuangkou.mailbox.models import LetterKind, Open311ApiKey, ReplyTimeLimit, RoutingRule
from chuangkou.organizations.choices import Role

pytestmark = pytest.mark.django_db

NOT_MANAGERS = (Role.LETTER_HANDLER, Role.LETTER_REVIEWER, Role.LETTER_SUPERVISOR, Role.EDITOR,
                Role.AUDITOR)


@pytest.fixture
def manager(cluster):
    return cluster.user("city", Role.LETTER_DISPATCHER)


def zixun():
    return LetterKind.objects.get(code="zixun")


def test_seeded_kinds_are_there_and_active():
    assert list(LetterKind.objects.filter(is_active=True).order_by("sort_order")
                .values_list("code", "reply_working_days")) == [
        ("zixun", 5), ("qiuzhu", 10), ("tousu", 15), ("jianyi", 15), ("piping", 15)]


def test_manager_creates_a_letter_kind_and_it_is_audited(manager):
    kind = actions.save_letter_kind(actor=manager, code="qiuzhu-jinji", name="紧急求助",
                                    reply_working_days=2, sort_order=25)
    assert kind.pk and kind.is_active
    event = AuditEvent.objects.get(action="mailbox.kind.created")
    assert event.actor == manager and event.data["code"] == "qiuzhu-jinji"


def test_system_administrator_may_manage_the_mailbox(cluster):
    admin = cluster.user("city", Role.SYSTEM_ADMINISTRATOR)
    kind = actions.save_letter_kind(actor=admin, kind=zixun(), reply_working_days=7)
    assert kind.reply_working_days == 7


def test_updating_a_kind_records_only_what_changed_and_deactivates_instead_of_deleting(manager):
    kind = actions.save_letter_kind(actor=manager, kind=zixun(), is_active=False)
    assert not kind.is_active
    assert AuditEvent.objects.get(action="mailbox.kind.updated").data == {"is_active": False}
    assert "zixun" not in queries.active_letter_kinds().values_list("code", flat=True)


def test_kind_code_cannot_change_once_created(manager):
    with pytest.raises(MailboxRuleViolation) as caught:
        actions.save_letter_kind(actor=manager, kind=zixun(), code="zixun2")
    assert "code" in caught.value.errors


def test_kind_values_are_validated(manager):
    with pytest.raises(MailboxRuleViolation) as caught:
        actions.save_letter_kind(actor=manager, code="x", name="咨询", reply_working_days=0)
    assert {"name", "reply_working_days"} <= set(caught.value.errors)
    with pytest.raises(MailboxRuleViolation) as caught:
        actions.save_letter_kind(actor=manager, kind=zixun(), reply_working_days=61)
    assert "reply_working_days" in caught.value.errors
    with pytest.raises(MailboxRuleViolation):
        actions.save_letter_kind(actor=manager, kind=zixun(), letters=[])


def test_time_limit_is_set_changed_and_cleared(cluster, manager):
    limit = actions.set_reply_time_limit(actor=manager, body=cluster.education, kind=zixun(),
                                         reply_working_days=3)
    assert queries.time_limit_for(zixun(), cluster.education) == 3
    assert queries.time_limit_for(zixun(), cluster.health) == 5
    again = actions.set_reply_time_limit(actor=manager, body=cluster.education, kind=zixun(),
                                         reply_working_days=8)
    assert again.pk == limit.pk and ReplyTimeLimit.objects.count() == 1
    assert AuditEvent.objects.filter(action="mailbox.time_limit.set").order_by("pk").last().data["previous"] == 3
    assert actions.set_reply_time_limit(actor=manager, body=cluster.education, kind=zixun(),
                                        reply_working_days=None) is None
    assert queries.time_limit_for(zixun(), cluster.education) == 5
    assert AuditEvent.objects.filter(action="mailbox.time_limit.cleared").exists()


def test_time_limit_outside_1_to_60_days_is_refused(cluster, manager):
    for days in (0, 61):
        with pytest.raises(MailboxRuleViolation) as caught:
            actions.set_reply_time_limit(actor=manager, body=cluster.education, kind=zixun(),
                                         reply_working_days=days)
        assert "reply_working_days" in caught.value.errors
    assert not ReplyTimeLimit.objects.exists()


def test_routing_rule_keywords_are_stored_one_per_line(cluster, manager):
    rule = actions.save_routing_rule(actor=manager, name=" 教育类 ", target_body=cluster.education,
                                     keywords="学校\n  \n 幼儿园 \n学校\r\n")
    assert rule.name == "教育类"
    assert rule.keywords == "学校\n幼儿园"
    listed = actions.save_routing_rule(actor=manager, rule=rule, keywords=["高考", "中考"])
    assert listed.keyword_list == ["高考", "中考"]
    assert AuditEvent.objects.filter(action="mailbox.routing_rule.updated").exists()


def test_routing_rule_needs_a_target_body(manager):
    with pytest.raises(MailboxRuleViolation) as caught:
        actions.save_routing_rule(actor=manager, name="无目标", target_body=None)
    assert "target_body" in caught.value.errors


def test_routing_rule_is_deleted_and_audited(cluster, manager):
    rule = actions.save_routing_rule(actor=manager, name="卫生", target_body=cluster.health)
    actions.delete_routing_rule(actor=manager, rule=rule)
    assert not RoutingRule.objects.exists()
    assert AuditEvent.objects.get(action="mailbox.routing_rule.deleted").data["name"] == "卫生"


def test_open311_key_is_shown_once_and_stored_as_a_digest(manager):
    key, plaintext = actions.create_open311_api_key(name="12345热线", actor=manager)
    assert len(plaintext) >= 32
    stored = Open311ApiKey.objects.get(pk=key.pk)
    assert stored.key_digest == hashlib.sha256(plaintext.encode()).hexdigest()
    assert stored.key_prefix == plaintext[:8]
    assert plaintext not in str(AuditEvent.objects.get(action="mailbox.open311_key.created").data)
    assert queries.open311_api_key_for(plaintext) == key
    assert queries.open311_api_key_for(plaintext + "x") is None
    assert queries.open311_api_key_for("") is None


def test_two_keys_with_the_same_name_are_refused(manager):
    actions.create_open311_api_key(name="移动端", actor=manager)
    with pytest.raises(MailboxRuleViolation) as caught:
        actions.create_open311_api_key(name="移动端", actor=manager)
    assert "name" in caught.value.errors


def test_revoked_key_no_longer_authenticates(manager):
    key, plaintext = actions.create_open311_api_key(name="移动端", actor=manager)
    actions.revoke_open311_api_key(key=key, actor=manager)
    assert queries.open311_api_key_for(plaintext) is None
    assert AuditEvent.objects.filter(action="mailbox.open311_key.revoked").exists()
    with pytest.raises(MailboxRuleViolation):
        actions.revoke_open311_api_key(key=key, actor=manager)


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_staff_without_manage_mailbox_may_not_change_configuration(cluster, manager, role):
    outsider = cluster.user("city", role)
    rule = actions.save_routing_rule(actor=manager, name="卫生", target_body=cluster.health)
    key, _plaintext = actions.create_open311_api_key(name="移动端", actor=manager)
    attempts = [
        lambda: actions.save_letter_kind(actor=outsider, code="new", name="新类型",
                                         reply_working_days=5),
        lambda: actions.save_letter_kind(actor=outsider, kind=zixun(), is_active=False),
        lambda: actions.set_reply_time_limit(actor=outsider, body=cluster.health, kind=zixun(),
                                             reply_working_days=3),
        lambda: actions.clear_reply_time_limit(actor=outsider, body=cluster.health,
                                               kind=zixun()),
        lambda: actions.save_routing_rule(actor=outsider, name="x", target_body=cluster.health),
        lambda: actions.save_routing_rule(actor=outsider, rule=rule, is_active=False),
        lambda: actions.delete_routing_rule(actor=outsider, rule=rule),
        lambda: actions.create_open311_api_key(name="另一个", actor=outsider),
        lambda: actions.revoke_open311_api_key(key=key, actor=outsider),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert RoutingRule.objects.get().is_active and Open311ApiKey.objects.get().is_active
    assert zixun().is_active


def test_anonymous_may_not_change_configuration():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        actions.create_open311_api_key(name="匿名", actor=AnonymousUser())
