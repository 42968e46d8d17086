"""Admin screens of applications: every route against every role, object-level refusal for
another body, actions through the admin, the audited reveal, proxy hand-in, query counts."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chuangkou.core.audit import AuditEvent
from chuangkou.organizations.choices import Role

from ..choices import ApplicationChannel, ApplicationStatus
from ..models import ServiceApplication
from .factories import make_application, make_item
from .test_applications_support import make_proxy_chain, pdf, required_material, submit

pytestmark = pytest.mark.django_db

H, S, M = Role.SERVICE_HANDLER, Role.SERVICE_SUPERVISOR, Role.SERVICE_ITEM_MANAGER


@pytest.fixture
def item(cluster):
    return make_item(body=cluster.education, accepts_proxy=True)


@pytest.fixture
def application(item):
    application, _code = submit(item)
    return application


def _routes(application):
    upload = application.uploads.first()
    number = application.number
    return {
        "list": ("get", reverse("services_applications")),
        "detail": ("get", reverse("services_application_detail", args=[number])),
        "applicant": ("post", reverse("services_application_applicant", args=[number])),
        "upload": ("get", reverse("services_application_upload", args=[number, upload.pk])),
        "action": ("get", reverse("services_application_action", args=[number, "accept"])),
        "proxy": ("get", reverse("services_application_proxy")),
        "proxy_apply": ("get", reverse("services_application_proxy_apply",
                                       args=[application.item.code])),
    }


# Who gets what (education's application, waiting for acceptance at education):
#                      list detail applicant upload action proxy proxy_apply
# education handler     200  200    200       200    200    200   200
# education supervisor  200  200    200       200    403    403   403
# city supervisor       200  200    200       200    403    403   403
# health handler        200  404    404       404    404    200   200
# health supervisor     200  404    404       404    404    403   403
# item manager          403  403    403       403    403    403   403
# system administrator  403  403    403       403    403    403   403
# auditor               403  403    403       403    403    403   403
TABLE = [
    (("education", H), dict(list=200, detail=200, applicant=200, upload=200, action=200,
                            proxy=200, proxy_apply=200)),
    (("education", S), dict(list=200, detail=200, applicant=200, upload=200, action=403,
                            proxy=403, proxy_apply=403)),
    (("city", S), dict(list=200, detail=200, applicant=200, upload=200, action=403, proxy=403,
                       proxy_apply=403)),
    (("health", H), dict(list=200, detail=404, applicant=404, upload=404, action=404,
                         proxy=200, proxy_apply=200)),
    (("health", S), dict(list=200, detail=404, applicant=404, upload=404, action=404,
                         proxy=403, proxy_apply=403)),
    (("education", M), dict.fromkeys(("list", "detail", "applicant", "upload", "action",
                                      "proxy", "proxy_apply"), 403)),
    (("city", Role.SYSTEM_ADMINISTRATOR), dict.fromkeys(
        ("list", "detail", "applicant", "upload", "action", "proxy", "proxy_apply"), 403)),
    (("city", Role.AUDITOR), dict.fromkeys(
        ("list", "detail", "applicant", "upload", "action", "proxy", "proxy_apply"), 403)),
]


@pytest.mark.parametrize(("who", "expected"), TABLE,
                         ids=[f"{body}-{role}" for (body, role), _e in TABLE])
def test_every_route_for_every_role(cluster, application, who, expected):
    client = Client()
    client.force_login(cluster.user(*who))
    for name, (method, url) in _routes(application).items():
        response = getattr(client, method)(url)
        assert response.status_code == expected[name], (name, response.status_code)


def test_anonymous_is_sent_to_login_on_every_route(application):
    client = Client()
    for name, (method, url) in _routes(application).items():
        response = getattr(client, method)(url)
        assert response.status_code == 302, name
        assert "login" in response["Location"], name


def test_detail_masks_applicant_and_reveal_is_audited(cluster, application):
    client = Client()
    handler = cluster.user("education", H)
    client.force_login(handler)
    detail = client.get(reverse("services_application_detail",
                                args=[application.number])).content.decode()
    assert "李**" in detail and "李建华" not in detail and "学生姓名" in detail
    assert "13912345678" not in detail
    revealed = client.post(reverse("services_application_applicant",
                                   args=[application.number]))
    assert "李建华" in revealed.content.decode() and "13912345678" in revealed.content.decode()
    assert revealed["Cache-Control"].startswith("no-store")
    assert AuditEvent.objects.filter(action="services.application.applicant_viewed",
                                     actor=handler).count() == 1
    assert client.get(reverse("services_application_applicant",
                              args=[application.number])).status_code == 405


def test_actions_through_the_admin(cluster, item, application):
    client = Client()
    client.force_login(cluster.user("education", H))

    def act(name, data):
        return client.post(reverse("services_application_action",
                                   args=[application.number, name]), data)

    refused = act("refuse", {"reason": "短"})
    assert refused.status_code == 200 and "至少4个字" in refused.content.decode()
    assert act("accept", {"note": "材料齐全"}).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_PROGRESS
    detail = client.get(reverse("services_application_detail", args=[application.number]))
    assert 'id="action-decide"' in detail.content.decode()
    assert 'id="action-accept"' not in detail.content.decode()
    step = item.steps.first()
    assert act("complete_step", {"step": step.pk, "note": ""}).status_code == 302
    denied = act("decide", {"approve": "0", "note": ""})
    assert "不予办理须说明理由" in denied.content.decode()
    assert act("decide", {"approve": "1", "note": "准予"}).status_code == 302
    assert act("deliver", {"method": "online", "note": ""}).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DELIVERED
    # An action that no longer applies goes back to the page with a warning.
    assert act("accept", {}).status_code == 302


def test_admin_upload_download_for_staff(cluster, application):
    client = Client()
    client.force_login(cluster.user("education", H))
    upload = application.uploads.get()
    response = client.get(reverse("services_application_upload",
                                  args=[application.number, upload.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_proxy_hand_in_through_the_admin_prints_number_and_code(cluster):
    chain = make_proxy_chain(cluster)
    item = make_item(body=chain.bureau, accepts_proxy=True)
    client = Client()
    client.force_login(chain.community_handler)
    listing = client.get(reverse("services_application_proxy"))
    assert item.name in listing.content.decode()
    url = reverse("services_application_proxy_apply", args=[item.code])
    form = client.get(url)
    assert form.status_code == 200
    data = {"body": chain.community.pk, "name": "王大妈", "phone": "13712345678",
            "answer_student_name": "王小花", "answer_grade": "一年级", "form_token": "proxy-1",
            f"material_{required_material(item).pk}": pdf()}
    response = client.post(url, data)
    assert response.status_code == 200
    application = ServiceApplication.objects.get()
    body = response.content.decode()
    assert application.number in body and "查询码只显示这一次" in body
    assert application.channel == ApplicationChannel.PROXY and application.user is None
    assert application.current_body == chain.community
    bad = client.post(url, {**data, "body": chain.street.pk, "form_token": "proxy-2"})
    assert bad.status_code == 400


def test_list_tabs_and_search(cluster, item):
    handler = cluster.user("education", H)
    submitted = make_application(item=item)
    in_progress = make_application(item=item, status=ApplicationStatus.IN_PROGRESS)
    client = Client()
    client.force_login(handler)
    first = client.get(reverse("services_applications")).content.decode()
    assert submitted.number in first and in_progress.number not in first
    second = client.get(reverse("services_applications") + "?tab=in_progress").content.decode()
    assert in_progress.number in second and submitted.number not in second
    searched = client.get(reverse("services_applications") + "?tab=all&q="
                          + in_progress.number).content.decode()
    assert in_progress.number in searched and submitted.number not in searched


def test_list_query_count_does_not_grow_with_rows(cluster, item):
    client = Client()
    client.force_login(cluster.user("education", H))
    make_application(item=item)
    client.get(reverse("services_applications") + "?tab=all")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("services_applications") + "?tab=all")
    for _ in range(6):
        make_application(item=make_item(body=cluster.education))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("services_applications") + "?tab=all")
    assert response.status_code == 200
    assert len(many.captured_queries) <= len(few.captured_queries)


def test_home_panel_counts_for_handlers(cluster, item):
    make_application(item=item)
    client = Client()
    client.force_login(cluster.user("education", H))
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "我的待办办件" in body and "待受理 1 件" in body
    client.force_login(cluster.user("city", Role.AUDITOR))
    assert "我的待办办件" not in client.get(reverse("wagtailadmin_home")).content.decode()
