"""The admin screens for bodies (机构) and staff roles (机构角色)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Collection

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import BodyKind, Role
from chuangkou.organizations.models import Body, Membership, RoleGroup
from chuangkou.organizations.permissions import BODY_ROLES
from chuangkou.organizations.tests.factories import UserFactory, make_credit_code

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("wagtailadmin_home")


def body_form(**overrides):
    data = {
        "parent": "", "name": "示例市数据资源管理局", "short_name": "市数据局", "slug": "data",
        "kind": BodyKind.DEPARTMENT, "credit_code": make_credit_code(777),
        "division_code": "330100", "address": "示例市人民大道1号", "phone": "0571-12345678",
        "office_hours": "工作日 9:00-17:00",
    }
    data.update(overrides)
    return data


def assert_refused(response):
    assert response.status_code in (302, 403, 404), response.status_code
    if response.status_code == 302:
        assert response.url.startswith((DASHBOARD, reverse("wagtailadmin_login")))


def test_system_administrator_sees_the_bodies_in_tree_order_indented(client, cluster):
    client.force_login(cluster.user("city", Role.SYSTEM_ADMINISTRATOR))
    response = client.get(reverse("bodies:index"))
    assert response.status_code == 200
    html = response.content.decode()
    names = [cluster.city.name, cluster.district.name, cluster.health.name,
             cluster.education.name]
    expected_order = [body.name for body in Body.objects.order_by("path")]
    assert sorted(names, key=expected_order.index) == expected_order
    positions = [html.index(name) for name in expected_order]
    assert positions == sorted(positions)
    assert f"└ {cluster.education.name}" in html
    assert "新建" in html or reverse("bodies:add") in html


@pytest.mark.parametrize("role", [Role.SITE_ADMINISTRATOR, Role.EDITOR, Role.AUDITOR])
def test_only_system_administrators_reach_the_body_screens(client, cluster, role):
    client.force_login(cluster.user("education", role))
    for url in (reverse("bodies:index"), reverse("bodies:add"),
                reverse("bodies:edit", args=[cluster.education.pk])):
        response = client.get(url)
        assert_refused(response)
        assert cluster.education.credit_code not in response.content.decode()
    response = client.post(reverse("bodies:add"), body_form())
    assert_refused(response)
    assert not Body.objects.filter(slug="data").exists()


def test_creating_a_body_under_a_parent_goes_through_the_action(client, cluster):
    actor = cluster.user("city", Role.SYSTEM_ADMINISTRATOR)
    client.force_login(actor)
    response = client.post(reverse("bodies:add"), body_form(parent=cluster.city.pk))
    assert response.status_code == 302, response.context and response.context["form"].errors
    body = Body.objects.get(slug="data")
    assert body.get_parent() == cluster.city
    assert body.collection is not None
    assert RoleGroup.objects.filter(body=body).count() == len(BODY_ROLES)
    event = AuditEvent.objects.get(action="body.created", target_id=str(body.pk))
    assert event.actor == actor and event.client_address == "127.0.0.1"


def test_invalid_credit_code_shows_the_gb_32100_message_on_its_field_and_saves_nothing(
        client, cluster):
    client.force_login(cluster.user("city", Role.SYSTEM_ADMINISTRATOR))
    code = make_credit_code(777)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    counts = (Body.objects.count(), Group.objects.count(), Collection.objects.count())
    response = client.post(reverse("bodies:add"), body_form(credit_code=wrong))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["credit_code"]
    assert "GB 32100-2015" in errors["credit_code"][0]
    assert "GB 32100-2015" in response.content.decode()
    assert (Body.objects.count(), Group.objects.count(), Collection.objects.count()) == counts
    assert not AuditEvent.objects.filter(action="body.created", data__credit_code=wrong).exists()


def test_a_duplicate_credit_code_refused_by_the_action_lands_on_its_field(client, cluster):
    client.force_login(cluster.user("city", Role.SYSTEM_ADMINISTRATOR))
    counts = (Body.objects.count(), Collection.objects.count())
    response = client.post(reverse("bodies:add"),
                           body_form(credit_code=cluster.education.credit_code))
    assert response.status_code == 200
    assert "credit_code" in response.context["form"].errors
    assert (Body.objects.count(), Collection.objects.count()) == counts


def test_editing_a_body_calls_update_body_with_the_changed_fields(client, cluster):
    actor = cluster.user("city", Role.SYSTEM_ADMINISTRATOR)
    client.force_login(actor)
    url = reverse("bodies:edit", args=[cluster.education.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert cluster.education.credit_code in response.content.decode()
    data = body_form(name=cluster.education.name, short_name=cluster.education.short_name,
                     slug=cluster.education.slug, credit_code=cluster.education.credit_code,
                     division_code=cluster.education.division_code, phone="0571-87654321")
    data.pop("parent")
    response = client.post(url, data)
    assert response.status_code == 302
    cluster.education.refresh_from_db()
    assert cluster.education.phone == "0571-87654321"
    event = AuditEvent.objects.get(action="body.updated", target_id=str(cluster.education.pk))
    assert event.actor == actor
    assert event.data["after"]["phone"] == "0571-87654321"
    assert "name" not in event.data["after"]


def test_editing_a_body_with_a_bad_division_code_changes_nothing(client, cluster):
    client.force_login(cluster.user("city", Role.SYSTEM_ADMINISTRATOR))
    url = reverse("bodies:edit", args=[cluster.education.pk])
    data = body_form(name="改名后的教育局", short_name=cluster.education.short_name,
                     slug=cluster.education.slug, credit_code=cluster.education.credit_code,
                     division_code="99")
    data.pop("parent")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "division_code" in response.context["form"].errors
    cluster.education.refresh_from_db()
    assert cluster.education.name == "示例市教育局"


def test_membership_list_filters_by_body_and_role(client, cluster):
    for body, role in (("education", Role.EDITOR), ("education", Role.REVIEWER),
                       ("health", Role.EDITOR)):
        cluster.user(body, role)
    client.force_login(cluster.user("city", Role.SYSTEM_ADMINISTRATOR))
    response = client.get(reverse("memberships:index"),
                          {"body": cluster.education.pk, "role": Role.EDITOR})
    assert response.status_code == 200
    html = response.content.decode()
    assert "education-editor" in html
    assert "education-reviewer" not in html
    assert "health-editor" not in html


def test_granting_and_removing_a_role_through_the_admin(client, cluster):
    actor = cluster.user("city", Role.SYSTEM_ADMINISTRATOR)
    newcomer = UserFactory(username="newcomer")
    client.force_login(actor)
    response = client.post(reverse("memberships:add"), {
        "user": newcomer.pk, "body": cluster.education.pk, "role": Role.REVIEWER})
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    group = RoleGroup.objects.get(body=cluster.education, role=Role.REVIEWER).group
    assert group in newcomer.groups.all()
    assert AuditEvent.objects.filter(action="membership.added", actor=actor).exists()

    delete_url = reverse("memberships:delete", args=[membership.pk])
    response = client.get(delete_url)
    assert response.status_code == 200 and "撤销" in response.content.decode()
    response = client.post(delete_url)
    assert response.status_code == 302
    assert not Membership.objects.filter(user=newcomer).exists()
    assert group not in newcomer.groups.all()
    assert AuditEvent.objects.filter(action="membership.removed", actor=actor).exists()


def test_an_unknown_role_is_refused_on_the_role_field(client, cluster):
    client.force_login(cluster.user("city", Role.SYSTEM_ADMINISTRATOR))
    newcomer = UserFactory(username="newcomer")
    response = client.post(reverse("memberships:add"), {
        "user": newcomer.pk, "body": cluster.education.pk, "role": "overlord"})
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not Membership.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize("role", [Role.SITE_ADMINISTRATOR, Role.AUDITOR])
def test_only_system_administrators_grant_or_remove_roles(client, cluster, role):
    client.force_login(cluster.user("education", role))
    membership = Membership.objects.get(user=cluster.user("education", Role.EDITOR))
    assert_refused(client.get(reverse("memberships:index")))
    assert_refused(client.post(reverse("memberships:delete", args=[membership.pk])))
    assert Membership.objects.filter(pk=membership.pk).exists()
    newcomer = UserFactory(username="newcomer")
    assert_refused(client.post(reverse("memberships:add"), {
        "user": newcomer.pk, "body": cluster.education.pk, "role": Role.SITE_ADMINISTRATOR}))
    assert not Membership.objects.filter(user=newcomer).exists()


def test_body_screens_have_no_delete_history_or_copy_routes(client, cluster):
    client.force_login(cluster.user("city", Role.SYSTEM_ADMINISTRATOR))
    for suffix in ("delete", "history", "usage", "copy"):
        response = client.get(f"/admin/bodies/{suffix}/{cluster.education.pk}/")
        assert response.status_code == 404, suffix
