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
    with mock.patch("blog.views.readable_post", side_effect=RuntimeError("boom")):
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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/posts/un-article/"),
        ("get", "/api/v1/posts/un-article/comments/"),
        ("get", "/api/v1/posts/un-article/comments/token/"),
        ("get", "/api/v1/categories/"),
        ("get", "/api/v1/authors/simone/"),
        ("get", "/api/v1/pages/a-propos/"),
        ("post", "/api/v1/posts/un-article/comments/"),
    ],
)
def test_unreachable_database_gives_every_api_path_a_json_503(client, method, path):
    body = {"author_name": "Zoé", "author_email": "zoe@example.net", "body": "Bonjour"}
    with mock.patch.object(CursorWrapper, "execute", side_effect=OperationalError("connection refused")):
        if method == "post":
            response = client.post(path, body, content_type="application/json")
        else:
            response = client.get(path)
    assert response.status_code == 503, path
    assert response["Retry-After"] == "30"
    assert response.json()["code"] == "service_unavailable"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/search/?q=mistral", "/category/ia/", "/feed/", "/comments/feed/", "/sitemap.xml"]
)
def test_unreachable_database_gives_every_site_page_a_503_page(client, database_down, path):
    response = client.get(path)
    assert response.status_code == 503, path
    assert response["Content-Type"].startswith("text/html")
    assert b"Traceback" not in response.content


@pytest.mark.django_db
def test_unreachable_database_while_commenting_through_the_form_is_a_503(client):
    from tests.factories import PostFactory

    post = PostFactory()
    with mock.patch.object(CursorWrapper, "execute", side_effect=OperationalError("connection refused")):
        response = client.post(f"/comments/post/{post.pk}/", {"author_name": "Zoé", "body": "Bonjour"})
    assert response.status_code == 503
