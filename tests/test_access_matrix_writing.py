"""
Who may change a post, and who may publish one: the role matrix against the admin
(its form, a crafted POST, the publish action) and the API. Nothing but editors
and superusers touches someone else's post; contributors never publish; authors
publish their own posts only; a published post is changed only by those who may
publish it (an editor without `publish_post` included). The admin is for staff; the
API answers the same rules to accounts that are not. Also: the Markdown editor's
upload and preview endpoints are for the people who write.
"""

import io

import pytest
from django.urls import reverse
from PIL import Image

from blog.models import Post, Status

from .access_support import ALL_ROLES, NOT_STAFF, ROLES, log_in, matrix
from .admin_support import post_form_data
from .factories import AuthorFactory, PostFactory
from .versions_support import if_match

pytestmark = pytest.mark.django_db

EDITORS = {"editor", "superuser", "superuser_not_staff"}
NEW_TITLE = "Titre changé par quelqu’un"


def others_post(status):
    if status == "draft":
        return PostFactory(title="L’article de Simone", author=AuthorFactory(slug="simone"), draft=True)
    return PostFactory(title="L’article de Simone", author=AuthorFactory(slug="simone"))


def edit_in_admin(client, api_client, post):
    response = client.post(
        reverse("admin:blog_post_change", args=[post.pk]), post_form_data(post, title=NEW_TITLE)
    )
    return response


def edit_through_api(client, api_client, post):
    url = reverse("api:v1:post-detail", kwargs={"slug": post.slug})
    return api_client.patch(url, {"title": NEW_TITLE}, format="json", **if_match(post))


EDIT_WAYS = {"admin form": edit_in_admin, "API PATCH": edit_through_api}


def through(way, role):
    """Whether `role` gets through to `way` at all: the admin is for staff."""
    return not (way.startswith("admin") and role in NOT_STAFF)


@pytest.mark.parametrize("status", ["draft", "published"])
@pytest.mark.parametrize("way", list(EDIT_WAYS))
@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_editors_and_superusers_edit_someone_elses_post(client, api_client, request, role, way, status):
    log_in(role, request, client, api_client)
    post = others_post(status)
    response = EDIT_WAYS[way](client, api_client, post)
    assert response.status_code < 500
    post.refresh_from_db()
    # An editor without `publish_post` works on drafts; what is published is out of their hands.
    editor = role in EDITORS or (role == "editor_without_publish" and status == "draft")
    assert (post.title == NEW_TITLE) is (editor and through(way, role))


# Publishing


def publish_action(client, api_client, post):
    return client.post(
        reverse("admin:blog_post_changelist"), {"action": "publish_selected", "_selected_action": [post.pk]}
    )


def publish_crafted_post(client, api_client, post):
    """The change form POSTed with status=published, whether or not the form offered that field."""
    url = reverse("admin:blog_post_change", args=[post.pk])
    return client.post(url, post_form_data(post, status=Status.PUBLISHED))


def publish_through_api(client, api_client, post):
    url = reverse("api:v1:post-detail", kwargs={"slug": post.slug})
    return api_client.patch(url, {"status": "published"}, format="json", **if_match(post))


PUBLISH_WAYS = {
    "admin action": publish_action,
    "admin crafted POST": publish_crafted_post,
    "API PATCH": publish_through_api,
}
PUBLISHERS = {
    "own draft": {
        **{"contributor": False, "author": True, "editor": True, "superuser": True},
        **{"author_not_staff": True, "staff_without_change_post": False},
        **{"editor_without_publish": False, "superuser_not_staff": True},
    },
    "others' draft": {role: role in EDITORS for role in ALL_ROLES},
}


@pytest.mark.parametrize("way", list(PUBLISH_WAYS))
@pytest.mark.parametrize(("role", "whose", "may_publish"), matrix(PUBLISHERS))
def test_publishing_follows_the_roles(client, api_client, request, role, whose, may_publish, way):
    user = log_in(role, request, client, api_client)
    if whose == "own draft":
        post = PostFactory(title="Mon brouillon", author=user.author, draft=True)
    else:
        post = others_post("draft")
    response = PUBLISH_WAYS[way](client, api_client, post)
    assert response.status_code < 500
    post.refresh_from_db()
    may_publish = may_publish and through(way, role)
    assert post.is_public is may_publish
    assert Post.objects.published().filter(pk=post.pk).exists() is may_publish


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_authors_editors_and_superusers_create_a_published_post(api_client, request, role):
    log_in(role, request, api_client)
    response = api_client.post(
        reverse("api:v1:post-list"), {"title": "Publié d’emblée", "status": "published"}, format="json"
    )
    assert response.status_code < 500
    assert Post.objects.published().filter(title="Publié d’emblée").exists() is (
        role in {"author", "editor", "superuser", "author_not_staff", "superuser_not_staff"}
    )


# The Markdown editor's endpoints


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "pixel.png"
    return buffer


WRITERS = {"contributor", "author", "editor", "superuser"}


@pytest.mark.parametrize("role", ROLES)
def test_only_writers_upload_images_through_the_markdown_editor(client, request, role, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    log_in(role, request, client)
    response = client.post(
        reverse("markdownx_upload"), {"image": png()}, headers={"x-requested-with": "XMLHttpRequest"}
    )
    stored = [path for path in tmp_path.rglob("*") if path.is_file()]
    if role in WRITERS:
        assert response.status_code == 200, response.content
        assert len(stored) == 1
    else:
        assert response.status_code == 403
        assert stored == []


@pytest.mark.parametrize("role", ROLES)
def test_only_writers_use_the_markdown_preview(client, request, role):
    log_in(role, request, client)
    response = client.post(reverse("markdownx_markdownify"), {"content": "*Bonjour*"})
    if role in WRITERS:
        assert response.content.decode() == "<p><em>Bonjour</em></p>"
    else:
        assert response.status_code == 403


def test_a_preview_request_without_content_previews_nothing(client, editor):
    client.force_login(editor)
    response = client.post(reverse("markdownx_markdownify"), {})
    assert (response.status_code, response.content) == (200, b"")
