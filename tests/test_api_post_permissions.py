"""Who may read drafts and write posts through the API: the admin's role rules, role by role."""

import pytest
from rest_framework.authtoken.models import Token

from blog.models import Post, Status

from .factories import PostFactory, TagFactory
from .versions_support import if_match

pytestmark = pytest.mark.django_db


def as_user(client, user):
    if user is not None:
        client.force_authenticate(user)
    return client


# Reading drafts and scheduled posts


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        *[("anonymous", False), ("reader", False), ("contributor", False)],
        *[("author", True), ("editor", True)],
        # Staff status does not matter; the right to change posts does.
        *[("author_not_staff", False), ("staff_without_change_post", False)],
        *[("editor_without_publish", True), ("superuser_not_staff", True)],
    ],
)
@pytest.mark.parametrize("kind", ["draft", "scheduled"])
def test_an_unpublished_post_is_404_except_to_its_author_and_editors(api_client, users, who, sees, kind):
    post = PostFactory(author=users["author"].author, **{kind: True})

    response = as_user(api_client, users[who]).get(f"/api/v1/posts/{post.slug}/")

    assert response.status_code == (200 if sees else 404)
    if not sees:
        assert response.json()["code"] == "not_found"


def test_a_contributor_sees_their_own_draft(api_client, contributor):
    post = PostFactory(author=contributor.author, draft=True)

    assert as_user(api_client, contributor).get(f"/api/v1/posts/{post.slug}/").status_code == 200


def test_drafts_answers_are_never_publicly_cacheable(api_client, author_user):
    post = PostFactory(author=author_user.author, draft=True)

    response = as_user(api_client, author_user).get(f"/api/v1/posts/{post.slug}/")

    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


@pytest.mark.parametrize(
    ("who", "count"), [("anonymous", 0), ("contributor", 0), ("author", 1), ("editor", 2)]
)
def test_status_draft_lists_only_the_drafts_one_may_see(api_client, users, who, count):
    PostFactory(author=users["author"].author, draft=True)
    PostFactory(draft=True)
    PostFactory()

    response = as_user(api_client, users[who]).get("/api/v1/posts/", {"status": "draft"})

    assert response.json()["count"] == count
    assert all(post["status"] == "draft" for post in response.json()["results"])


def test_the_default_list_is_published_posts_only_even_for_editors(api_client, editor):
    published = PostFactory()
    PostFactory(draft=True)
    PostFactory(scheduled=True)

    results = as_user(api_client, editor).get("/api/v1/posts/").json()["results"]

    assert [post["slug"] for post in results] == [published.slug]


# Creating


def new_post(**fields):
    return {"title": "Un nouvel article", "body": "## Partie\n\nTexte.\n\n## Suite\n\nEncore.", **fields}


def test_anonymous_cannot_write_and_is_told_to_authenticate(api_client):
    response = api_client.post("/api/v1/posts/", new_post())

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"
    assert not Post.objects.exists()


def test_a_reader_without_a_role_cannot_write(api_client, reader):
    assert as_user(api_client, reader).post("/api/v1/posts/", new_post()).status_code == 403


@pytest.mark.parametrize("who", ["contributor", "author", "editor"])
def test_every_role_can_write_a_draft_as_themselves(api_client, users, who):
    tag = TagFactory(name="IA")

    response = as_user(api_client, users[who]).post("/api/v1/posts/", new_post(tags=[tag.slug]))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["author"]["slug"] == users[who].author.slug
    assert [entry["title"] for entry in body["toc"]] == ["Partie", "Suite"]
    assert '<h2 id="partie">Partie</h2>' in body["body_html"]
    assert Post.objects.get().tags.get() == tag


def test_a_contributor_cannot_publish(api_client, contributor):
    response = as_user(api_client, contributor).post("/api/v1/posts/", new_post(status="published"))

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["status"]
    assert not Post.objects.exists()


@pytest.mark.parametrize("who", ["author", "editor"])
def test_authors_and_editors_can_publish(api_client, users, who):
    response = as_user(api_client, users[who]).post("/api/v1/posts/", new_post(status="published"))

    assert response.status_code == 201
    assert Post.objects.published().count() == 1


def test_an_author_cannot_write_as_someone_else(api_client, author_user, editor):
    response = as_user(api_client, author_user).post("/api/v1/posts/", new_post(author=editor.author.slug))

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["author"]


def test_an_editor_can_write_for_another_author(api_client, editor, author_user):
    response = as_user(api_client, editor).post("/api/v1/posts/", new_post(author=author_user.author.slug))

    assert response.status_code == 201
    assert Post.objects.get().author == author_user.author


def test_invalid_posts_get_errors_per_field(api_client, author_user):
    response = as_user(api_client, author_user).post(
        "/api/v1/posts/",
        {
            "title": "",
            "slug": "admin",
            "tags": [""],  # a blank name (an unknown one is a new tag)
            "status": "live",
            "published_at": "1911-03-01T00:00:00Z",
        },
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"title", "slug", "tags", "status", "published_at"}


def test_token_authentication_writes_as_the_token_owner(api_client, author_user):
    token = Token.objects.create(user=author_user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = api_client.post("/api/v1/posts/", new_post())

    assert response.status_code == 201
    assert Post.objects.get().author == author_user.author


def test_a_wrong_token_is_a_401_even_on_reads(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api_client.get("/api/v1/posts/")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


# Updating and deleting


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("reader", 403), ("contributor", 403), ("author", 200), ("editor", 200)],
)
def test_changing_an_authors_published_post(api_client, users, who, expected):
    post = PostFactory(author=users["author"].author)

    response = as_user(api_client, users[who]).patch(
        f"/api/v1/posts/{post.slug}/", {"title": "Nouveau titre"}, **if_match(post)
    )

    assert response.status_code == expected
    post.refresh_from_db()
    assert (post.title == "Nouveau titre") == (expected == 200)


def test_others_drafts_are_not_even_found_by_authors(api_client, author_user):
    post = PostFactory(draft=True)

    response = as_user(api_client, author_user).patch(
        f"/api/v1/posts/{post.slug}/", {"title": "X"}, **if_match(post)
    )

    assert response.status_code == 404


def test_a_contributor_edits_their_draft_but_cannot_publish_it(api_client, contributor):
    post = PostFactory(author=contributor.author, draft=True)
    client = as_user(api_client, contributor)

    edited = client.patch(f"/api/v1/posts/{post.slug}/", {"body": "## Nouveau\n\nTexte."}, **if_match(post))
    published = client.patch(f"/api/v1/posts/{post.slug}/", {"status": "published"}, **if_match(post))

    assert edited.status_code == 200
    assert edited.json()["toc"][0]["title"] == "Nouveau"
    assert published.status_code == 400
    post.refresh_from_db()
    assert post.status == Status.DRAFT


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_a_contributor_cannot_touch_their_post_once_an_editor_published_it(api_client, contributor, method):
    post = PostFactory(author=contributor.author)

    response = getattr(as_user(api_client, contributor), method)(
        f"/api/v1/posts/{post.slug}/", {"title": "Changé"}
    )

    assert response.status_code == 403
    post.refresh_from_db()
    assert post.title != "Changé"


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("reader", 403), ("contributor", 403), ("author", 204), ("editor", 204)],
)
def test_deleting_an_authors_post(api_client, users, who, expected):
    post = PostFactory(author=users["author"].author)

    response = as_user(api_client, users[who]).delete(f"/api/v1/posts/{post.slug}/")

    assert response.status_code == expected
    assert Post.objects.filter(pk=post.pk).exists() == (expected != 204)
