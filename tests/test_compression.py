"""HTML answers are gzip-compressed when the client accepts it, except pages with a CSRF token (BREACH)."""

import gzip

import pytest

from .factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def posts():
    return PostFactory.create_batch(3)


@pytest.mark.parametrize("url", ["/", "/search/?q=article", "/feed/", "/sitemap.xml", "/api/v1/posts/"])
def test_pages_without_a_secret_are_compressed_for_a_client_that_accepts_it(client, posts, url):
    response = client.get(url, **GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content)


def test_a_client_that_does_not_accept_gzip_gets_plain_text(client, posts):
    response = client.get("/")
    assert not response.has_header("Content-Encoding")
    assert response.content.decode().startswith("<!doctype html>")


def test_a_post_page_with_its_comment_form_carries_no_secret_and_is_compressed(client, posts):
    # The comment form has no CSRF token (core.origin checks the origin): nothing for BREACH to find.
    post = posts[0]
    CommentFactory(post=post)
    response = client.get(post.get_absolute_url(), **GZIP)
    assert response["Content-Encoding"] == "gzip"
    content = gzip.decompress(response.content).decode()
    assert 'id="commentform"' in content
    assert "csrfmiddlewaretoken" not in content


def test_the_admin_login_form_is_never_compressed(client):
    response = client.get("/admin/login/", **GZIP)
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert not response.has_header("Content-Encoding")


def test_a_signed_in_editors_form_page_is_never_compressed(client, editor):
    client.force_login(editor)
    response = client.get("/admin/blog/post/add/", **GZIP)
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert not response.has_header("Content-Encoding")


def test_a_compressed_api_answer_still_revalidates_with_its_weak_etag(client, posts):
    first = client.get("/api/v1/posts/", **GZIP)
    assert first["ETag"].startswith('W/"')
    again = client.get("/api/v1/posts/", HTTP_IF_NONE_MATCH=first["ETag"], **GZIP)
    assert again.status_code == 304
