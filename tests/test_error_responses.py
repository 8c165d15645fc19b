"""Readers and clients get clear error pages, never a traceback."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper


@pytest.fixture
def database_down():
    error = OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')
    with mock.patch.object(CursorWrapper, "execute", side_effect=error):
        yield


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


@pytest.mark.django_db
def test_unreachable_database_gives_readers_a_503_page(client, database_down):
    response = client.get("/un-article/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    assert b"Traceback" not in response.content
    assert "indisponible" in response.content.decode()


@pytest.mark.django_db
def test_unreachable_database_gives_api_clients_json(client, database_down):
    response = client.get("/api/v1/posts/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"


@pytest.mark.django_db
def test_other_server_errors_are_a_plain_500_page(client):
    with mock.patch("blog.views.readable_posts", side_effect=RuntimeError("boom")):
        response = client.get("/un-article/")
    assert response.status_code == 500
    assert b"boom" not in response.content
    assert b"Traceback" not in response.content


@pytest.mark.django_db
def test_request_body_over_the_limit_is_refused_with_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post("/api/v1/posts/", data=b"x" * 4096, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    response = client.post("/un-article/", data={"body": "x" * 4096})
    assert response.status_code == 413
