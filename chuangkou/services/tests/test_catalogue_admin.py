"""事项管理 in the admin: every route against every role (the table), the list with its filters
and missing elements, the create/edit form with its four formsets (errors on the right row,
rows added and deleted without JavaScript), publish and unpublish."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role

from ..models import ServiceItem
from .factories import make_item
from .role_tables import everyone, who_id

pytestmark = pytest.mark.django_db

BODIES = ("city", "education", "health", "dongcheng")
EXTRA = 3


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def empty_rows(prefix: str, start: int, count: int = EXTRA) -> dict:
    """Extra rows as a browser sends them untouched (checkboxes that start ticked stay on)."""
    data = {}
    for index in range(start, start + count):
        if prefix == "materials":
            data.update({f"{prefix}-{index}-form": "original", f"{prefix}-{index}-copies": "1",
                         f"{prefix}-{index}-is_required": "on"})
        if prefix == "form_fields":
            data.update({f"{prefix}-{index}-kind": "text",
                         f"{prefix}-{index}-is_required": "on"})
    return data


def post_data(body, *, code="330100-JY-0001", name="义务教育阶段转学申请", materials=(),
              steps=(), faqs=(), form_fields=(), initial=None, **item) -> dict:
    """The form as a browser posts it: item fields, then each formset's rows and 3 empty rows.
    ``initial`` gives the number of existing rows per formset (for edits)."""
    initial = initial or {}
    data = {"code": code, "name": name, "kind": "public_service", "implementing_body": body.pk,
            "audience": "person", "legal_basis": "《义务教育法》", "acceptance_conditions": "适龄。",
            "place": "政务服务中心", "office_hours": "工作日", "legal_time_limit_days": "20",
            "promised_time_limit_days": "5", "consultation_phone": "0571-1234567",
            "complaint_phone": "12345", "visits_required": "1", "online_depth": "3",
            "required_identity": "none", "sort_order": "0", "themes": [], "channels": [],
            "delivery_methods": []}
    data.update(item)
    for prefix, rows in (("materials", materials), ("steps", steps), ("faqs", faqs),
                         ("form_fields", form_fields)):
        count = initial.get(prefix, 0)
        total = max(len(rows), count) + EXTRA
        data.update(management(prefix, total, count))
        for index, row in enumerate(rows):
            data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
        data.update(empty_rows(prefix, max(len(rows), count)))
    return data


MATERIAL = {"name": "居民身份证", "form": "original", "copies": "1", "is_required": "on"}
UPLOAD = {"name": "转学申请表", "form": "electronic", "copies": "1", "is_required": "on",
          "upload_required": "on"}
STEP = {"name": "受理"}
FAQ = {"question": "要多久？", "answer": "五个工作日。"}
FIELD = {"name": "student_name", "label": "学生姓名", "kind": "text", "is_required": "on"}


def login(client, cluster, body="education", role=Role.SERVICE_ITEM_MANAGER):
    user = cluster.user(body, role)
    client.force_login(user)
    return user


# --------------------------------------------------------------------------- the role table


@pytest.fixture
def objects(cluster):
    return {"draft": make_item(body=cluster.education, code="ADM-0001", published=False),
            "published": make_item(body=cluster.education, code="ADM-0002")}


def routes(objects):
    draft, published = objects["draft"], objects["published"]
    yield "list", "get", reverse("services_items")
    yield "add", "get", reverse("services_item_add")
    yield "edit", "get", reverse("services_item_edit", args=[draft.pk])
    yield "publish", "post", reverse("services_item_publish", args=[draft.pk])
    yield "unpublish", "post", reverse("services_item_unpublish", args=[published.pk])


def expected(who, route: str) -> int:
    """Who gets what: anonymous → login (302); a manager of the education bureau → the page
    (200; publishing redirects back, 302); a manager of another body → the list and the add
    page (their own bodies) but 403 on the education bureau's items; every other role, the
    system administrator and the auditor included → 403."""
    if who is None:
        return 302
    body, role = who
    if role != Role.SERVICE_ITEM_MANAGER:
        return 403
    if route in ("list", "add"):
        return 200
    if body != "education":
        return 403
    return 302 if route in ("publish", "unpublish") else 200


EVERYONE = everyone(BODIES, every_role_in=("city", "education"))


@pytest.mark.parametrize("who", EVERYONE, ids=who_id)
def test_every_route_answers_every_role_as_the_table_says(cluster, objects, who):
    client = Client()
    if who is not None:
        client.force_login(cluster.user(*who))
    wrong = []
    for name, method, url in routes(objects):
        response = getattr(client, method)(url)
        if response.status_code != expected(who, name):
            wrong.append((name, response.status_code, expected(who, name)))
        if who is None:
            assert "/login/" in response["Location"]
    assert not wrong, wrong
    assert ServiceItem.objects.get(pk=objects["draft"].pk).is_published == (
        who == ("education", Role.SERVICE_ITEM_MANAGER))


def test_a_post_to_another_bodys_item_changes_nothing(client, cluster, objects):
    login(client, cluster, "health")
    item = objects["draft"]
    response = client.post(reverse("services_item_edit", args=[item.pk]),
                           post_data(cluster.education, code=item.code, name="改掉"))
    assert response.status_code == 403
    assert ServiceItem.objects.get(pk=item.pk).name == item.name


def test_an_unknown_item_is_404_for_a_manager(client, cluster):
    login(client, cluster)
    assert client.get(reverse("services_item_edit", args=[999999])).status_code == 404


def test_the_menu_item_shows_only_to_item_managers(cluster):
    from wagtail.admin.menu import admin_menu  # noqa: F401 (the hooks register on import)

    from ..hooks.menu import services_menu

    def shown(who):
        client = Client()
        client.force_login(cluster.user(*who))
        request = client.get(reverse("wagtailadmin_home")).wsgi_request
        return {item.name for item in services_menu.menu_items_for_request(request)}

    assert "services-items" in shown(("education", Role.SERVICE_ITEM_MANAGER))
    for role in (Role.SERVICE_HANDLER, Role.SERVICE_SUPERVISOR, Role.SYSTEM_ADMINISTRATOR,
                 Role.AUDITOR):
        assert "services-items" not in shown(("education", role)), role


# --------------------------------------------------------------------------- the list


def test_the_list_shows_only_the_managers_items_with_their_missing_elements(client, cluster):
    complete = make_item(body=cluster.education, code="LST-0001", name="完整事项")
    lacking = make_item(body=cluster.education, code="LST-0002", name="缺要素事项")
    ServiceItem.objects.filter(pk=lacking.pk).update(place="", consultation_phone="")
    make_item(body=cluster.health, code="LST-0003", name="卫健事项")
    login(client, cluster)

    page = client.get(reverse("services_items")).content.decode()

    assert complete.name in page and lacking.name in page and "卫健事项" not in page
    assert "缺要素：办理地点、咨询电话" in page
    only_lacking = client.get(reverse("services_items"), {"incomplete": "yes"})
    assert [row.item.pk for row in only_lacking.context["page"]] == [lacking.pk]


def test_the_list_filters_by_published_depth_body_and_search(client, cluster):
    draft = make_item(body=cluster.education, code="FLT-0001", published=False,
                      online_depth=4)
    make_item(body=cluster.education, code="FLT-0002")
    login(client, cluster)
    url = reverse("services_items")

    def pks(params):
        return [row.item.pk for row in client.get(url, params).context["page"]]

    assert pks({"published": "no"}) == [draft.pk]
    assert pks({"depth": "4"}) == [draft.pk]
    assert pks({"q": "flt-0001"}) == [draft.pk]
    assert len(pks({"body": str(cluster.education.pk)})) == 2
    assert len(pks({"depth": "x", "published": "maybe", "body": "zzz"})) == 2


def test_the_list_escapes_item_names(client, cluster):
    make_item(body=cluster.education, name="<script>alert(1)</script>")
    login(client, cluster)
    page = client.get(reverse("services_items")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --------------------------------------------------------------------------- create and edit


def test_the_add_page_offers_three_empty_rows_per_list(client, cluster):
    login(client, cluster)
    response = client.get(reverse("services_item_add"))
    assert response.status_code == 200
    for prefix in ("materials", "steps", "faqs", "form_fields"):
        formset = response.context["formsets"][prefix]
        assert len(formset.forms) == EXTRA
        assert f'name="{prefix}-TOTAL_FORMS"' in response.content.decode()
    assert 'name="materials-0-DELETE"' in response.content.decode()


def test_creating_an_item_with_its_lists(client, cluster):
    login(client, cluster)
    response = client.post(reverse("services_item_add"), post_data(
        cluster.education, materials=[MATERIAL, UPLOAD], steps=[STEP, {"name": "决定"}],
        faqs=[FAQ], form_fields=[FIELD], delivery_methods=["online", "post"],
        channels=[], themes=[]))

    item = ServiceItem.objects.get(code="330100-JY-0001")
    assert response.status_code == 302
    assert response["Location"] == reverse("services_item_edit", args=[item.pk])
    assert [m.name for m in item.materials.all()] == ["居民身份证", "转学申请表"]
    assert [s.name for s in item.steps.all()] == ["受理", "决定"]
    assert item.faqs.count() == 1 and item.form_fields.count() == 1
    assert item.delivery_methods == ["online", "post"]
    assert not item.is_published
    assert AuditEvent.objects.filter(action="services.item.created").count() == 1


def test_a_body_the_user_does_not_manage_is_not_a_choice(client, cluster):
    login(client, cluster)
    response = client.post(reverse("services_item_add"), post_data(cluster.health))
    assert response.status_code == 400
    assert "implementing_body" in response.context["form"].errors
    assert not ServiceItem.objects.exists()


@pytest.mark.parametrize(("changes", "field"), [
    ({"code": "bad code"}, "code"),
    ({"name": ""}, "name"),
    ({"kind": "nope"}, "kind"),
    ({"promised_time_limit_days": "-1"}, "promised_time_limit_days"),
    ({"legal_time_limit_days": "abc"}, "legal_time_limit_days"),
    ({"online_depth": "7"}, "online_depth"),
    ({"delivery_methods": ["pigeon"]}, "delivery_methods"),
])
def test_each_bad_item_field_comes_back_on_that_field(client, cluster, changes, field):
    login(client, cluster)
    response = client.post(reverse("services_item_add"), post_data(cluster.education,
                                                                    **changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not ServiceItem.objects.exists()


def test_a_rule_of_the_action_comes_back_on_its_field(client, cluster):
    login(client, cluster)
    response = client.post(reverse("services_item_add"), post_data(
        cluster.education, legal_time_limit_days="3", promised_time_limit_days="5"))
    assert response.status_code == 400
    assert response.context["form"].errors["promised_time_limit_days"] == [
        "承诺时限不能长于法定时限。"]


def test_row_errors_come_back_on_the_right_row_after_skipped_and_deleted_rows(client,
                                                                             cluster):
    login(client, cluster)
    data = post_data(cluster.education,
                     form_fields=[{**FIELD, "DELETE": "on", "name": "gone"},
                                  {"name": "grade", "label": "年级", "kind": "choice",
                                   "choices": "只有一个", "is_required": "on"}])
    response = client.post(reverse("services_item_add"), data)

    assert response.status_code == 400
    rows = response.context["formsets"]["form_fields"].forms
    assert "choices" in rows[1].errors and "至少要有两个选项" in rows[1].errors["choices"][0]
    assert not rows[0].errors


def test_a_row_form_error_is_shown_on_its_row(client, cluster):
    login(client, cluster)
    response = client.post(reverse("services_item_add"), post_data(
        cluster.education, materials=[{**MATERIAL, "copies": "0"}],
        form_fields=[{**FIELD, "name": "Bad Name"}]))
    assert response.status_code == 400
    assert "copies" in response.context["formsets"]["materials"].forms[0].errors
    assert "name" in response.context["formsets"]["form_fields"].forms[0].errors


def test_editing_replaces_rows_deletes_ticked_ones_and_adds_new_ones(client, cluster):
    item = make_item(body=cluster.education, code="EDT-0001")
    login(client, cluster)
    page = client.get(reverse("services_item_edit", args=[item.pk]))
    assert page.context["form"].initial["code"] == "EDT-0001"
    assert len(page.context["formsets"]["materials"].forms) == 2 + EXTRA

    data = post_data(
        cluster.education, code="EDT-0001", name="改过的名称",
        materials=[{**MATERIAL, "DELETE": "on"}, UPLOAD, {"name": "户口簿", "form": "copy",
                                                         "copies": "2", "is_required": "on"}],
        steps=[{"name": "受理"}, {"name": "审查"}, {"name": "决定"}],
        form_fields=[FIELD, {**FIELD, "name": "grade", "DELETE": "on"}],
        initial={"materials": 2, "steps": 3, "form_fields": 2})
    response = client.post(reverse("services_item_edit", args=[item.pk]), data)

    assert response.status_code == 302, [
        formset.errors for formset in response.context["formsets"].values()]
    item.refresh_from_db()
    assert item.name == "改过的名称"
    assert [m.name for m in item.materials.all()] == ["转学申请表", "户口簿"]
    assert [f.name for f in item.form_fields.all()] == ["student_name"]
    assert "materials" in AuditEvent.objects.get(action="services.item.updated").data["changed"]


def test_a_document_from_the_bodys_collection_can_be_attached(client, cluster):
    document_model = get_document_model()
    own = document_model.objects.create(title="空白表格", file="documents/a.pdf",
                                        collection=cluster.education.collection)
    foreign = document_model.objects.create(title="别人的", file="documents/b.pdf",
                                            collection=cluster.health.collection)
    login(client, cluster)
    form = client.get(reverse("services_item_add")).context["formsets"]["materials"].forms[0]
    assert list(form.fields["blank_form"].queryset) == [own]

    client.post(reverse("services_item_add"), post_data(
        cluster.education, materials=[{**UPLOAD, "blank_form": own.pk, "example": own.pk}]))
    material = ServiceItem.objects.get().materials.get()
    assert material.blank_form == own and material.example == own

    response = client.post(reverse("services_item_add"), post_data(
        cluster.education, code="330100-JY-0002",
        materials=[{**UPLOAD, "blank_form": foreign.pk}]))
    assert response.status_code == 400
    assert "blank_form" in response.context["formsets"]["materials"].forms[0].errors


def test_editing_a_published_item_keeps_it_published_and_checked(client, cluster):
    item = make_item(body=cluster.education, code="PUB-0001")
    login(client, cluster)
    response = client.post(reverse("services_item_edit", args=[item.pk]), post_data(
        cluster.education, code="PUB-0001", materials=[MATERIAL, {**UPLOAD, "DELETE": "on"}],
        steps=[{"name": "受理"}, {"name": "审查"}, {"name": "决定"}],
        form_fields=[{**FIELD, "DELETE": "on"}, {**FIELD, "name": "grade", "DELETE": "on"}],
        initial={"materials": 2, "steps": 3, "form_fields": 2}))
    assert response.status_code == 400
    assert "online_depth" in response.context["form"].errors
    assert ServiceItem.objects.get(pk=item.pk).form_fields.count() == 2


# --------------------------------------------------------------------------- publishing


def test_publishing_from_the_edit_page(client, cluster):
    item = make_item(body=cluster.education, published=False)
    login(client, cluster)

    response = client.post(reverse("services_item_publish", args=[item.pk]), follow=True)

    assert ServiceItem.objects.get(pk=item.pk).is_published
    assert "已公开事项" in response.content.decode()
    client.post(reverse("services_item_unpublish", args=[item.pk]))
    assert not ServiceItem.objects.get(pk=item.pk).is_published


def test_publishing_an_item_without_anything_to_submit_shows_the_rule(client, cluster):
    item = make_item(body=cluster.education, published=False, with_form=False)
    item.materials.update(upload_required=False)
    login(client, cluster)

    response = client.post(reverse("services_item_publish", args=[item.pk]), follow=True)

    assert not ServiceItem.objects.get(pk=item.pk).is_published
    assert "网办深度为三级或四级的事项公开前" in response.content.decode()


def test_publish_routes_refuse_get(client, cluster):
    item = make_item(body=cluster.education, published=False)
    login(client, cluster)
    assert client.get(reverse("services_item_publish", args=[item.pk])).status_code == 405
    assert not ServiceItem.objects.get(pk=item.pk).is_published
