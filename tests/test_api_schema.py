"""The OpenAPI schema: valid, complete (every route, every error) and browsable offline."""

import re

import pytest
from django.urls import URLPattern, URLResolver
from openapi_spec_validator import validate

from plume.api import urls as api_urls

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.json()


def api_routes(patterns=None, prefix="/api/v1/"):
    """Every route under /api/v1/, as OpenAPI path templates."""
    for entry in api_urls.v1_patterns if patterns is None else patterns:
        route = str(entry.pattern)
        route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)  # router regexes
        route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)  # path() converters
        route = (
            route.lstrip("^").rstrip("$").replace("\\.", ".").replace("{pk}", "{id}")
        )  # as OpenAPI names it
        if isinstance(entry, URLResolver):
            yield from api_routes(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern) and "format" not in route:
            yield prefix + route


def test_schema_is_valid_openapi(schema):
    validate(schema)


def test_schema_lists_every_route(schema):
    routes = set(api_routes())

    assert routes  # the walk found the router's routes
    assert routes == set(schema["paths"])


def test_schema_documents_every_error_of_every_operation(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            responses = operation["responses"]
            for code in ("401", "404", "429"):
                assert code in responses, (method, path, code)
                assert responses[code]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Error"
                }
            if method != "get":
                assert {"400", "403"} <= set(responses), (method, path)
            if method == "get" and "moderation" not in path and "token" not in path:
                assert "304" in responses, path


def test_schema_documents_every_parameter(schema):
    posts = {p["name"] for p in schema["paths"]["/api/v1/posts/"]["get"]["parameters"]}
    detail = schema["paths"]["/api/v1/posts/{slug}/"]["get"]["parameters"]

    assert posts == {
        "author", "category", "tag", "search", "published_after", "published_before",
        "status", "ordering", "page", "page_size", "fields", "expand",
    }  # fmt: skip
    # ?fields= and ?expand=, and a preview link's token in the query or a header (blog.api.previews).
    assert sorted((p["name"], p["in"]) for p in detail) == [
        ("X-Plume-Preview", "header"),
        ("expand", "query"),
        ("fields", "query"),
        ("preview", "query"),
        ("slug", "path"),
    ]
    for operations in schema["paths"].values():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                assert parameter.get("description") or parameter["in"] == "path", (method, parameter)


def test_schema_describes_the_error_shape(schema):
    error = schema["components"]["schemas"]["Error"]

    assert set(error["properties"]) == {"status", "code", "detail", "errors"}


def test_swagger_ui_is_served_offline_within_the_content_security_policy(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    # Every script is a same-origin file: the CSP's script-src 'self' allows them all.
    assert "<script>" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert "/api/schema/" in script.content.decode()
