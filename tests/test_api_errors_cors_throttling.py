"""Around the endpoints: one JSON error shape, CORS for allowed frontends, throttling."""

import pytest
from rest_framework.throttling import SimpleRateThrottle

from blog.api.views import PostViewSet

from .factories import PostFactory

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"status", "code", "detail", "errors"}


@pytest.mark.parametrize(
    ("method", "url", "status", "code"),
    [
        ("get", "/api/v1/posts/missing/", 404, "not_found"),
        ("get", "/api/v1/no-such-endpoint/", 404, "not_found"),
        ("get", "/api/nothing", 404, "not_found"),
        ("post", "/api/v1/posts/", 401, "not_authenticated"),
        ("get", "/api/v1/posts/?published_before=tomorrow", 400, "invalid"),
    ],
)
def test_every_error_has_the_same_json_shape(api_client, method, url, status, code):
    response = getattr(api_client, method)(url)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["status"] == status
    assert body["code"] == code
    assert body["detail"]


def test_a_method_not_allowed_is_a_json_405(api_client, editor):
    api_client.force_authenticate(editor)

    response = api_client.delete("/api/v1/authors/")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert set(response.json()) == ERROR_KEYS


def test_request_bodies_are_json_only(api_client, editor):
    api_client.force_authenticate(editor)

    response = api_client.post("/api/v1/posts/", {"title": "Formulaire"}, format="multipart")

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_error_messages_follow_the_requests_language(api_client):
    french = api_client.get("/api/v1/posts/missing/", HTTP_ACCEPT_LANGUAGE="fr").json()["detail"]
    english = api_client.get("/api/v1/posts/missing/", HTTP_ACCEPT_LANGUAGE="en").json()["detail"]

    assert english == "Not found."
    assert french != english


def test_an_unexpected_failure_is_a_json_500_not_a_traceback(api_client, monkeypatch, settings):
    settings.DEBUG = False

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(PostViewSet, "list", explode)
    api_client.raise_request_exception = False  # answer as in production: through handler500

    response = api_client.get("/api/v1/posts/", HTTP_AUTHORIZATION="")

    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert "boom" not in response.content.decode()


@pytest.fixture
def frontend(settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://front.example"]
    return "https://front.example"


def test_cors_preflight_allows_a_configured_frontend(api_client, frontend):
    response = api_client.options(
        "/api/v1/posts/",
        HTTP_ORIGIN=frontend,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == frontend
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert "authorization" in response["Access-Control-Allow-Headers"]


def test_cors_exposes_the_caching_headers_to_the_frontend(api_client, frontend):
    PostFactory()

    response = api_client.get("/api/v1/posts/", HTTP_ORIGIN=frontend)

    assert response["Access-Control-Allow-Origin"] == frontend
    assert {"etag", "retry-after"} <= {
        h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")
    }


def test_cors_refuses_other_origins(api_client, frontend):
    response = api_client.options(
        "/api/v1/posts/", HTTP_ORIGIN="https://evil.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )

    assert "Access-Control-Allow-Origin" not in response


def test_cors_headers_only_on_the_api(api_client, frontend):
    response = api_client.get("/admin/login/", HTTP_ORIGIN=frontend)

    assert "Access-Control-Allow-Origin" not in response


def test_anonymous_reads_are_throttled_per_ip_with_retry_after(api_client, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "3/min")

    # Different pages, so that none is answered from the response cache.
    statuses = [api_client.get("/api/v1/posts/", {"page_size": size}).status_code for size in range(1, 5)]

    assert statuses == [200, 200, 200, 429]
    response = api_client.get("/api/v1/posts/", {"page_size": 9})
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_read_throttling_is_generous_by_default():
    rates = SimpleRateThrottle.THROTTLE_RATES

    assert rates["anon"] == "600/min"
    assert rates["user"] == "1200/min"
