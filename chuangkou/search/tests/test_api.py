"""The search API: the same results as the page, as JSON, with 400s naming the parameter."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache

from chuangkou.services.tests.factories import make_item
from chuangkou.sitecluster.tests.factories import make_article

pytestmark = pytest.mark.django_db

URL = "/api/v1/search/"


@pytest.fixture(autouse=True)
def _clear_throttles():
    cache.clear()


@pytest.fixture
def documents(cluster, search_index):
    article = make_article(column=cluster.education_news, title="义务教育阶段招生入学政策解读",
                           body="<p>适龄儿童按学区入学。</p>")
    item = make_item(body=cluster.education, name="义务教育阶段转学申请", code="EDU000001")
    search_index.apply()
    return article, item


def test_search_returns_results_facets_and_direct_answers(client, documents):
    article, _item = documents
    response = client.get(URL, {"q": "义务教育"})
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 2
    keys = [hit["key"] for hit in data["results"]]
    assert f"page:{article.pk}" in keys
    assert data["direct_answers"][0]["title"] == "义务教育阶段转学申请"
    assert {count["value"] for count in data["facets"]["type"]} == {"article", "service_item"}
    hit = next(hit for hit in data["results"] if hit["key"] == f"page:{article.pk}")
    assert "<mark>" in hit["title_html"] and hit["type_label"] == "文章"


def test_type_filter_and_page_size(client, documents):
    data = client.get(URL, {"q": "义务教育", "type": "service_item", "page_size": 1}).json()
    assert data["total"] == 1
    assert [hit["type"] for hit in data["results"]] == ["service_item"]


def test_page_past_the_end_is_empty(client, documents):
    data = client.get(URL, {"q": "义务教育", "page": 500}).json()
    assert data["results"] == [] and data["total"] == 2


@pytest.mark.parametrize(("params", "field"), [
    ({}, "q"),
    ({"q": ""}, "q"),
    ({"q": "x" * 201}, "q"),
    ({"q": "义务教育", "type": "spaceship"}, "type"),
    ({"q": "义务教育", "page": "abc"}, "page"),
    ({"q": "义务教育", "page": "0"}, "page"),
    ({"q": "义务教育", "page_size": "1000"}, "page_size"),
    ({"q": "义务教育", "year": "20x5"}, "year"),
    ({"q": "义务教育", "site": "-3"}, "site"),
])
def test_invalid_request_is_a_400_naming_the_parameter(client, documents, params, field):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("query", ["AND", "\"", "-", "！？。", "((()))", "*", "社保" * 100])
def test_odd_but_valid_queries_answer_200_quickly(client, documents, query):
    started = time.monotonic()
    response = client.get(URL, {"q": query})
    assert time.monotonic() - started < 1.0
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


def test_suggestions_endpoint(client, documents):
    response = client.get(URL + "suggestions/", {"q": "yiwu"})
    assert response.status_code == 200
    assert any(word.startswith("义务") for word in response.json()["suggestions"])
    assert client.get(URL + "suggestions/").status_code == 400


def test_search_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/search/"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {
        "q", "type", "site", "page"}
    assert "/api/v1/search/suggestions/" in schema["paths"]
