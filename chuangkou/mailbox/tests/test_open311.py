"""Open311 GeoReport v2 at /open311/v2/: responses valid against the spec's JSON schemas, XML
as the spec shows it, nothing personal or unpublished in what anybody can read, and POST
guarded by the API key."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator
from lxml import etree
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from chuangkou.mailbox import actions
from chuangkou.mailbox.choices import LetterChannel, LetterEventKind, LetterStatus
from chuangkou.mailbox.models import Letter, Open311ApiKey
from chuangkou.mailbox.open311 import views
from chuangkou.mailbox.tests.factories import answer_letter, make_letter
from chuangkou.organizations.choices import Role

pytestmark = pytest.mark.django_db

SCHEMAS = Path("/work/shared/reference/open311/schema")
FROZEN = "2026-03-02 10:00 +0800"  # a Monday
WRITER_VALUES = ("王小明", "13912345678", "wang.xiaoming@example.com", "和平路12号")
REPLY = "您好，经核实，已协调交警部门在上下学时段加强疏导。联系人李建国，电话13800001111。"
DESCRIPTION = "和平路小学门口上下学时段交通拥堵严重，希望增设临时停车点并加强疏导，保障学生安全。"
SECRET_REPLY = "内部答复：本答复未经写信人同意不得公开。"


def schema_validator(name: str) -> Draft202012Validator:
    resources = [(path.name, Resource.from_contents(json.loads(path.read_text()),
                                                    default_specification=DRAFT202012))
                 for path in SCHEMAS.glob("*.json") if path.name != "swagger.json"]
    registry = Registry().with_resources(resources)
    return Draft202012Validator(json.loads((SCHEMAS / name).read_text()), registry=registry,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def assert_valid(data, schema: str) -> None:
    errors = list(schema_validator(schema).iter_errors(data))
    assert not errors, [error.message for error in errors]


def xml_of(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return etree.fromstring(response.content)


def json_of(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


@pytest.fixture
def travel():
    with time_machine.travel(FROZEN, tick=False) as traveller:
        yield traveller


@pytest.fixture
def api_key(cluster):
    _key, plaintext = actions.create_open311_api_key(
        name="掌上示例市", actor=cluster.user("city", Role.LETTER_DISPATCHER))
    return plaintext


@pytest.fixture
def letters(cluster, travel):
    """A published answered letter, an answered one the writer did not let us publish, and an
    open one, all to the education bureau."""
    published = make_letter(cluster=cluster, addressed_body=cluster.education,
                            title="关于和平路小学交通的咨询",
                            content="我叫王小明，住和平路12号，电话13912345678。和平路小学门口拥堵。")
    answer_letter(published, cluster, text=REPLY)
    actions.publish_letter(letter=published,
                           actor=cluster.user("education", Role.LETTER_REVIEWER))
    private = make_letter(cluster=cluster, addressed_body=cluster.education, may_publish=False)
    answer_letter(private, cluster, text=SECRET_REPLY)
    waiting = make_letter(cluster=cluster, addressed_body=cluster.education, kind_code="tousu")
    return {"published": Letter.objects.get(pk=published.pk),
            "private": Letter.objects.get(pk=private.pk),
            "open": Letter.objects.get(pk=waiting.pk)}


def by_id(items):
    return {item["service_request_id"]: item for item in items}


# --- discovery and services -------------------------------------------------------------------


def test_discovery_names_the_v2_endpoint_with_both_formats(client):
    data = json_of(client.get("/open311/v2/discovery.json"))
    assert set(data) == {"changeset", "contact", "key_service", "endpoints"}
    (endpoint,) = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = xml_of(client.get("/open311/v2/discovery.xml"))
    assert root.tag == "discovery"
    assert root.xpath("endpoints/endpoint/formats/format/text()") == ["text/xml",
                                                                      "application/json"]
    assert client.get("/open311/v2/").url == "/open311/v2/discovery.xml"


def test_services_are_kinds_for_every_body_and_for_not_sure(client, cluster):
    data = json_of(client.get("/open311/v2/services.json"))
    assert_valid(data, "services.json")
    services = {item["service_code"]: item for item in data}
    assert services["zixun.education"]["service_name"] == "咨询 · 示例市教育局"
    assert services["zixun.education"]["group"] == "市教育局"
    assert services["zixun.education"]["type"] == "realtime"
    assert "5个工作日" in services["zixun.education"]["description"]
    assert services["tousu"]["group"] == "不确定"
    assert {"zixun", "qiuzhu", "tousu", "jianyi", "piping"} <= set(services)
    # 5 kinds × (4 bodies + 不确定)
    assert len(data) == 25
    root = xml_of(client.get("/open311/v2/services.xml"))
    assert root.tag == "services"
    assert len(root.findall("service")) == 25
    first = root.find("service")
    assert first.findtext("metadata") == "true"
    assert first.findtext("service_code") == data[0]["service_code"]


def test_an_inactive_kind_offers_no_service(client, cluster):
    kind = actions.save_letter_kind(actor=cluster.user("city", Role.LETTER_DISPATCHER),
                                    kind=Letter._meta.get_field("kind").related_model
                                    .objects.get(code="piping"), is_active=False)
    assert kind.is_active is False
    codes = {item["service_code"] for item in json_of(client.get("/open311/v2/services.json"))}
    assert "piping" not in codes and "piping.education" not in codes
    assert client.get("/open311/v2/services/piping.json").status_code == 404


def test_service_definition_is_valid_and_offers_title_and_consent(client, cluster):
    data = json_of(client.get("/open311/v2/services/jianyi.health.json"))
    assert_valid(data, "service-definition.json")
    assert data["service_code"] == "jianyi.health"
    assert [attribute["code"] for attribute in data["attributes"]] == ["title", "may_publish"]
    assert not any(attribute["required"] for attribute in data["attributes"])
    root = xml_of(client.get("/open311/v2/services/jianyi.health.xml"))
    assert root.tag == "service_definition"
    assert root.xpath("attributes/attribute/values/value/key/text()") == ["1", "0"]


@pytest.mark.parametrize("code", ["nosuchkind", "zixun.nosuchbody", "zixun.education.x"])
def test_an_unknown_service_code_is_a_404_error_list(client, cluster, code):
    response = client.get(f"/open311/v2/services/{code}.json")
    assert response.status_code == 404
    (error,) = json_of(response)
    assert error["code"] == 404 and code in error["description"]
    root = xml_of(client.get(f"/open311/v2/services/{code}.xml"))
    assert root.tag == "errors" and root.findtext("error/code") == "404"


# --- GET requests ------------------------------------------------------------------------------


def test_requests_validate_against_the_schema_in_json_and_match_in_xml(client, letters):
    data = json_of(client.get("/open311/v2/requests.json"))
    assert_valid(data, "requests.json")
    assert len(data) == 3
    root = xml_of(client.get("/open311/v2/requests.xml"))
    assert root.tag == "service_requests"
    assert [item.findtext("service_request_id") for item in root.findall("request")] == [
        item["service_request_id"] for item in data]


def test_a_published_letter_shows_its_masked_content_and_reply(client, letters):
    letter = letters["published"]
    item = by_id(json_of(client.get("/open311/v2/requests.json")))[letter.number]
    assert item["status"] == "closed"
    assert item["description"] == letter.published_content
    assert item["status_notes"] == letter.published_reply
    assert item["agency_responsible"] == "示例市教育局"
    assert item["service_code"] == "zixun.education"
    assert item["service_name"] == "咨询 · 示例市教育局"
    assert item["requested_datetime"] == "2026-03-02T10:00:00+08:00"
    assert item["updated_datetime"] == "2026-03-02T10:00:00+08:00"
    assert item["expected_datetime"].endswith("T23:59:59+08:00")
    for value in (*WRITER_VALUES, "13800001111"):
        assert value not in item["description"] + item["status_notes"]


def test_unpublished_letters_show_only_number_service_status_and_dates(client, letters):
    items = by_id(json_of(client.get("/open311/v2/requests.json")))
    private, waiting = items[letters["private"].number], items[letters["open"].number]
    assert private["status"] == "closed" and private["status_notes"] == "来信已答复。"
    assert waiting["status"] == "open" and waiting["status_notes"] == "来信正在办理。"
    for item in (private, waiting):
        assert set(item) == {"service_request_id", "status", "status_notes", "service_name",
                             "service_code", "requested_datetime", "updated_datetime",
                             "expected_datetime"}
    body = client.get("/open311/v2/requests.xml").content.decode()
    body += client.get("/open311/v2/requests.json").content.decode()
    assert SECRET_REPLY not in body
    assert letters["open"].title not in body
    for value in WRITER_VALUES:
        assert value not in body


def test_requests_filter_by_id_status_and_service_code(client, letters):
    published, private, waiting = (letters[name].number for name in ("published", "private",
                                                                      "open"))

    def numbers(query):
        return sorted(item["service_request_id"] for item in
                      json_of(client.get(f"/open311/v2/requests.json?{query}")))

    assert numbers(f"service_request_id={published},{waiting}") == sorted([published, waiting])
    # service_request_id overrides every other argument
    assert numbers(f"service_request_id={waiting}&status=closed") == [waiting]
    assert numbers("status=open") == [waiting]
    assert numbers("status=closed") == sorted([published, private])
    assert numbers("status=open,closed") == sorted([published, private, waiting])
    assert numbers("service_code=tousu.education") == [waiting]
    assert numbers("service_code=zixun.education,tousu.education") == sorted(
        [published, private, waiting])
    assert numbers("service_code=zixun") == []


def test_requests_default_to_the_last_90_days_and_take_a_date_range(client, letters, travel):
    travel.shift(timedelta(days=91))
    assert json_of(client.get("/open311/v2/requests.json")) == []
    data = json_of(client.get("/open311/v2/requests.json?start_date=2026-03-01T00:00:00%2B08:00"
                              "&end_date=2026-03-03T00:00:00Z"))
    assert len(data) == 3
    data = json_of(client.get("/open311/v2/requests.json?start_date=2026-03-02T10:00:01%2B08:00"))
    assert data == []
    # an unencoded "+" of the offset arrives as a space and is still understood
    data = json_of(client.get("/open311/v2/requests.json?start_date=2026-03-02T09:59:59+08:00"))
    assert len(data) == 3


@pytest.mark.parametrize("query, fragment", [
    ("start_date=yesterday", "start_date"),
    ("start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", "90"),
    ("start_date=2026-03-02T00:00:00Z&end_date=2026-03-01T00:00:00Z", "start_date"),
    ("status=pending", "status"),
])
def test_bad_request_arguments_are_400_errors(client, cluster, query, fragment):
    response = client.get(f"/open311/v2/requests.json?{query}")
    assert response.status_code == 400
    (error,) = json_of(response)
    assert error["code"] == 400 and fragment in error["description"]


def test_one_request_by_number_and_404_for_an_unknown_one(client, letters):
    number = letters["open"].number
    data = json_of(client.get(f"/open311/v2/requests/{number}.json"))
    assert_valid(data, "requests.json")
    assert [item["service_request_id"] for item in data] == [number]
    root = xml_of(client.get(f"/open311/v2/requests/{number}.xml"))
    assert root.findtext("request/status") == "open"
    response = client.get("/open311/v2/requests/XJ2026999999.xml")
    assert response.status_code == 404
    assert xml_of(response).findtext("error/code") == "404"


def test_the_request_list_costs_the_same_queries_for_one_letter_or_many(client, cluster, travel):
    make_letter(cluster=cluster, addressed_body=cluster.education)
    with CaptureQueriesContext(connection) as one:
        assert len(json_of(client.get("/open311/v2/requests.json"))) == 1
    for body in (cluster.health, cluster.district, None, cluster.education):
        make_letter(cluster=cluster, addressed_body=body)
    with CaptureQueriesContext(connection) as five:
        assert len(json_of(client.get("/open311/v2/requests.json"))) == 5
    assert len(five) == len(one)


def test_xml_escapes_text_and_drops_characters_xml_cannot_carry(client, cluster, travel):
    letter = make_letter(cluster=cluster, addressed_body=cluster.education)
    answer_letter(letter, cluster, text="答复 <b>加粗</b> & 其他")
    actions.publish_letter(letter=letter, actor=cluster.user("education", Role.LETTER_REVIEWER),
                           content="内容 <script>alert(1)</script> &amp;")
    root = xml_of(client.get(f"/open311/v2/requests/{letter.number}.xml"))
    assert root.findtext("request/description") == "内容 <script>alert(1)</script> &amp;"
    assert root.findtext("request/status_notes") == "答复 <b>加粗</b> & 其他"
    assert b"<script>" not in client.get(f"/open311/v2/requests/{letter.number}.xml").content


def test_open311_responses_are_never_stored_by_shared_caches(client, cluster):
    response = client.get("/open311/v2/services.json")
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]


def test_other_methods_get_a_405_error_list(client, cluster):
    response = client.delete("/open311/v2/services.json")
    assert response.status_code == 405
    assert json_of(response)[0]["code"] == 405
    assert client.post("/open311/v2/discovery.xml").status_code == 405


# --- POST requests -----------------------------------------------------------------------------


def post(client, api_key, fmt="json", **fields):
    data = {"api_key": api_key, "service_code": "zixun.education",
            "description": DESCRIPTION,
            "first_name": "小明", "last_name": "王", "phone": "13912345678",
            "email": "wang@example.com", **fields}
    return client.post(f"/open311/v2/requests.{fmt}", {k: v for k, v in data.items()
                                                       if v is not None})


def test_post_creates_a_letter_through_submit_letter_and_returns_its_number(
        cluster, api_key, travel):
    client = Client(enforce_csrf_checks=True)
    response = post(client, api_key, lat="30.274100", long="120.155100",
                    address_string="和平路小学门口", **{"attribute[may_publish]": "1"})
    assert response.status_code == 200
    (item,) = json_of(response)
    assert set(item) == {"service_request_id", "service_notice", "account_id"}
    letter = Letter.objects.select_related("writer").get(number=item["service_request_id"])
    assert letter.channel == LetterChannel.OPEN311
    assert letter.kind.code == "zixun" and letter.addressed_body == cluster.education
    assert letter.status == LetterStatus.IN_PROGRESS
    assert letter.title == DESCRIPTION[:30] and len(letter.title) == 30
    assert letter.may_publish is True
    assert letter.writer.name == "王小明" and letter.writer.email == "wang@example.com"
    assert str(letter.latitude) == "30.274100" and letter.address_text == "和平路小学门口"
    assert letter.events.filter(kind=LetterEventKind.SUBMITTED).exists()
    assert Open311ApiKey.objects.get(name="掌上示例市").last_used_at is not None
    assert "5个工作日" in item["service_notice"]


def test_post_takes_the_title_attribute_and_keeps_media_url_in_the_content(
        client, cluster, api_key, travel):
    response = post(client, api_key, fmt="xml", service_code="jianyi",
                    media_url="https://example.org/photo.jpg",
                    **{"attribute[title]": "建议增设停车点"})
    root = xml_of(response)
    number = root.findtext("request/service_request_id")
    letter = Letter.objects.get(number=number)
    assert letter.title == "建议增设停车点"
    assert letter.addressed_body is None and letter.status == LetterStatus.AWAITING_DISPATCH
    assert letter.content.endswith("https://example.org/photo.jpg")
    assert letter.may_publish is False


@pytest.mark.parametrize("api_key_value", [None, "", "not-a-key"])
def test_post_without_a_valid_api_key_is_403_and_creates_nothing(
        client, cluster, api_key_value):
    response = post(client, api_key_value)
    assert response.status_code == 403
    (error,) = json_of(response)
    assert error["code"] == 403 and "api_key" in error["description"]
    assert not Letter.objects.exists()


def test_a_revoked_key_is_refused(client, cluster, api_key):
    key = Open311ApiKey.objects.get(name="掌上示例市")
    actions.revoke_open311_api_key(key=key, actor=cluster.user("city", Role.LETTER_DISPATCHER))
    assert post(client, api_key).status_code == 403


@pytest.mark.parametrize("fields, status, fragment", [
    ({"service_code": None}, 400, "service_code"),
    ({"service_code": "nosuch.education"}, 404, "nosuch.education"),
    ({"description": ""}, 400, "description"),
    ({"description": "x" * 4001}, 400, "4000"),
    ({"description": "请看<img src=x onerror=alert(1)>"}, 400, "HTML"),
    ({"lat": "30.1"}, 400, "lat/long"),
    ({"lat": "91", "long": "120"}, 400, "lat"),
    ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
    ({"phone": None, "email": None}, 400, "phone"),
    ({"first_name": None, "last_name": None}, 400, "first_name"),
    ({"email": "not-an-address"}, 400, "email"),
    ({"attribute[may_publish]": "maybe"}, 400, "may_publish"),
])
def test_post_refuses_bad_arguments_with_the_spec_error_list(
        client, cluster, api_key, fields, status, fragment):
    response = post(client, api_key, **fields)
    assert response.status_code == status
    errors = json_of(response)
    assert all(error["code"] == status for error in errors)
    assert any(fragment in error["description"] for error in errors), errors
    assert not Letter.objects.exists()


def test_post_is_rate_limited_per_api_key(client, cluster, api_key, monkeypatch, travel):
    monkeypatch.setattr(views, "POSTS_PER_MINUTE_PER_KEY", 2)
    assert post(client, api_key).status_code == 200
    assert post(client, api_key).status_code == 200
    response = post(client, api_key)
    assert response.status_code == 429
    assert json_of(response)[0]["code"] == 429
    assert Letter.objects.count() == 2
    travel.shift(timedelta(minutes=1))
    assert post(client, api_key).status_code == 200


def test_the_schema_check_itself_catches_a_time_without_offset_and_a_numeric_id():
    bad = [{"service_request_id": 1, "status": "open", "service_code": "zixun",
            "requested_datetime": "2026-03-02T10:00:00"}]
    messages = [error.message for error in schema_validator("requests.json").iter_errors(bad)]
    assert any("date-time" in message for message in messages)
    assert any("is not of type 'string'" in message for message in messages)
