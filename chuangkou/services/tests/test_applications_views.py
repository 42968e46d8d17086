"""Public pages of applications: apply, receipt, query, the application page, supplement,
withdrawal, uploads, 我的办件; other people's numbers, escaping, rate limits, form tokens."""

import itertools

import pytest
from django.test import Client
from django.urls import reverse

from chuangkou.accounts.tests.factories import make_citizen
from chuangkou.organizations.choices import Role

from .. import actions
from ..choices import ApplicationStatus, OnlineDepth, RequiredIdentity
from ..models import ServiceApplication
from .factories import QUERY_CODE, make_application, make_item
from .test_applications_support import pdf, required_material, submit

pytestmark = pytest.mark.django_db

_addresses = itertools.count(1)


@pytest.fixture
def client():
    # A fresh address per test: the rate limits count per address in the shared cache.
    number = next(_addresses)
    return Client(REMOTE_ADDR=f"10.66.{number // 250}.{number % 250 + 1}")


@pytest.fixture
def item(cluster):
    return make_item(body=cluster.education)


def _post_data(item, **overrides):
    data = {"name": "李建华", "phone": "13912345678", "email": "", "address": "",
            "resident_id": "", "answer_student_name": "李小明", "answer_grade": "二年级",
            "form_token": overrides.pop("form_token", "tok-" + str(next(_addresses))),
            f"material_{required_material(item).pk}": pdf()}
    data.update(overrides)
    return data


def _grant(client, application):
    response = client.post(reverse("services:query"),
                           {"number": application.number, "code": QUERY_CODE})
    assert response.status_code == 302


def test_apply_form_renders_fields_of_the_item(client, item):
    response = client.get(reverse("services:apply", args=[item.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "学生姓名" in body and "二年级" in body and "转学申请表" in body
    assert 'name="form_token"' in body
    assert "no-store" in response["Cache-Control"]


def test_apply_404_for_unpublished_or_low_depth_items(client, cluster):
    hidden = make_item(body=cluster.education, published=False)
    guide_only = make_item(body=cluster.education, online_depth=OnlineDepth.INFORMATION)
    for code in (hidden.code, guide_only.code, "NOSUCHCODE"):
        assert client.get(reverse("services:apply", args=[code])).status_code == 404


def test_apply_needing_an_account_redirects_anonymous_to_login(client, cluster):
    item = make_item(body=cluster.education, required_identity=RequiredIdentity.ACCOUNT)
    response = client.get(reverse("services:apply", args=[item.code]))
    assert response.status_code == 302
    assert "next=" in response["Location"] and item.code in response["Location"]


def test_apply_with_too_low_identity_explains_the_level_with_403(client, cluster):
    item = make_item(body=cluster.education, required_identity=RequiredIdentity.REAL_NAME)
    client.force_login(cluster.user("health", Role.EDITOR))
    response = client.get(reverse("services:apply", args=[item.code]))
    assert response.status_code == 403
    body = response.content.decode()
    assert "实名认证" in body and 'name="form_token"' not in body


def test_valid_application_shows_receipt_with_code_once(client, item):
    response = client.post(reverse("services:apply", args=[item.code]), _post_data(item))
    application = ServiceApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("services:receipt", args=[application.number])
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    body = receipt.content.decode()
    assert application.number in body and "查询码只显示这一次" in body
    again = client.get(response["Location"]).content.decode()
    assert "查询码只显示这一次" not in again
    assert client.get(reverse("services:application", args=[application.number])).status_code \
        == 200


def test_invalid_application_shows_every_error_with_its_field(client, item):
    data = _post_data(item, name="", phone="123", answer_student_name="",
                      answer_grade="九年级")
    data.pop(f"material_{required_material(item).pk}")
    response = client.post(reverse("services:apply", args=[item.code]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "学生姓名：请填写学生姓名。" in body
    assert "请上传“转学申请表”的电子件" in body
    assert "手机号码应为以1开头的11位手机号码" in body
    assert not ServiceApplication.objects.exists()


def test_repeated_form_token_does_not_duplicate(client, item):
    data = _post_data(item, form_token="same-token-123")
    first = client.post(reverse("services:apply", args=[item.code]), data)
    data[f"material_{required_material(item).pk}"] = pdf()
    second = client.post(reverse("services:apply", args=[item.code]), data)
    assert first["Location"] == second["Location"]
    assert ServiceApplication.objects.count() == 1


def test_apply_rate_limit_answers_429_with_the_form(client, item, settings):
    settings.SERVICES_APPLICATIONS_PER_HOUR_PER_ADDRESS = 1
    assert client.post(reverse("services:apply", args=[item.code]),
                       _post_data(item)).status_code == 302
    response = client.post(reverse("services:apply", args=[item.code]), _post_data(item))
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert 'name="form_token"' in response.content.decode()
    assert ServiceApplication.objects.count() == 1


def test_query_grants_access_and_wrong_code_or_number_give_one_message(client, item):
    application = make_application(item=item)
    wrong_code = client.post(reverse("services:query"),
                             {"number": application.number, "code": "ZZZZ2345"})
    unknown = client.post(reverse("services:query"), {"number": "BJ2099999999",
                                                      "code": QUERY_CODE})
    message = "办件编号或查询码不正确"
    assert wrong_code.status_code == unknown.status_code == 400
    assert message in wrong_code.content.decode() and message in unknown.content.decode()
    ok = client.post(reverse("services:query"),
                     {"number": application.number.lower(), "code": "abcd 2345"})
    assert ok["Location"] == reverse("services:application", args=[application.number])


def test_query_rate_limit_answers_429(client, item, settings):
    settings.SERVICES_LOOKUPS_PER_HOUR_PER_ADDRESS = 2
    for _ in range(2):
        client.post(reverse("services:query"), {"number": "BJ1", "code": "X"})
    response = client.post(reverse("services:query"), {"number": "BJ1", "code": "X"})
    assert response.status_code == 429 and "查询过于频繁" in response.content.decode()


def test_other_peoples_numbers_give_404(client, cluster, item):
    mine = make_application(item=item)
    other = make_application(item=item)
    _grant(client, mine)
    for name in ("application", "receipt"):
        assert client.get(reverse(f"services:{name}", args=[other.number])).status_code == 404
        assert client.get(reverse(f"services:{name}", args=["BJ2099000001"])).status_code == 404
    assert client.post(reverse("services:withdraw", args=[other.number])).status_code == 404
    assert client.post(reverse("services:supplement", args=[other.number])).status_code == 404
    upload_owner, _code = submit(item)
    upload = upload_owner.uploads.get()
    assert client.get(reverse("services:application_upload",
                              args=[upload_owner.number, upload.pk])).status_code == 404
    signed_in = Client()
    signed_in.force_login(cluster.user("health", Role.EDITOR))
    assert signed_in.get(reverse("services:application", args=[mine.number])).status_code == 404


def test_application_page_masks_personal_data_and_escapes_citizen_text(client, item):
    application = make_application(item=item, status=ApplicationStatus.REFUSED,
                                   refusal_reason="<script>alert(1)</script>不符合条件")
    _grant(client, application)
    response = client.get(reverse("services:application", args=[application.number]))
    body = response.content.decode()
    assert "李**" in body and "139****5678" in body
    assert "李建华" not in body and "13912345678" not in body
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "no-store" in response["Cache-Control"]


def test_applicant_downloads_own_upload(client, item):
    response = client.post(reverse("services:apply", args=[item.code]), _post_data(item))
    application = ServiceApplication.objects.get()
    upload = application.uploads.get()
    download = client.get(reverse("services:application_upload",
                                  args=[application.number, upload.pk]))
    assert download.status_code == 200 and response.status_code == 302
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_supplement_and_withdraw_through_the_page(client, cluster, item):
    application, _code = submit(item)
    session = client.session
    session["services_application_grants"] = [application.number]
    session.save()
    actions.request_supplement(application=application,
                               actor=cluster.user("education", Role.SERVICE_HANDLER),
                               notice="请补充<b>户口簿</b>复印件。")
    page = client.get(reverse("services:application", args=[application.number]))
    assert "&lt;b&gt;户口簿&lt;/b&gt;" in page.content.decode()
    empty = client.post(reverse("services:supplement", args=[application.number]), {})
    assert empty.status_code == 400 and "请上传补正材料或填写补正说明" in empty.content.decode()
    done = client.post(reverse("services:supplement", args=[application.number]),
                       {"uploads": [pdf("户口簿.pdf")], "note": "已补充"})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    client.post(reverse("services:withdraw", args=[application.number]), {"reason": "不需要了"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def test_decided_application_page_offers_the_rating_form(client, item):
    application = make_application(item=item, status=ApplicationStatus.APPROVED)
    _grant(client, application)
    body = client.get(reverse("services:application", args=[application.number])).content
    assert reverse("services:rate", args=[application.number]).encode() in body


def test_mine_lists_own_applications_and_redirects_anonymous(client, cluster, item):
    assert client.get(reverse("services:mine")).status_code == 302
    citizen = make_citizen().user
    own = make_application(item=item, user=citizen)
    other = make_application(item=item)
    client.force_login(citizen)
    body = client.get(reverse("services:mine")).content.decode()
    assert own.number in body and other.number not in body
