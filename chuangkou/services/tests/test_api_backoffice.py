"""The back-office API (/api/v1/services/backoffice/): key authentication and its rate limit,
the system's applications (list, filters, detail with audited personal data, uploads) and the
status changes it posts back through the applications actions (网站受理—后台办理—网站反馈)."""

import uuid
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role

from .. import actions
from ..choices import ApplicationStatus, WebhookDeliveryStatus
from ..models import ApplicationUpload, BackOfficeSystem, ServiceApplication, WebhookDelivery
from .factories import make_application, make_item
from .integration_support import administrator, register

pytestmark = pytest.mark.django_db

BASE = "/api/v1/services/backoffice/applications/"
RESIDENT_ID = "11010519491231002X"


def client_for(key: str | None) -> APIClient:
    client = APIClient()
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def item(cluster):
    return make_item(body=cluster.education)


@pytest.fixture
def system(cluster):
    return register(cluster)


@pytest.fixture
def api(system):
    return client_for(system[1])


# --------------------------------------------------------------------------- authentication


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer a b", "Bearer not-a-key",
                                    "Bearer ck_0000000000000000000000", "Basic dXNlcjpwYXNz"])
def test_a_missing_or_wrong_key_gets_401_with_a_json_error(system, header):
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(BASE)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_inactive_systems_key_gets_401(cluster, system):
    record, key = system
    actions.update_back_office_system(actor=administrator(cluster), system=record,
                                      name=record.name, webhook_url="", is_active=False)
    response = client_for(key).get(BASE)
    assert response.status_code == 401
    assert "停用" in response.json()["detail"]


def test_a_replaced_key_gets_401_and_the_new_one_works(cluster, system):
    record, old_key = system
    new_key = actions.rotate_back_office_key(actor=administrator(cluster), system=record)
    assert client_for(old_key).get(BASE).status_code == 401
    assert client_for(new_key).get(BASE).status_code == 200


def test_a_signed_in_staff_session_is_not_a_key(cluster, system):
    client = APIClient()
    client.force_login(cluster.user("education", Role.SERVICE_HANDLER))
    assert client.get(BASE).status_code == 401


@override_settings(SERVICES_API_REQUESTS_PER_MINUTE=3)
def test_more_than_the_per_minute_limit_gets_429(system, api):
    assert [api.get(BASE).status_code for _ in range(3)] == [200, 200, 200]
    response = api.get(BASE)
    assert response.status_code == 429
    assert "每分钟" in response.json()["detail"]


def test_using_the_key_notes_the_time_of_last_use(system, api):
    assert BackOfficeSystem.objects.get().last_used_at is None
    api.get(BASE)
    assert BackOfficeSystem.objects.get().last_used_at is not None


# --------------------------------------------------------------------------- listing


def test_the_list_shows_the_bodys_applications_newest_first_without_personal_data(
        cluster, item, api):
    older = make_application(item=item, submitted_at=timezone.now() - timedelta(days=5))
    newer = make_application(item=item)
    on_the_way = make_application(item=item, body=cluster.district)  # implemented by us
    health = make_application(item=make_item(body=cluster.health))
    response = api.get(BASE)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    numbers = [row["number"] for row in data["results"]]
    assert numbers[-1] == older.number and set(numbers) == {older.number, newer.number,
                                                           on_the_way.number}
    assert health.number not in numbers
    row = next(row for row in data["results"] if row["number"] == newer.number)
    assert row["status"] == "submitted" and row["status_display"] == "待受理"
    assert row["item"]["code"] == item.code
    assert row["item"]["implementing_body"]["slug"] == "education"
    assert row["url"].endswith(f"{BASE}{newer.number}/")
    assert "李建华" not in response.content.decode() and RESIDENT_ID not in response.content.decode()


def test_the_list_filters_by_status_and_updated_since(item, api):
    submitted = make_application(item=item)
    in_progress = make_application(item=item, status=ApplicationStatus.IN_PROGRESS)
    numbers = [row["number"] for row in api.get(BASE, {"status": "in_progress"}).json()["results"]]
    assert numbers == [in_progress.number]
    ServiceApplication.objects.filter(pk=submitted.pk).update(
        updated_at=timezone.now() - timedelta(days=2))
    since = (timezone.now() - timedelta(days=1)).isoformat()
    numbers = [row["number"] for row in api.get(BASE, {"updated_since": since}).json()["results"]]
    assert numbers == [in_progress.number]


@pytest.mark.parametrize(("params", "field"), [({"updated_since": "yesterday"}, "updated_since"),
                                               ({"updated_since": "2026-13-45T99:00"},
                                                "updated_since"),
                                               ({"status": "lost"}, "status")])
def test_a_malformed_filter_gets_400_naming_it(api, params, field):
    response = api.get(BASE, params)
    assert response.status_code == 400
    assert field in response.json()


def test_the_list_is_paginated(item, api):
    for _ in range(21):
        make_application(item=item)
    data = api.get(BASE).json()
    assert data["count"] == 21 and len(data["results"]) == 20 and data["next"]
    assert len(api.get(BASE, {"page": 2}).json()["results"]) == 1


def test_the_list_makes_the_same_number_of_queries_for_2_and_12_applications(item, api):
    def queries_for_listing() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(BASE).status_code == 200
        return len(captured)

    for _ in range(2):
        make_application(item=item)
    queries_for_listing()  # the first call of the minute also notes the key's last use
    few = queries_for_listing()
    for _ in range(10):
        make_application(item=item)
    assert queries_for_listing() == few
    assert few <= 6


# --------------------------------------------------------------------------- detail


def test_the_detail_gives_the_applicant_answers_uploads_and_timeline_and_is_audited(
        item, system, api):
    application = make_application(item=item)
    upload = ApplicationUpload(application=application, original_name="转学申请表.pdf",
                               content_type="application/pdf", size=8,
                               material=item.materials.get(upload_required=True))
    upload.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=True)
    response = api.get(f"{BASE}{application.number}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["applicant"]["resident_id"] == RESIDENT_ID
    assert data["applicant"]["name"] == "李建华"
    assert {"name": "student_name", "label": "学生姓名", "value": "李小明"} in data["answers"]
    assert data["uploads"][0]["material"] == "转学申请表"
    assert data["uploads"][0]["url"].endswith(f"{BASE}{application.number}/uploads/{upload.pk}/")
    assert [step["name"] for step in data["steps"]] == ["受理", "审查", "决定"]
    assert data["timeline"] == [] and data["hops"] == [] and data["payments"] == []
    event = AuditEvent.objects.get(action="services.applicant.viewed_by_system")
    assert event.target_id == str(application.pk) and event.data["system"] == "教育审批系统"
    assert RESIDENT_ID not in str(event.data)


def test_another_bodys_or_an_unknown_number_gets_404(cluster, api):
    health = make_application(item=make_item(body=cluster.health))
    assert api.get(f"{BASE}{health.number}/").status_code == 404
    assert api.get(f"{BASE}BJ2099999999/").status_code == 404
    assert api.post(f"{BASE}{health.number}/transitions/", {"action": "accept"},
                    format="json").status_code == 404
    assert not AuditEvent.objects.filter(action="services.applicant.viewed_by_system").exists()


def test_an_upload_is_downloaded_only_from_the_systems_own_application(cluster, item, api):
    application = make_application(item=item)
    upload = ApplicationUpload(application=application, original_name="申请表.pdf",
                               content_type="application/pdf", size=8)
    upload.file.save("b.pdf", ContentFile(b"%PDF-1.4"), save=True)
    response = api.get(f"{BASE}{application.number}/uploads/{upload.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4"
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    other = make_application(item=item)
    assert api.get(f"{BASE}{other.number}/uploads/{upload.pk}/").status_code == 404
    health = make_application(item=make_item(body=cluster.health))
    health_upload = ApplicationUpload(application=health, original_name="x.pdf",
                                      content_type="application/pdf", size=8)
    health_upload.file.save("c.pdf", ContentFile(b"%PDF-1.4"), save=True)
    assert api.get(f"{BASE}{health.number}/uploads/{health_upload.pk}/").status_code == 404
    assert api.get(f"{BASE}{application.number}/uploads/99999999999999999999/").status_code == 404


# --------------------------------------------------------------------------- transitions


def post(api, application, **data):
    return api.post(f"{BASE}{application.number}/transitions/", data, format="json")


def test_accepting_moves_the_application_on_and_answers_the_new_detail(item, api):
    application = make_application(item=item)
    response = post(api, application, action="accept", note="材料齐全，予以受理。",
                    external_reference="JY-2026-7")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "in_progress" and data["external_reference"] == "JY-2026-7"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_PROGRESS
    assert application.external_reference == "JY-2026-7"
    kinds = [event["kind"] for event in data["timeline"]]
    assert "accepted" in kinds and "back_office" in kinds
    audit = AuditEvent.objects.get(action="services.application.accepted")
    assert audit.actor is None and audit.data["system"]["name"] == "教育审批系统"


def test_a_transition_queues_webhooks_for_the_bodys_systems(cluster, item, api):
    listener, _key = register(cluster, name="推送接收系统", webhook_url="https://jyj.example.cn/h")
    application = make_application(item=item)
    assert post(api, application, action="accept").status_code == 200
    delivery = WebhookDelivery.objects.get(system=listener)
    assert delivery.event_kind == "accepted" and delivery.status == WebhookDeliveryStatus.PENDING
    assert delivery.payload["application"]["status"] == "in_progress"


def test_refusing_needs_a_reason(item, api):
    application = make_application(item=item)
    response = post(api, application, action="refuse")
    assert response.status_code == 400 and "reason" in response.json()
    response = post(api, application, action="refuse", reason="申请事项不属于本机关职权范围。")
    assert response.status_code == 200 and response.json()["status"] == "refused"


def test_a_supplement_notice_is_posted(item, api):
    application = make_application(item=item)
    assert "notice" in post(api, application, action="request_supplement").json()
    response = post(api, application, action="request_supplement",
                    notice="请补充户口簿首页及本人页复印件。")
    assert response.status_code == 200
    assert response.json()["status"] == "supplement_requested"
    assert response.json()["supplement_notice"] == "请补充户口簿首页及本人页复印件。"


def test_completing_a_step_needs_a_step_of_the_item(cluster, item, api):
    application = make_application(item=item, status=ApplicationStatus.IN_PROGRESS)
    assert "step" in post(api, application, action="complete_step").json()
    foreign = make_item(body=cluster.education).steps.first()
    response = post(api, application, action="complete_step", step=foreign.pk)
    assert response.status_code == 400 and "step" in response.json()
    assert "step" in post(api, application, action="complete_step", step="two").json()
    step = item.steps.get(name="审查")
    response = post(api, application, action="complete_step", step=step.pk, note="审查通过。")
    assert response.status_code == 200, response.json()
    assert any(event["step"] == "审查" for event in response.json()["timeline"])


def test_deciding_and_delivering(item, api):
    application = make_application(item=item, status=ApplicationStatus.IN_PROGRESS)
    assert "note" in post(api, application, action="deny").json()
    response = post(api, application, action="approve", note="准予转学。")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert "method" in post(api, application, action="deliver").json()
    assert "method" in post(api, application, action="deliver", method="pigeon").json()
    response = post(api, application, action="deliver", method="online", note="已发送电子文书。")
    assert response.status_code == 200 and response.json()["status"] == "delivered"


def test_denying_with_a_reason(item, api):
    application = make_application(item=item, status=ApplicationStatus.IN_PROGRESS)
    response = post(api, application, action="deny", note="不符合转学条件：学籍不在本市。")
    assert response.status_code == 200 and response.json()["status"] == "denied"


def test_a_transition_the_state_does_not_allow_gets_400_and_changes_nothing(item, api):
    application = make_application(item=item, status=ApplicationStatus.DELIVERED)
    response = post(api, application, action="accept", external_reference="JY-1")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DELIVERED
    assert application.external_reference == ""  # the whole request was rolled back


@pytest.mark.parametrize("data", [{}, {"action": "explode"}, {"action": "accept", "note": 5 * "x" * 500},
                                  {"action": "accept", "external_reference": "x" * 65}])
def test_invalid_input_gets_400_with_field_messages(item, api, data):
    application = make_application(item=item)
    response = api.post(f"{BASE}{application.number}/transitions/", data, format="json")
    assert response.status_code == 400
    assert set(response.json()) & {"action", "note", "external_reference"}
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_malformed_json_gets_400(item, api):
    application = make_application(item=item)
    response = api.post(f"{BASE}{application.number}/transitions/", "{not json",
                        content_type="application/json")
    assert response.status_code == 400


def test_an_application_not_yet_passed_on_to_the_body_cannot_be_handled_by_its_system(
        cluster, item, api):
    application = make_application(item=item, body=cluster.district)
    assert api.get(f"{BASE}{application.number}/").status_code == 200
    response = post(api, application, action="accept")
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_transition_endpoint_takes_only_post(item, api):
    application = make_application(item=item)
    assert api.get(f"{BASE}{application.number}/transitions/").status_code == 405


# --------------------------------------------------------------------------- schema


@pytest.fixture
def schema() -> dict:
    response = APIClient().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_schema_documents_the_backoffice_api_and_validates(schema):
    validate(schema)
    paths = schema["paths"]
    assert {"/api/v1/services/backoffice/applications/",
            "/api/v1/services/backoffice/applications/{number}/",
            "/api/v1/services/backoffice/applications/{number}/uploads/{id}/",
            "/api/v1/services/backoffice/applications/{number}/transitions/"} <= set(paths)
    scheme = schema["components"]["securitySchemes"]["backOfficeKey"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for path, operations in paths.items():
        if path.startswith("/api/v1/services/backoffice/"):
            for operation in operations.values():
                assert operation["security"] == [{"backOfficeKey": []}]
    transition = paths["/api/v1/services/backoffice/applications/{number}/transitions/"]["post"]
    assert transition["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Transition"}
    assert "200" in transition["responses"] and "400" in transition["responses"]
    listing = paths["/api/v1/services/backoffice/applications/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"status", "updated_since", "page"}


def test_an_unused_random_key_cannot_be_guessed_from_the_prefix(system):
    record, _key = system
    guess = f"ck_{record.key_prefix}{uuid.uuid4().hex}"
    assert client_for(guess).get(BASE).status_code == 401
