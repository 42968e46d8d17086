"""Every 政民互动 admin route for every role of every body in the cluster, and for anonymous
visitors: the expected answer (200, 302, 403 or 404) written out as a table.

The letter is a 咨询 letter written to and handled by the education bureau (办理中). Staff who
may see it get its pages; letter staff who may not see it get 404 (they cannot tell whether it
exists); staff without letter work get 403; anonymous visitors are sent to the login page.
A form that does not apply to the letter's state sends permitted users back to the letter (302).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chuangkou.mailbox import actions
from chuangkou.mailbox.models import LetterKind
from chuangkou.organizations.choices import Role
from chuangkou.organizations.tests.role_tables import everyone, who_id

from .factories import make_letter

pytestmark = pytest.mark.django_db

BODIES = ("city", "education", "health", "dongcheng")
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
       b"\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82")

# Who may do what on the education bureau's letter (besides seeing it).
SEES_LETTER = {("education", Role.LETTER_HANDLER), ("education", Role.LETTER_REVIEWER),
               ("education", Role.LETTER_DISPATCHER), ("education", Role.LETTER_SUPERVISOR),
               ("city", Role.LETTER_DISPATCHER), ("city", Role.LETTER_SUPERVISOR)}
HANDLES = {("education", Role.LETTER_HANDLER), ("education", Role.LETTER_REVIEWER)}
REVIEWS = {("education", Role.LETTER_REVIEWER), ("education", Role.LETTER_SUPERVISOR),
           ("city", Role.LETTER_SUPERVISOR)}
DISPATCHES = {("education", Role.LETTER_DISPATCHER), ("city", Role.LETTER_DISPATCHER)}
SUPERVISES = {("education", Role.LETTER_SUPERVISOR), ("city", Role.LETTER_SUPERVISOR)}
PUBLISHES = REVIEWS
SEES_WRITER = HANDLES | DISPATCHES
LETTER_ROLES = {Role.LETTER_HANDLER, Role.LETTER_REVIEWER, Role.LETTER_DISPATCHER,
                Role.LETTER_SUPERVISOR}
MANAGER_ROLES = {Role.LETTER_DISPATCHER, Role.SYSTEM_ADMINISTRATOR}
STATISTICS_ROLES = {Role.LETTER_DISPATCHER, Role.LETTER_SUPERVISOR}

# action → (who may use it, whether it applies to a letter being handled)
ACTION_TABLE = {
    "release": (DISPATCHES, False), "refuse": (DISPATCHES, False),
    "dispatch": (DISPATCHES, False), "forward": (DISPATCHES, True),
    "merge": (DISPATCHES, True), "return": (HANDLES, True),
    "save_draft": (HANDLES, True), "submit_reply": (HANDLES, True),
    "request_extension": (HANDLES, True), "answer_urge": (HANDLES, False),
    "approve_reply": (REVIEWS, False), "return_reply": (REVIEWS, False),
    "decide_extension": (REVIEWS, False), "urge": (SUPERVISES, True),
    "close_follow_up": (SUPERVISES, False), "publish": (PUBLISHES, False),
    "unpublish": (PUBLISHES, False),
}


@pytest.fixture
def objects(cluster):
    letter = make_letter(cluster=cluster, addressed_body=cluster.education, attachments=[
        SimpleUploadedFile("照片.png", PNG, content_type="image/png")])
    manager = cluster.user("city", Role.SYSTEM_ADMINISTRATOR)
    rule = actions.save_routing_rule(actor=manager, name="学校", priority=10, kind=None,
                                     addressed_body=None, keywords="学校",
                                     target_body=cluster.education, is_active=True)
    key, _plaintext = actions.create_open311_api_key(name="城市服务App", actor=manager)
    return {"letter": letter, "attachment": letter.attachments.get(), "rule": rule, "key": key,
            "kind": LetterKind.objects.get(code="zixun")}


def routes(objects):
    """(name, method, url, data) of every mailbox admin route this part registers."""
    number = objects["letter"].number
    yield "letters", "get", reverse("mailbox_letters"), None
    yield "letter", "get", reverse("mailbox_letter_detail", args=[number]), None
    yield "writer", "post", reverse("mailbox_letter_writer", args=[number]), None
    yield "attachment", "get", reverse("mailbox_letter_attachment",
                                       args=[number, objects["attachment"].pk]), None
    for action in ACTION_TABLE:
        yield action, "get", reverse("mailbox_letter_action", args=[number, action]), None
    yield "kinds", "get", reverse("mailbox_kinds"), None
    yield "kind_add", "get", reverse("mailbox_kind_add"), None
    yield "kind_edit", "get", reverse("mailbox_kind_edit", args=[objects["kind"].pk]), None
    yield "time_limits", "get", reverse("mailbox_time_limits"), None
    yield "rules", "get", reverse("mailbox_routing_rules"), None
    yield "rule_add", "get", reverse("mailbox_routing_rule_add"), None
    yield "rule_edit", "get", reverse("mailbox_routing_rule_edit",
                                      args=[objects["rule"].pk]), None
    yield "rule_delete", "get", reverse("mailbox_routing_rule_delete",
                                        args=[objects["rule"].pk]), None
    yield "api_keys", "get", reverse("mailbox_api_keys"), None
    yield "api_key_revoke", "get", reverse("mailbox_api_key_revoke",
                                           args=[objects["key"].pk]), None
    yield "statistics", "get", reverse("mailbox_statistics"), None
    yield "statistics_export", "post", reverse("mailbox_statistics_export"), {"year": "2026"}
    # The hotline exchange screen hangs in the same menu (EXCHANGE part; its forms are tested
    # in test_admin_exchange).
    yield "hotline", "get", reverse("mailbox_hotline"), None


def expected(who, route: str) -> int:
    if who is None:
        return 302  # to the admin login
    _body, role = who
    if route in {"kinds", "kind_add", "kind_edit", "time_limits", "rules", "rule_add",
                 "rule_edit", "rule_delete", "api_keys", "api_key_revoke"}:
        return 200 if role in MANAGER_ROLES else 403
    if route == "hotline":
        return 200 if role in MANAGER_ROLES else 403
    if route in {"statistics", "statistics_export"}:
        return 200 if role in STATISTICS_ROLES else 403
    if role not in LETTER_ROLES:
        return 403
    if route == "letters":
        return 200
    if who not in SEES_LETTER:
        return 404
    if route in {"letter", "attachment"}:
        return 200
    if route == "writer":
        return 200 if who in SEES_WRITER else 403
    allowed, applies = ACTION_TABLE[route]
    if who not in allowed:
        return 403
    return 200 if applies else 302


EVERYONE = everyone(BODIES, every_role_in=("city", "education"), domain_roles=LETTER_ROLES)


@pytest.mark.parametrize("who", EVERYONE, ids=who_id)
def test_every_route_answers_every_role_as_the_table_says(cluster, objects, who):
    client = Client()
    if who is not None:
        client.force_login(cluster.user(*who))
    wrong = []
    for name, method, url, data in routes(objects):
        response = getattr(client, method)(url, data or {})
        if response.status_code != expected(who, name):
            wrong.append((name, response.status_code, expected(who, name)))
    assert not wrong, wrong


def test_the_table_covers_every_action_of_the_letter_screens():
    from chuangkou.mailbox.admin_views.letters import ACTIONS

    assert set(ACTIONS) == set(ACTION_TABLE)


@pytest.mark.parametrize("who", [("health", Role.LETTER_HANDLER), ("health", Role.LETTER_REVIEWER),
                                 ("dongcheng", Role.LETTER_DISPATCHER),
                                 ("dongcheng", Role.LETTER_SUPERVISOR),
                                 ("city", Role.LETTER_HANDLER)])
def test_staff_outside_the_scope_never_see_the_letter_or_the_writer(cluster, objects, who):
    client = Client()
    client.force_login(cluster.user(*who))
    letter = objects["letter"]
    for tab in ("dispatch", "mine", "review", "supervise", "all"):
        page = client.get(reverse("mailbox_letters"), {"tab": tab, "q": letter.number})
        assert reverse("mailbox_letter_detail", args=[letter.number]) not in (
            page.content.decode()), tab
        assert page.context["page"].paginator.count == 0, tab
    for _name, method, url, data in routes(objects):
        response = getattr(client, method)(url, data or {})
        if not response.get("Content-Type", "").startswith("text/"):
            continue  # the statistics workbook: figures only, checked in test_admin_statistics
        page = response.content.decode()
        assert "王小明" not in page and "13912345678" not in page, url


def test_menu_shows_each_item_only_to_who_may_use_it(cluster):
    from wagtail.admin.menu import admin_menu  # noqa: F401 (the hooks register on import)

    from chuangkou.mailbox.hooks.menu import mailbox_menu

    def shown(who):
        client = Client()
        client.force_login(cluster.user(*who))
        request = client.get(reverse("wagtailadmin_home")).wsgi_request
        return {item.name for item in mailbox_menu.menu_items_for_request(request)}

    assert {"mailbox-letters"} <= shown(("education", Role.LETTER_HANDLER))
    assert "mailbox-settings" not in shown(("education", Role.LETTER_HANDLER))
    assert "mailbox-statistics" not in shown(("education", Role.LETTER_HANDLER))
    assert {"mailbox-letters", "mailbox-settings", "mailbox-statistics"} <= shown(
        ("city", Role.LETTER_DISPATCHER))
    assert {"mailbox-letters", "mailbox-statistics"} <= shown(("city", Role.LETTER_SUPERVISOR))
    sysadmin = shown(("city", Role.SYSTEM_ADMINISTRATOR))
    assert "mailbox-settings" in sysadmin and "mailbox-letters" not in sysadmin
    assert not {"mailbox-letters", "mailbox-settings", "mailbox-statistics"} & shown(
        ("education", Role.EDITOR))
