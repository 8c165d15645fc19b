"""HTTP caching of API reads: validators, 304s, public caching and invalidation on change."""

import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone
from django.utils.http import http_date

from blog.models import Post

from .factories import AuthorFactory, CategoryFactory, CommentFactory, PageFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db


# As a site with Redis (worker() below: each process's own local memory, the default).
pytestmark = [pytestmark, pytest.mark.usefixtures("shared_cache")]

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


@pytest.mark.parametrize("url", [*READ_URLS, "/api/v1/posts/{slug}/comments/"])
def test_an_unknown_query_parameter_is_served_from_the_cache(
    api_client, post, url, django_assert_num_queries
):
    url = url.format(slug=post.slug)
    first = api_client.get(url)

    with django_assert_num_queries(0):
        again = api_client.get(url, {"x": uuid.uuid4().hex, "utm_source": "newsletter"})

    assert again.status_code == 200
    assert again.content == first.content


def test_the_parameters_a_view_accepts_key_the_cache_in_any_order(api_client, django_assert_num_queries):
    PostFactory(title="Alpha")
    PostFactory(title="Bêta")
    by_date = api_client.get("/api/v1/posts/", {"page_size": 1})
    by_title = api_client.get("/api/v1/posts/?page_size=1&ordering=title")

    with django_assert_num_queries(0):
        again = api_client.get("/api/v1/posts/?ordering=title&x=1&page_size=1")

    assert by_title.json()["results"][0]["title"] == "Alpha"
    assert by_date.json()["results"][0]["title"] != "Alpha"
    assert again.content == by_title.content


def test_every_query_parameter_the_schema_documents_enters_the_cache_key():
    from django.urls import resolve
    from drf_spectacular.generators import SchemaGenerator

    from core.api.caching import HttpCachingMixin, accepted_query_params

    schema = SchemaGenerator().get_schema(request=None, public=True)
    checked = {}
    for path, operations in schema["paths"].items():
        view_class = resolve(re.sub(r"{\w+}", "x", path)).func.cls
        if "get" in operations and issubclass(view_class, HttpCachingMixin):
            documented = {p["name"] for p in operations["get"].get("parameters", []) if p["in"] == "query"}
            checked[path] = documented - accepted_query_params(view_class())

    assert "/api/v1/posts/" in checked
    assert checked == dict.fromkeys(checked, set())


def worker(name):
    """One gunicorn worker's own local-memory cache, as the default settings give each process."""
    backend = "django.core.cache.backends.locmem.LocMemCache"
    return override_settings(CACHES={"default": {"BACKEND": backend, "LOCATION": f"{name}-{uuid.uuid4()}"}})


def test_last_modified_is_when_the_content_changed_not_when_it_was_cached(api_client):
    changed = timezone.now().replace(microsecond=0)
    with time_machine.travel(changed, tick=False):
        PostFactory()

    with time_machine.travel(changed + timedelta(minutes=5), tick=False):
        response = api_client.get("/api/v1/posts/")

    assert response["Last-Modified"] == http_date(changed.timestamp())


@pytest.mark.django_db(transaction=True)
def test_after_an_edit_through_one_process_another_gives_a_revalidation_the_new_content(api_client):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        post = PostFactory(title="Avant")
    url = f"/api/v1/posts/{post.slug}/"
    worker_a, worker_b = worker("a"), worker("b")
    with time_machine.travel(start + timedelta(seconds=10), tick=False), worker_b:
        old = api_client.get(url)
    with time_machine.travel(start + timedelta(seconds=20), tick=False), worker_a:
        post.title = "Après"
        post.save()

    with time_machine.travel(start + timedelta(seconds=30), tick=False), worker_b:
        by_date = api_client.get(url, HTTP_IF_MODIFIED_SINCE=old["Last-Modified"])
        by_etag = api_client.get(url, HTTP_IF_NONE_MATCH=old["ETag"])
        current = api_client.get(url, HTTP_IF_MODIFIED_SINCE=by_date["Last-Modified"])

    assert old["Last-Modified"] == http_date(start.timestamp())
    assert by_date.status_code == 200
    assert by_date.json()["title"] == "Après"
    assert by_date["Last-Modified"] == http_date((start + timedelta(seconds=20)).timestamp())
    assert by_etag.status_code == 200
    assert by_etag.json()["title"] == "Après"
    assert current.status_code == 304


@pytest.mark.django_db(transaction=True)
def test_a_list_cached_by_another_process_is_never_revalidated_after_an_edit(api_client):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        post = PostFactory(title="Avant")
    worker_a, worker_b = worker("a"), worker("b")
    with time_machine.travel(start + timedelta(seconds=10), tick=False), worker_b:
        old = api_client.get("/api/v1/posts/")
    with time_machine.travel(start + timedelta(seconds=20), tick=False), worker_a:
        post.delete()

    # Long after the cached answer expired: today's bug kept answering 304 for good.
    with time_machine.travel(start + timedelta(minutes=10), tick=False), worker_b:
        assert api_client.get("/api/v1/posts/")["Last-Modified"] != old["Last-Modified"]
        response = api_client.get("/api/v1/posts/", HTTP_IF_MODIFIED_SINCE=old["Last-Modified"])

    assert response.status_code == 200
    assert response.json()["results"] == []
