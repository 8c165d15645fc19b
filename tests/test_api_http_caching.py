"""HTTP caching of API reads: validators, 304s, public caching and invalidation on change."""

import pytest
import time_machine
from django.utils import timezone
from django.utils.http import http_date

from blog.models import Post

from .factories import AuthorFactory, CategoryFactory, CommentFactory, PageFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db

READ_URLS = [
    "/api/v1/posts/",
    "/api/v1/posts/{slug}/",
    "/api/v1/authors/",
    "/api/v1/categories/",
    "/api/v1/tags/",
    "/api/v1/pages/",
]


@pytest.fixture
def post():
    return PostFactory(categories=[CategoryFactory()], tags=[TagFactory()])


@pytest.mark.parametrize("url", READ_URLS)
def test_anonymous_reads_carry_validators_and_are_publicly_cacheable(api_client, post, url):
    response = api_client.get(url.format(slug=post.slug))

    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]
    assert response["Cache-Control"] == "public, max-age=60"
    assert {"Accept-Language", "Authorization", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}


@pytest.mark.parametrize("url", READ_URLS)
def test_a_matching_if_none_match_gets_304(api_client, post, url):
    url = url.format(slug=post.slug)
    etag = api_client.get(url)["ETag"]

    response = api_client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_a_stale_etag_gets_the_full_answer(api_client, post):
    response = api_client.get("/api/v1/posts/", HTTP_IF_NONE_MATCH='"not-the-current-one"')

    assert response.status_code == 200


def test_if_modified_since_gets_304_until_the_content_changes(api_client, post):
    last_modified = api_client.get("/api/v1/posts/")["Last-Modified"]

    assert api_client.get("/api/v1/posts/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    later = http_date(timezone.now().timestamp() + 5)
    with time_machine.travel(timezone.now().timestamp() + 5, tick=False):
        PostFactory(title="Nouveau")
        response = api_client.get("/api/v1/posts/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 200
    assert response["Last-Modified"] == later


def test_authenticated_reads_get_validators_but_stay_private(api_client, post, editor):
    api_client.force_authenticate(editor)

    first = api_client.get("/api/v1/posts/")
    again = api_client.get("/api/v1/posts/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert "private" in first["Cache-Control"]
    assert again.status_code == 304


def test_a_repeated_anonymous_read_is_served_from_the_cache_without_queries(
    api_client, post, django_assert_num_queries
):
    first = api_client.get("/api/v1/posts/")

    with django_assert_num_queries(0):
        second = api_client.get("/api/v1/posts/")

    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda post: Post.objects.get(pk=post.pk).save(), id="post saved"),
        pytest.param(lambda post: PostFactory(), id="post created"),
        pytest.param(lambda post: post.delete(), id="post deleted"),
        pytest.param(lambda post: post.tags.add(TagFactory()), id="tag added to post"),
        pytest.param(lambda post: post.categories.clear(), id="categories removed"),
        pytest.param(lambda post: CommentFactory(post=post), id="comment"),
        pytest.param(lambda post: AuthorFactory(), id="author"),
        pytest.param(lambda post: post.author.save(), id="author changed"),
        pytest.param(lambda post: CategoryFactory(), id="category"),
        pytest.param(lambda post: TagFactory(), id="tag"),
        pytest.param(lambda post: PageFactory(), id="page"),
    ],
)
def test_any_content_change_invalidates_cached_answers(
    api_client, post, change, django_assert_max_num_queries
):
    api_client.get("/api/v1/posts/")

    change(post)

    with django_assert_max_num_queries(50) as context:
        api_client.get("/api/v1/posts/")
    assert len(context.captured_queries) > 0


def test_a_scheduled_post_appears_in_cached_lists_when_its_time_comes(api_client, post):
    scheduled = PostFactory(scheduled=True)
    assert scheduled.slug not in api_client.get("/api/v1/posts/").content.decode()

    with time_machine.travel(scheduled.published_at.timestamp() + 1, tick=False):
        response = api_client.get("/api/v1/posts/")

    assert scheduled.slug in response.content.decode()


def test_error_answers_are_not_cached(api_client):
    assert api_client.get("/api/v1/posts/later/").status_code == 404
    PostFactory(title="Later")

    assert api_client.get("/api/v1/posts/later/").status_code == 200


def test_a_new_comment_held_for_moderation_keeps_the_cache(api_client, post, django_assert_num_queries):
    api_client.get("/api/v1/posts/")

    CommentFactory(post=post, status="pending")
    CommentFactory(post=post, status="spam")

    with django_assert_num_queries(0):
        assert api_client.get("/api/v1/posts/").status_code == 200


def test_erasing_a_commenters_data_drops_cached_comment_threads(api_client, post):
    from comments.services import personal_data_erase

    CommentFactory(post=post, author_name="Camille Dupont", author_email="camille@example.net")
    url = f"/api/v1/posts/{post.slug}/comments/"
    assert "Camille Dupont" in api_client.get(url).content.decode()

    personal_data_erase(email="camille@example.net")

    assert "Camille Dupont" not in api_client.get(url).content.decode()


def test_erasing_from_the_admin_drops_cached_comment_threads(api_client, client, editor, post):
    from django.urls import reverse

    comment = CommentFactory(post=post, author_name="Camille Dupont", author_email="camille@example.net")
    url = f"/api/v1/posts/{post.slug}/comments/"
    assert "Camille Dupont" in api_client.get(url).content.decode()

    client.force_login(editor)
    client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "erase_personal_data", "_selected_action": [comment.pk]},
    )

    assert "Camille Dupont" not in api_client.get(url).content.decode()


def test_purging_old_trash_drops_cached_comment_threads(api_client, post):
    from datetime import timedelta

    from django.core.management import call_command

    from comments.models import Comment

    root = CommentFactory(post=post)
    trashed = CommentFactory(post=post, parent=root, status=Comment.Status.TRASH)
    reply = CommentFactory(post=post, parent=trashed, body="La réponse qui remonte")
    Comment.objects.filter(pk=trashed.pk).update(updated_at=timezone.now() - timedelta(days=90))
    url = f"/api/v1/posts/{post.slug}/comments/"
    assert [c["id"] for c in api_client.get(url).json()["results"]] == [root.pk, reply.pk]

    call_command("purge_comments", "--older-than", "30")

    (thread_root,) = api_client.get(url).json()["results"]
    assert [c["id"] for c in thread_root["replies"]] == [reply.pk]
