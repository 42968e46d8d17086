"""网站受理—后台办理—网站反馈 end to end: a citizen applies on the website, the department's
system is told by a signed webhook, fetches the application (and its upload) over the API,
posts its handling back, and is told again; the applicant's timeline shows it."""

from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from .. import actions
from ..choices import ApplicationStatus
from ..webhooks import verify_signature
from .factories import make_item
from .integration_support import Receiver, register

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


def test_website_intake_back_office_handling_and_website_feedback(
        cluster, receiver, django_capture_on_commit_callbacks):
    system, key = register(cluster, webhook_url=receiver.url)
    item = make_item(body=cluster.education)
    material = item.materials.get(upload_required=True)
    with django_capture_on_commit_callbacks(execute=True):
        application, _code = actions.submit_application(
            item=item, applicant=actions.ApplicantInput(
                name="李建华", phone="13912345678", resident_id="11010519491231002X"),
            answers={"student_name": "李小明", "grade": "二年级"},
            uploads={material.pk: [SimpleUploadedFile("转学申请表.pdf", PDF,
                                                      content_type="application/pdf")]},
            form_token="e2e-token")

    # 1. The department's receiver is told, signed, without personal data.
    assert len(receiver.requests) == 1
    told = receiver.requests[0]
    assert verify_signature(secret=system.webhook_secret,
                            timestamp=told.headers["x-chuangkou-timestamp"], body=told.body,
                            signature=told.headers["x-chuangkou-signature"])
    assert told.json["event"] == "submitted"
    assert "11010519491231002X" not in told.body.decode()

    # 2. It fetches the application and its upload from the URLs in the webhook.
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    details = told.json["application"]
    detail = api.get(urlsplit(details["api_url"]).path).json()
    assert detail["applicant"]["resident_id"] == "11010519491231002X"
    download = api.get(urlsplit(details["uploads"][0]["url"]).path)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF

    # 3. It posts its handling back; each change is told to it again.
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"{urlsplit(details['api_url']).path}transitions/",
                            {"action": "accept", "external_reference": "JY-2026-0001"},
                            format="json")
    assert response.status_code == 200, response.json()
    step = next(step for step in response.json()["steps"] if step["name"] == "审查")
    with django_capture_on_commit_callbacks(execute=True):
        api.post(f"{urlsplit(details['api_url']).path}transitions/",
                 {"action": "complete_step", "step": step["id"], "note": "审查通过"},
                 format="json")
        api.post(f"{urlsplit(details['api_url']).path}transitions/",
                 {"action": "approve", "note": "准予转学。"}, format="json")
        final = api.post(f"{urlsplit(details['api_url']).path}transitions/",
                         {"action": "deliver", "method": "online"}, format="json")
    assert final.status_code == 200 and final.json()["status"] == "delivered"
    assert [request.json["event"] for request in receiver.requests] == [
        "submitted", "accepted", "step_completed", "approved", "delivered"]

    # 4. The applicant's side: the application moved on, with the system's handling recorded.
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DELIVERED
    assert application.external_reference == "JY-2026-0001"
    visible = list(application.events.filter(visible_to_applicant=True)
                   .values_list("kind", flat=True))
    assert {"accepted", "approved", "delivered"} <= set(visible)
