"""
Absolute URLs take their origin from PLUME_SITE_URL when it is set (core.links), never
from the Host header as sent; without it, from the host the request came to.
"""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from comments.models import Comment
from core.checks import check_site_url_is_an_origin, check_site_url_is_set
from core.links import absolute_url

from .comments_support import comment_data
from .factories import AuthorFactory, CategoryFactory, CommentFactory, PageFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db

SITE = "https://blog.example.fr"
ODD_HOST = "testserver:8443"  # ALLOWED_HOSTS ignores the port: Django takes it


@pytest.fixture
def blog(settings, tmp_path):
    settings.PLUME_SITE_URL = SITE
    settings.MEDIA_ROOT = tmp_path
    settings.PLUME_POSTS_PER_PAGE = 1
    author = AuthorFactory(slug="simone")
    category, tag = CategoryFactory(slug="ia"), TagFactory(slug="europe")
    first = PostFactory(slug="premier", author=author, categories=[category], tags=[tag])
    post = PostFactory(
        slug="second",
        author=author,
        categories=[category],
        tags=[tag],
        featured_image=SimpleUploadedFile("une.gif", b"GIF89a", content_type="image/gif"),
    )
    CommentFactory(post=post, body="Un commentaire approuvé.")
    PageFactory(slug="a-propos")
    return {"post": post, "first": first}


SURFACES = [
    "/feed/",
    "/feed/atom/",
    "/category/ia/feed/",
    "/author/simone/feed/",
    "/comments/feed/",
    "/second/comments/feed/",
    "/sitemap.xml",
    "/robots.txt",
    "/",
    "/second/",
    "/a-propos/",
    "/api/v1/posts/",
    "/api/v1/posts/?page=2&page_size=1",
    "/api/v1/posts/second/",
    "/api/v1/authors/",
    "/api/v1/categories/",
    "/api/v1/tags/",
    "/api/v1/pages/",
]


@pytest.mark.parametrize("url", SURFACES)
def test_an_odd_host_port_is_never_echoed_when_the_site_url_is_set(client, blog, url):
    response = client.get(url, HTTP_HOST=ODD_HOST)
    assert response.status_code == 200
    content = response.content.decode()
    assert f"{SITE}/" in content
    assert "8443" not in content
    assert "testserver" not in content


def test_canonical_link_json_ld_and_images_are_on_the_site_url(client, blog):
    content = client.get("/second/", HTTP_HOST=ODD_HOST).content.decode()
    assert f'<link rel="canonical" href="{SITE}/second/">' in content
    assert f'"url": "{SITE}/second/"' in content
    assert f'"url": "{SITE}/author/simone/"' in content
    assert f'<meta property="og:image" content="{SITE}/media/featured/' in content
    home = client.get("/", HTTP_HOST=ODD_HOST).content.decode()
    assert f'<link rel="canonical" href="{SITE}/">' in home


def test_api_urls_and_pagination_links_are_on_the_site_url(api_client, blog):
    body = api_client.get("/api/v1/posts/?page_size=1&page=2", HTTP_HOST=ODD_HOST).json()
    assert body["previous"] == f"{SITE}/api/v1/posts/?page_size=1"
    assert body["next"] is None
    assert body["results"][0]["url"] == f"{SITE}/premier/"
    first_page = api_client.get("/api/v1/posts/?page_size=1", HTTP_HOST=ODD_HOST).json()
    assert first_page["next"] == f"{SITE}/api/v1/posts/?page=2&page_size=1"


def test_the_moderation_api_links_comments_on_the_site_url(api_client, blog, editor):
    api_client.force_authenticate(editor)
    body = api_client.get("/api/v1/moderation/comments/", HTTP_HOST=ODD_HOST).json()
    comment = Comment.objects.get()
    assert body["results"][0]["url"] == f"{SITE}/second/#comment-{comment.pk}"
    assert "8443" not in str(body)


def test_the_moderators_email_links_to_the_site_url(client, blog, editor, django_capture_on_commit_callbacks):
    post = blog["post"]
    mail.outbox.clear()
    data = {key: value for key, value in comment_data(post).items() if value is not None}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("comments:post", args=[post.pk]), {**data, "consent": ""}, HTTP_HOST=ODD_HOST
        )
    assert response.status_code == 302
    comment = Comment.objects.latest("pk")
    [message, *_] = mail.outbox
    assert f"{SITE}/admin/comments/comment/{comment.pk}/change/" in message.body
    assert f"{SITE}/second/" in message.body
    assert "8443" not in message.body


def test_without_a_site_url_links_stay_on_the_host_the_request_came_to(client, settings):
    settings.PLUME_SITE_URL = ""
    post = PostFactory(slug="un-article")
    content = client.get("/feed/", HTTP_HOST=ODD_HOST).content.decode()
    assert f"http://{ODD_HOST}{post.get_absolute_url()}" in content


@override_settings(PLUME_SITE_URL=SITE)
def test_absolute_url_keeps_urls_and_resolves_paths_on_the_site_url(rf):
    request = rf.get("/un-article/", HTTP_HOST=ODD_HOST)
    assert absolute_url("/tag/europe/", request=request) == f"{SITE}/tag/europe/"
    assert absolute_url("/tag/europe/", base_url="http://ailleurs.example") == f"{SITE}/tag/europe/"
    assert absolute_url("https://cdn.example/une.jpg", request=request) == "https://cdn.example/une.jpg"
    assert absolute_url("//cdn.example/une.jpg", request=request) == "https://cdn.example/une.jpg"
    assert absolute_url("image.jpg", request=request) == f"{SITE}/un-article/image.jpg"
    assert absolute_url("/recherche/?q=été", request=request) == f"{SITE}/recherche/?q=%C3%A9t%C3%A9"


@pytest.mark.parametrize(
    ("debug", "site_url", "warned"),
    [(False, "", True), (False, SITE, False), (True, "", False)],
)
def test_check_deploy_warns_when_production_has_no_site_url(settings, debug, site_url, warned):
    settings.DEBUG, settings.PLUME_SITE_URL = debug, site_url
    assert [message.id for message in check_site_url_is_set(None)] == (["plume.W010"] if warned else [])


@pytest.mark.parametrize(
    "value",
    ["blog.example.fr", "ftp://blog.example.fr", "https://", "https://blog.example.fr/blog",
     "https://blog.example.fr?x=1", "https://user@blog.example.fr", "https://blog.example.fr:port"],
)  # fmt: skip
def test_a_site_url_that_is_not_an_origin_is_an_error(settings, value):
    settings.PLUME_SITE_URL = value
    assert [message.id for message in check_site_url_is_an_origin(None)] == ["plume.E010"]


@pytest.mark.parametrize("value", [SITE, "http://127.0.0.1:8000", "https://[::1]:8443"])
def test_an_origin_is_a_valid_site_url(settings, value):
    settings.PLUME_SITE_URL = value
    assert check_site_url_is_an_origin(None) == []
