"""Pages, categories and tags written through the API by editors; new tags made on the fly by writers."""

import pytest

from blog.models import Category, Page, Post, Tag

from .factories import CategoryFactory, PageFactory, TagFactory

pytestmark = pytest.mark.django_db


def as_user(client, user):
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("kind", ["categories", "tags"])
def test_an_editor_adds_changes_and_deletes_terms(api_client, editor, kind):
    client = as_user(api_client, editor)
    response = client.post(f"/api/v1/{kind}/", {"name": "Économie verte"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "economie-verte"
    assert response.json()["post_count"] == 0  # the read shape

    response = client.patch(f"/api/v1/{kind}/economie-verte/", {"name": "Éco"}, format="json")
    assert response.status_code == 200 and response.json()["name"] == "Éco"
    assert client.delete(f"/api/v1/{kind}/economie-verte/").status_code == 204
    assert not Category.objects.exists() and not Tag.objects.exists()


def test_a_category_takes_a_parent_and_refuses_a_cycle(api_client, editor):
    client = as_user(api_client, editor)
    CategoryFactory(slug="parent")
    response = client.post(
        "/api/v1/categories/", {"name": "Enfant", "parent": "parent", "description": "D"}, format="json"
    )
    assert response.status_code == 201 and response.json()["parent"] == "parent"
    response = client.patch("/api/v1/categories/parent/", {"parent": "enfant"}, format="json")
    assert response.status_code == 400 and "parent" in response.json()["errors"]
    # A category with subcategories is not deleted: a 400, not a 500.
    response = client.delete("/api/v1/categories/parent/")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": 12}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "A", "slug": "a b"}, "slug"),
    ],
)
def test_bad_terms_get_errors_per_field(api_client, editor, body, field):
    response = as_user(api_client, editor).post("/api/v1/tags/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_a_taken_slug_is_a_400(api_client, editor):
    TagFactory(slug="pris")
    response = as_user(api_client, editor).post(
        "/api/v1/tags/", {"name": "Pris", "slug": "pris"}, format="json"
    )
    assert response.status_code == 400 and "slug" in response.json()["errors"]


@pytest.mark.parametrize("role", ["contributor", "author_user"])
def test_writers_below_editor_may_not_manage_terms_or_pages(api_client, request, role):
    client = as_user(api_client, request.getfixturevalue(role))
    TagFactory(slug="t")
    CategoryFactory(slug="c")
    PageFactory(slug="p")
    assert client.post("/api/v1/categories/", {"name": "X"}, format="json").status_code == 403
    assert client.patch("/api/v1/tags/t/", {"name": "X"}, format="json").status_code == 403
    assert client.delete("/api/v1/categories/c/").status_code == 403
    assert client.post("/api/v1/pages/", {"title": "X"}, format="json").status_code == 403
    assert client.patch("/api/v1/pages/p/", {"title": "X"}, format="json").status_code in (403, 404)
    assert client.delete("/api/v1/pages/p/").status_code in (403, 404)


def test_anonymous_writes_are_401(api_client):
    assert api_client.post("/api/v1/tags/", {"name": "X"}, format="json").status_code == 401
    assert api_client.post("/api/v1/pages/", {"title": "X"}, format="json").status_code == 401


def test_an_editor_writes_pages(api_client, editor):
    client = as_user(api_client, editor)
    response = client.post(
        "/api/v1/pages/",
        {"title": "À propos", "body": "## Qui\n\nNous.", "status": "draft", "menu_order": 2},
        format="json",
    )
    assert response.status_code == 201, response.content
    page = response.json()
    assert page["slug"] == "a-propos" and "<h2" in page["body_html"] and page["status"] == "draft"
    assert api_client.get("/api/v1/pages/a-propos/").status_code == 200  # editors read drafts

    # As a post's: a change names the version it was made from (If-Match, from the GET's ETag).
    assert client.patch("/api/v1/pages/a-propos/", {"status": "published"}, format="json").status_code == 428
    read = client.get("/api/v1/pages/a-propos/")
    response = client.patch(
        "/api/v1/pages/a-propos/", {"status": "published"}, format="json", HTTP_IF_MATCH=read["ETag"]
    )
    assert response.status_code == 200 and response.json()["status"] == "published"
    stale = client.patch(
        "/api/v1/pages/a-propos/", {"title": "Vieux"}, format="json", HTTP_IF_MATCH=read["ETag"]
    )
    assert stale.status_code == 412 and stale["ETag"] == response["ETag"]
    assert Page.objects.get().title == "À propos"
    assert Page.objects.get().revisions.count() == 2  # through the service: a revision each time
    assert client.post("/api/v1/pages/", {"title": "X", "slug": "admin"}, format="json").status_code == 400
    assert client.delete("/api/v1/pages/a-propos/").status_code == 204
    assert not Page.objects.exists()


def test_an_author_makes_new_tags_by_using_them(api_client, author_user):
    TagFactory(name="Python", slug="python")
    response = as_user(api_client, author_user).post(
        "/api/v1/posts/",
        {"title": "Tags", "status": "draft", "tags": ["python", "PYTHON", "Rust", "Économie verte"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert {tag["slug"] for tag in response.json()["tags"]} == {"python", "rust", "economie-verte"}
    assert Tag.objects.count() == 3  # "PYTHON" is the existing tag, by name
    assert set(Post.objects.get().tags.values_list("slug", flat=True)) == {"python", "rust", "economie-verte"}


def test_a_writer_who_may_not_add_tags_is_told_which_are_unknown(api_client, author_user):
    from django.contrib.auth.models import Permission

    author_user.groups.first().permissions.remove(Permission.objects.get(codename="add_tag"))
    author_user = type(author_user).objects.get(pk=author_user.pk)  # drop the permission cache
    response = as_user(api_client, author_user).post(
        "/api/v1/posts/", {"title": "T", "status": "draft", "tags": ["nouveau"]}, format="json"
    )
    assert response.status_code == 400
    assert "nouveau" in response.json()["errors"]["tags"][0]
    assert not Tag.objects.exists() and not Post.objects.exists()


def test_a_failed_post_write_leaves_no_new_tag(api_client, contributor):
    response = as_user(api_client, contributor).post(
        "/api/v1/posts/", {"title": "T", "status": "published", "tags": ["neuf"]}, format="json"
    )
    assert response.status_code == 400  # contributors may not publish
    assert not Tag.objects.exists()


def test_the_schema_documents_the_writes(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/v1/categories/", "/api/v1/tags/", "/api/v1/pages/"):
        assert "post" in schema["paths"][path]
    for path in ("/api/v1/categories/{slug}/", "/api/v1/tags/{slug}/", "/api/v1/pages/{slug}/"):
        assert {"patch", "delete"} <= set(schema["paths"][path])
        assert "put" not in schema["paths"][path]
