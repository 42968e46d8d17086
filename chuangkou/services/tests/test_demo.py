"""The services demo: bodies, staff in every services role, a catalogue of at least 110 real
items across every theme, channel, kind, depth and level, loaded idempotently."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count

from chuangkou.organizations.choices import BodyKind
from chuangkou.organizations.models import Body, Membership

from .. import demo as services_demo
from ..choices import OnlineDepth, ServiceItemKind
from ..completeness import missing_elements
from ..demo.catalogue_data import DEMO_ITEMS
from ..demo.people import SERVICE_ACCOUNTS, SERVICE_ROLES
from ..models import ServiceItem, ServiceTheme, UserChannel

pytestmark = pytest.mark.django_db


def test_the_demo_loads_a_complete_catalogue_and_a_second_run_changes_nothing(monkeypatch):
    # The other parts' demo loaders have tests of their own.
    monkeypatch.setattr(services_demo, "DEMO_PARTS", ())
    first = services_demo.load_services_demo()
    assert first.items_created >= 110
    items = ServiceItem.objects.select_related("implementing_body").prefetch_related(
        "themes", "channels", "materials", "steps", "form_fields")
    assert items.count() == len(DEMO_ITEMS) >= 110
    assert all(item.is_published for item in items)

    # Every theme (10 personal, 12 enterprise) has at least three items, every channel some.
    per_theme = ServiceTheme.objects.annotate(n=Count("items"))
    assert per_theme.count() == 22
    assert min(theme.n for theme in per_theme) >= 3, [(t.name, t.n) for t in per_theme]
    per_channel = UserChannel.objects.annotate(n=Count("items"))
    assert per_channel.count() == 6 and min(channel.n for channel in per_channel) >= 1

    assert {item.kind for item in items} == set(ServiceItemKind.values)
    depths = Counter(item.online_depth for item in items)
    assert set(depths) == set(OnlineDepth.values)
    online = [item for item in items if item.online_depth >= OnlineDepth.ONLINE_APPLICATION]
    assert len(online) >= 30
    for item in online:
        assert 2 <= len(item.form_fields.all()) <= 6, item.name
        assert any(material.upload_required for material in item.materials.all()), item.name

    kinds = Counter(item.implementing_body.kind for item in items)
    assert kinds[BodyKind.DEPARTMENT] and kinds[BodyKind.CITY_GOVERNMENT]
    assert kinds[BodyKind.DISTRICT_GOVERNMENT] and kinds[BodyKind.COMMUNITY] >= 3
    street = [item for item in items if item.implementing_body.kind == BodyKind.STREET_OFFICE]
    assert len(street) >= 15
    assert sum(item.is_instant for item in street) >= 8
    assert {item.implementing_body.slug for item in items} >= {
        "city", "education", "health", "justice", "dongcheng", "dongcheng-minzheng",
        "dongcheng-donghu", "dongcheng-donghu-binhu"}
    assert sum(item.charges_fee for item in items) >= 3
    assert all(item.fee_standard and "元" in item.fee_standard
               for item in items if item.charges_fee)
    assert any(item.required_identity != "none" for item in items)
    proxied = {item.implementing_body.slug for item in items if item.accepts_proxy}
    assert {"dongcheng-minzheng", "justice"} <= proxied

    incomplete = [item for item in items if missing_elements(
        item, materials=item.materials.all(), steps=item.steps.all())]
    assert 8 <= len(incomplete) <= 14
    for item in items:
        assert "lorem" not in (item.summary + item.legal_basis).lower()

    # The two bodies the services demo adds, in their place in the tree.
    minzheng = Body.objects.get(slug="dongcheng-minzheng")
    assert minzheng.get_parent().slug == "dongcheng" and minzheng.kind == BodyKind.DEPARTMENT
    binhu = Body.objects.get(slug="dongcheng-donghu-binhu")
    assert binhu.get_parent().slug == "dongcheng-donghu" and binhu.kind == BodyKind.COMMUNITY

    # Every services role is held in at least two bodies.
    for role in SERVICE_ROLES:
        bodies = set(Membership.objects.filter(role=role).values_list("body__slug", flat=True))
        assert len(bodies) >= 2, role
    assert first.accounts_created == len(SERVICE_ACCOUNTS)

    stamps = dict(ServiceItem.objects.values_list("code", "updated_at"))
    memberships = Membership.objects.count()
    bodies = Body.objects.count()
    second = services_demo.load_services_demo()
    assert (second.items_created, second.items_updated) == (0, 0)
    assert second.items_unchanged == len(DEMO_ITEMS)
    assert (second.bodies_created, second.accounts_created) == (0, 0)
    assert dict(ServiceItem.objects.values_list("code", "updated_at")) == stamps
    assert Membership.objects.count() == memberships and Body.objects.count() == bodies


def test_parts_not_written_yet_are_skipped_with_a_note(monkeypatch):
    monkeypatch.setattr(services_demo, "ensure_bodies", lambda: ({}, 0))
    monkeypatch.setattr(services_demo, "ensure_service_accounts", lambda bodies: 0)
    monkeypatch.setattr(services_demo, "load_catalogue_demo",
                        lambda: type("Report", (), {"created": 0, "updated": 0,
                                                    "unchanged": 0})())
    monkeypatch.setattr(services_demo, "DEMO_PARTS", (("no_such_part", "load_no_such_part_demo"),
                                                      ("people", "load_people_demo")))
    output = io.StringIO()
    summary = services_demo.load_services_demo(stdout=output)
    assert summary.parts["no_such_part"].startswith("跳过")
    assert summary.parts["people"] == "跳过（没有 load_people_demo）"
    assert "no_such_part：模块不存在" in output.getvalue()


def test_list_accounts_prints_every_services_account_without_loading():
    output = io.StringIO()
    call_command("load_services_demo", "--list-accounts", stdout=output)
    text = output.getvalue()
    for account in SERVICE_ACCOUNTS:
        assert account.username in text
    assert "事项管理员" in text and "办件人员" in text and "政务服务督办员" in text
    assert not ServiceItem.objects.exists()
