"""好差评 admin screens: every route against every role of every body and anonymous visitors
(the table below), the rectification and appeal flows through the forms, the statistics and
their XLSX export, escaping and query counts.

The objects: a 非常不满意 rating of an education bureau item, its case with the education
handler named, and a pending appeal the education handler submitted. Ratings staff who may
see it (the education handler and supervisor, the city supervisor) get its pages; other
ratings staff get 404; staff without ratings work get 403; anonymous visitors are sent to the
login page.
"""

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role

from .. import actions
from ..actions.ratings import RatingInput
from ..choices import AppealStatus, ApplicationStatus, RectificationEntryKind, RectificationStatus
from ..models import RatingAppeal, RectificationCase, ServiceRating
from .factories import make_application, make_item
from .role_tables import everyone, who_id

pytestmark = pytest.mark.django_db

BODIES = ("city", "education", "health", "dongcheng")
RATINGS_ROLES = {Role.SERVICE_HANDLER, Role.SERVICE_SUPERVISOR}
SEES = {("education", Role.SERVICE_HANDLER), ("education", Role.SERVICE_SUPERVISOR),
        ("city", Role.SERVICE_SUPERVISOR)}
SUPERVISES = {("education", Role.SERVICE_SUPERVISOR), ("city", Role.SERVICE_SUPERVISOR)}
RECORDS = SEES  # the named handler and the supervisors
APPEALS = SEES


def levels(level, comment=""):
    return RatingInput(level=level, efficiency=level, guide_accuracy=level, convenience=level,
                       usability=level, comment=comment)


def rated(item, level, comment=""):
    application = make_application(item=item, status=ApplicationStatus.DELIVERED)
    return actions.rate_application(application=application, rating=levels(level, comment))


@pytest.fixture
def objects(cluster):
    item = make_item(body=cluster.education, code="ADM1")
    rating = rated(item, 1, comment="<script>alert('x')</script>态度差")
    case = rating.rectification
    actions.assign_rectification_handler(case=case,
                                         actor=cluster.user("education", Role.SERVICE_SUPERVISOR),
                                         handler=cluster.user("education", Role.SERVICE_HANDLER))
    appeal = actions.submit_rating_appeal(rating=rating,
                                          actor=cluster.user("education", Role.SERVICE_HANDLER),
                                          reason="申请人误将其他部门的事项评价给本单位。")
    return {"item": item, "rating": rating, "case": case, "appeal": appeal}


def routes(objects):
    """(name, method, url, data) of every ratings admin route."""
    rating, case = objects["rating"].pk, objects["case"].pk
    for tab in ("open", "overdue", "appeals", "all"):
        yield f"list-{tab}", "get", reverse("services_ratings") + f"?tab={tab}", None
    yield "rating", "get", reverse("services_rating", args=[rating]), None
    yield "appeal", "post", reverse("services_rating_action", args=[rating, "appeal"]), {}
    yield "decide", "post", reverse("services_rating_action", args=[rating, "decide"]), {}
    yield "case", "get", reverse("services_rating_case", args=[case]), None
    yield "assign", "post", reverse("services_rating_case_action", args=[case, "assign"]), {}
    yield "entry", "post", reverse("services_rating_case_action", args=[case, "entry"]), {}
    yield "close", "post", reverse("services_rating_case_action", args=[case, "close"]), {}
    yield "statistics", "get", reverse("services_rating_statistics"), None
    yield "export", "post", reverse("services_rating_statistics_export"), {"year": "2026"}


def expected(who, route: str) -> int:
    if who is None:
        return 302  # to the admin login
    _body, role = who
    if role not in RATINGS_ROLES:
        return 403
    if route.startswith("list-") or route in {"statistics", "export"}:
        return 200
    if who not in SEES:
        return 404
    if route in {"rating", "case"}:
        return 200
    if route == "appeal":
        return 302  # allowed, but an appeal is already pending: back to the rating
    if route in {"decide", "assign", "close"}:
        return 200 if who in SUPERVISES else 403  # 200: the empty form comes back with errors
    if route == "entry":
        return 200 if who in RECORDS else 403
    raise AssertionError(route)


EVERYONE = everyone(BODIES, every_role_in=("city", "education"))


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
        if who is None:
            assert "/login/" in response["Location"]
    assert not wrong, wrong
    case = RectificationCase.objects.get(pk=objects["case"].pk)
    assert case.status == RectificationStatus.OPEN and case.entries.count() == 1
    assert RatingAppeal.objects.get().status == AppealStatus.PENDING


@pytest.mark.parametrize("who", [("health", Role.SERVICE_HANDLER),
                                 ("health", Role.SERVICE_SUPERVISOR),
                                 ("dongcheng", Role.SERVICE_SUPERVISOR),
                                 ("city", Role.SERVICE_HANDLER)])
def test_ratings_staff_of_other_bodies_never_see_the_rating(cluster, objects, who):
    client = Client()
    client.force_login(cluster.user(*who))
    for tab in ("open", "overdue", "appeals", "all"):
        page = client.get(reverse("services_ratings"), {"tab": tab}).content.decode()
        assert objects["rating"].application.number not in page, tab
    page = client.get(reverse("services_rating_statistics"), {"year": ""}).content.decode()
    assert "示例市教育局" not in page


def login(cluster, body, role):
    client = Client()
    client.force_login(cluster.user(body, role))
    return client


def test_the_rectification_flow_through_the_forms(cluster, objects):
    case = objects["case"]
    handler = login(cluster, "education", Role.SERVICE_HANDLER)
    supervisor = login(cluster, "city", Role.SERVICE_SUPERVISOR)
    url = lambda action: reverse("services_rating_case_action", args=[case.pk, action])  # noqa: E731
    response = supervisor.post(url("close"), {"close-conclusion": "已整改完毕。"})
    assert response.status_code == 200
    assert "办结前须至少有一条回访记录和一条整改情况记录" in response.content.decode()
    response = handler.post(url("entry"), {"entry-kind": "follow_up", "entry-note": "回访"})
    assert "请填写记录内容，至少4个字" in response.content.decode()
    for kind, note in (("follow_up", "已电话回访申请人。"), ("rectification", "已规范窗口服务。")):
        response = handler.post(url("entry"), {"entry-kind": kind, "entry-note": note})
        assert response.status_code == 302
    response = supervisor.post(url("close"), {"close-conclusion": "已向申请人致歉，问题已整改。"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == RectificationStatus.CLOSED
    assert list(case.entries.values_list("kind", flat=True)) == [
        RectificationEntryKind.ASSIGNED, RectificationEntryKind.FOLLOW_UP,
        RectificationEntryKind.RECTIFICATION, RectificationEntryKind.CLOSED]
    page = supervisor.get(reverse("services_rating_case", args=[case.pk])).content.decode()
    assert "已向申请人致歉" in page and 'name="close-conclusion"' not in page
    # Closed: further posts go back to the page and change nothing.
    assert handler.post(url("entry"), {"entry-kind": "follow_up",
                                       "entry-note": "再次回访申请人。"}).status_code == 302
    assert case.entries.count() == 4


def test_a_supervisor_assigns_only_the_bodys_handlers(cluster, objects):
    case = objects["case"]
    supervisor = login(cluster, "education", Role.SERVICE_SUPERVISOR)
    url = reverse("services_rating_case_action", args=[case.pk, "assign"])
    outsider = cluster.user("health", Role.SERVICE_HANDLER)
    response = supervisor.post(url, {"assign-handler": outsider.pk})
    assert response.status_code == 200 and "整改责任人须是被评价单位的办件人员" in (
        response.content.decode())
    response = supervisor.post(url, {"assign-handler": cluster.user(
        "education", Role.SERVICE_HANDLER).pk})
    assert response.status_code == 302


def test_the_appeal_is_decided_by_another_supervisor(cluster, objects):
    rating = objects["rating"]
    url = reverse("services_rating_action", args=[rating.pk, "decide"])
    city = login(cluster, "city", Role.SERVICE_SUPERVISOR)
    page = city.get(reverse("services_rating", args=[rating.pk])).content.decode()
    assert 'name="decide-decision"' in page
    response = city.post(url, {"decide-decision": "uphold", "decide-note": "好"})
    assert "请填写复核意见，至少4个字" in response.content.decode()
    response = city.post(url, {"decide-decision": "uphold", "decide-note": "经核实属误评。"})
    assert response.status_code == 302
    rating.refresh_from_db()
    assert rating.is_excluded
    assert RectificationCase.objects.get(pk=objects["case"].pk).status == (
        RectificationStatus.CLOSED)


def test_the_appellant_supervisor_gets_no_decide_form(cluster, objects):
    # The pending appeal is withdrawn from the picture: a supervisor appeals another rating.
    rating = rated(objects["item"], 2)
    supervisor = cluster.user("education", Role.SERVICE_SUPERVISOR)
    client = login(cluster, "education", Role.SERVICE_SUPERVISOR)
    response = client.post(reverse("services_rating_action", args=[rating.pk, "appeal"]),
                           {"appeal-reason": "申请人误将其他部门的事项评价给本单位。"})
    assert response.status_code == 302
    appeal = RatingAppeal.objects.get(rating=rating)
    assert appeal.submitted_by == supervisor
    page = client.get(reverse("services_rating", args=[rating.pk])).content.decode()
    assert 'name="decide-decision"' not in page and "申诉人不能复核自己提交的申诉" in page
    response = client.post(reverse("services_rating_action", args=[rating.pk, "decide"]),
                           {"decide-decision": "uphold", "decide-note": "经核实属误评。"})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING


def test_an_appeal_reason_under_ten_characters_is_refused(cluster, objects):
    rating = rated(objects["item"], 2)
    client = login(cluster, "education", Role.SERVICE_HANDLER)
    response = client.post(reverse("services_rating_action", args=[rating.pk, "appeal"]),
                           {"appeal-reason": "恶意评价"})
    assert response.status_code == 200
    assert "请说明申诉理由，至少10个字" in response.content.decode()
    assert not RatingAppeal.objects.filter(rating=rating).exists()


def test_citizen_text_is_escaped_on_the_staff_pages(cluster, objects):
    client = login(cluster, "education", Role.SERVICE_HANDLER)
    for url in (reverse("services_rating", args=[objects["rating"].pk]),
                reverse("services_rating_case", args=[objects["case"].pk])):
        page = client.get(url).content.decode()
        assert "<script>alert('x')</script>" not in page
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;态度差" in page


def test_the_worklist_tabs_list_the_right_rows(cluster, objects):
    client = login(cluster, "city", Role.SERVICE_SUPERVISOR)
    number = objects["rating"].application.number
    assert number in client.get(reverse("services_ratings"), {"tab": "open"}).content.decode()
    assert number not in client.get(reverse("services_ratings"),
                                    {"tab": "overdue"}).content.decode()
    assert number in client.get(reverse("services_ratings"), {"tab": "appeals"}).content.decode()
    assert number in client.get(reverse("services_ratings"), {"tab": "all"}).content.decode()


def test_the_worklist_queries_do_not_grow_with_rows(cluster, objects,
                                                    django_assert_max_num_queries):
    client = login(cluster, "city", Role.SERVICE_SUPERVISOR)
    counts = {}
    for tab in ("open", "appeals", "all"):
        with django_assert_max_num_queries(60) as captured:
            client.get(reverse("services_ratings"), {"tab": tab})
        counts[tab] = len(captured)
    handler = cluster.user("education", Role.SERVICE_HANDLER)
    for _index in range(5):
        rating = rated(objects["item"], 1)
        actions.submit_rating_appeal(rating=rating, actor=handler,
                                     reason="申请人误将其他部门的事项评价给本单位。")
    for tab in ("open", "appeals", "all"):
        with django_assert_max_num_queries(counts[tab]):
            client.get(reverse("services_ratings"), {"tab": tab})


def test_the_menu_item_shows_to_handlers_and_supervisors_only(cluster):
    from wagtail.admin.menu import admin_menu  # noqa: F401 (the hooks register on import)

    from ..hooks.menu import services_menu

    def shown(who):
        client = Client()
        client.force_login(cluster.user(*who))
        request = client.get(reverse("wagtailadmin_home")).wsgi_request
        return {item.name for item in services_menu.menu_items_for_request(request)}

    assert "services-ratings" in shown(("education", Role.SERVICE_HANDLER))
    assert "services-ratings" in shown(("dongcheng", Role.SERVICE_SUPERVISOR))
    for who in (("education", Role.SERVICE_ITEM_MANAGER), ("city", Role.SYSTEM_ADMINISTRATOR),
                ("city", Role.AUDITOR), ("education", Role.EDITOR)):
        assert "services-ratings" not in shown(who)


# --------------------------------------------------------------------------- statistics


def test_statistics_show_the_scope_and_export_xlsx_safely(cluster, objects):
    formula = make_item(body=cluster.education, code="ADM2",
                        name="=HYPERLINK(\"http://evil.example\",\"点我\")")
    for level in (5, 4, 2):
        rated(formula, level)
    rated(make_item(body=cluster.health, code="HLT1", name="医师执业注册"), 5)
    client = login(cluster, "education", Role.SERVICE_SUPERVISOR)
    response = client.get(reverse("services_rating_statistics"), {"year": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "示例市教育局" in page and "医师执业注册" not in page
    assert response.context["total"].count == 4
    response = client.post(reverse("services_rating_statistics_export"), {"year": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["按单位", "按事项"]
    by_body = list(workbook["按单位"].values)
    assert by_body[0][:3] == ("单位", "评价数", "好评率（%）")
    assert by_body[1][:4] == ("示例市教育局", 4, 50.0, 2)
    assert by_body[-1][0] == "合计" and by_body[-1][1] == 4
    names = [row[1] for row in workbook["按事项"].values]
    assert "'=HYPERLINK(\"http://evil.example\",\"点我\")" in names
    assert AuditEvent.objects.filter(action="services.rating_statistics.exported").exists()


def test_statistics_refuse_a_body_outside_the_scope(cluster, objects):
    client = login(cluster, "education", Role.SERVICE_SUPERVISOR)
    response = client.get(reverse("services_rating_statistics"), {"body": "health"})
    assert response.status_code == 200 and "请选择列表中的单位" in response.content.decode()
    response = client.post(reverse("services_rating_statistics_export"), {"body": "health"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="services.rating_statistics.exported").exists()


def test_excluded_ratings_leave_the_staff_statistics(cluster, objects):
    actions.decide_rating_appeal(appeal=objects["appeal"],
                                 actor=cluster.user("city", Role.SERVICE_SUPERVISOR),
                                 uphold=True, note="经核实属误评。")
    client = login(cluster, "city", Role.SERVICE_SUPERVISOR)
    total = client.get(reverse("services_rating_statistics"), {"year": ""}).context["total"]
    assert (total.count, total.removed, total.dissatisfied) == (0, 1, 0)
    assert ServiceRating.objects.get().is_excluded
