import pytest
from rest_framework.test import APIClient

from chuangkou.organizations.choices import BodyKind
from chuangkou.organizations.tests.factories import make_body

BODIES_LIST_QUERIES = 2


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def test_bodies_are_listed_in_tree_order_with_their_parent_and_identity(api_client, cluster):
    response = api_client.get("/api/v1/bodies/")

    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["slug"] == "city"
    assert {body["slug"] for body in results} == {"city", "education", "health", "dongcheng"}
    city, district = results[0], next(body for body in results if body["slug"] == "dongcheng")
    assert city["name"] == "示例市人民政府"
    assert city["short_name"] == "市政府"
    assert city["kind"] == BodyKind.CITY_GOVERNMENT
    assert city["kind_display"] == "市人民政府"
    assert city["parent"] is None
    assert city["depth"] == 1
    assert city["credit_code"] == cluster.city.credit_code
    assert district["parent"] == "city"
    assert district["depth"] == 2
    assert district["division_code"] == "330102"


def test_a_body_is_found_by_its_slug(api_client, cluster):
    response = api_client.get("/api/v1/bodies/education/")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "示例市教育局"
    assert body["kind_display"] == "政府部门"
    assert body["parent"] == "city"
    assert set(body) == {"name", "short_name", "slug", "kind", "kind_display", "credit_code",
                         "division_code", "address", "phone", "office_hours", "parent", "depth"}


def test_an_unknown_body_slug_is_not_found(api_client, cluster):
    assert api_client.get("/api/v1/bodies/no-such-body/").status_code == 404


def test_bodies_can_be_filtered_by_kind(api_client, cluster):
    response = api_client.get("/api/v1/bodies/", {"kind": BodyKind.DISTRICT_GOVERNMENT})

    assert [body["slug"] for body in response.json()["results"]] == ["dongcheng"]


def test_bodies_can_be_filtered_to_the_direct_children_of_a_parent(api_client, cluster):
    make_body(parent=cluster.district, name="示例市东城区朝阳街道办事处", slug="chaoyang",
              kind=BodyKind.STREET_OFFICE)

    city_children = api_client.get("/api/v1/bodies/", {"parent": "city"}).json()["results"]
    district_children = api_client.get("/api/v1/bodies/", {"parent": "dongcheng"}).json()

    assert {body["slug"] for body in city_children} == {"education", "health", "dongcheng"}
    assert [body["slug"] for body in district_children["results"]] == ["chaoyang"]
    assert district_children["results"][0]["parent"] == "dongcheng"


@pytest.mark.parametrize(("param", "value"), [("kind", "ministry"), ("parent", "no-such-body")])
def test_an_unknown_filter_value_is_a_400_naming_the_parameter(api_client, cluster, param, value):
    response = api_client.get("/api/v1/bodies/", {param: value})

    assert response.status_code == 400
    assert param in response.json()


def test_listing_bodies_takes_the_same_queries_however_many_there_are(
    api_client, cluster, django_assert_max_num_queries
):
    with django_assert_max_num_queries(BODIES_LIST_QUERIES):
        assert api_client.get("/api/v1/bodies/").json()["count"] == 4

    for number in range(6):
        make_body(parent=cluster.district, name=f"示例市东城区第{number}街道办事处",
                  kind=BodyKind.STREET_OFFICE)

    with django_assert_max_num_queries(BODIES_LIST_QUERIES):
        response = api_client.get("/api/v1/bodies/")
    listed = response.json()["results"]
    assert len(listed) == response.json()["count"] == 10
    district_at = [body["slug"] for body in listed].index("dongcheng")
    streets = listed[district_at + 1:district_at + 7]
    assert {body["parent"] for body in streets} == {"dongcheng"}
    assert {body["depth"] for body in streets} == {3}
