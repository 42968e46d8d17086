import re
from pathlib import Path

import pytest
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from openapi_spec_validator import validate
from rest_framework.test import APIClient

API_PATHS = {
    "/api/v1/bodies/",
    "/api/v1/bodies/{slug}/",
    "/api/v1/sites/",
    "/api/v1/sites/{identification_code}/",
    "/api/v1/columns/",
    "/api/v1/columns/{id}/",
    "/api/v1/columns/{id}/articles/",
    "/api/v1/articles/",
    "/api/v1/articles/{id}/",
    "/api/v1/submissions/",
    "/api/v1/submissions/{id}/adopt/",
    "/api/v1/submissions/{id}/decline/",
    "/api/v1/submissions/adoption-counts/",
}


@pytest.fixture
def schema() -> dict:
    response = APIClient().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi_3(schema):
    validate(schema)

    assert schema["openapi"].startswith("3.")


def test_the_schema_documents_every_endpoint_and_nothing_outside_the_api(schema):
    assert set(schema["paths"]) >= API_PATHS
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


def test_the_schema_documents_filters_and_typed_fields(schema):
    def query_parameters(path: str) -> dict[str, dict]:
        parameters = schema["paths"][path]["get"]["parameters"]
        return {p["name"]: p for p in parameters if p["in"] == "query"}

    assert set(query_parameters("/api/v1/bodies/")) >= {"kind", "parent"}
    assert query_parameters("/api/v1/articles/")["year"]["schema"]["type"] == "integer"
    assert query_parameters("/api/v1/articles/")["column"]["schema"]["type"] == "integer"
    counts = query_parameters("/api/v1/submissions/adoption-counts/")
    assert counts["year"]["required"] is True
    assert (counts["month"]["schema"]["minimum"], counts["month"]["schema"]["maximum"]) == (1, 12)
    column_articles = schema["paths"]["/api/v1/columns/{id}/articles/"]["get"]
    assert "site" not in {p["name"] for p in column_articles["parameters"]}
    assert column_articles["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PaginatedArticleListList"}
    article = schema["components"]["schemas"]["ArticleDetail"]["properties"]
    assert article["url"]["format"] == "uri"
    assert article["images"]["items"]["$ref"] == "#/components/schemas/ArticleImage"


def test_generating_the_schema_gives_no_warnings_or_errors(tmp_path: Path):
    GENERATOR_STATS.reset()

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "schema.yml")

    assert not GENERATOR_STATS
    assert "/api/v1/submissions/adoption-counts/" in (tmp_path / "schema.yml").read_text()


def test_the_api_docs_load_every_asset_from_our_own_static_files():
    response = APIClient().get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "SwaggerUIBundle" in html
    scripts = re.findall(r"<script[^>]*\ssrc=[\"']([^\"']+)", html)
    links = re.findall(r"<link[^>]*\shref=[\"']([^\"']+)", html)
    assert scripts and links
    for url in scripts + links:
        assert url.startswith("/static/"), url
    assert not re.search(r"(?:src|href)=[\"'](?:https?:)?//", html)
