"""Public comment endpoints: the approved tree, the signed token, and commenting from a frontend."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from comments.exceptions import CommentFlood
from comments.models import Comment

from .factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

COMMENT_FIELDS = {
    "id", "parent", "author_name", "author_url", "body_html", "created_at", "edited_at", "replies",
}  # fmt: skip


@pytest.fixture
def post():
    return PostFactory(title="Mistral 3")


def comments_url(post):
    return f"/api/v1/posts/{post.slug}/comments/"


def comment(**fields):
    return {
        "author_name": "Zoé Martin",
        "author_email": "zoe@example.net",
        "author_url": "https://zoe.example.net/",
        "body": "Très bel article, merci !",
        **fields,
    }


def submit_like_a_frontend(client, post, *, wait=10, **fields):
    """Fetch the token when the form is shown, send the comment `wait` seconds later."""
    token = client.get(f"{comments_url(post)}token/").json()
    with time_machine.travel(timezone.now() + timedelta(seconds=wait)):
        return client.post(comments_url(post), {**comment(**fields), **token}, REMOTE_ADDR="203.0.113.57")


# Reading the thread


def test_the_thread_is_the_approved_comments_nested_without_private_data(api_client, post):
    root = CommentFactory(post=post, author_url="https://lecteur.example/", ip_address="198.51.100.0")
    reply = CommentFactory(post=post, parent=root, body="Je *réponds*.")
    CommentFactory(post=post, parent=reply)
    CommentFactory(post=post, status="pending", body="En attente")
    CommentFactory(post=post, status="spam", body="Spam")
    second_root = CommentFactory(post=post)

    response = api_client.get(comments_url(post))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert body["comments_open"] is True
    assert [c["id"] for c in body["results"]] == [root.pk, second_root.pk]
    first = body["results"][0]
    assert set(first) == COMMENT_FIELDS
    assert first["author_url"] == "https://lecteur.example/"
    assert first["replies"][0]["id"] == reply.pk
    assert first["replies"][0]["parent"] == root.pk
    assert first["replies"][0]["body_html"] == "<p>Je <em>réponds</em>.</p>"
    assert len(first["replies"][0]["replies"]) == 1
    content = response.content.decode()
    assert "@example.net" not in content
    assert "198.51.100.0" not in content
    assert "En attente" not in content and "Spam" not in content


def test_the_thread_of_an_unpublished_post_is_404(api_client):
    draft = PostFactory(draft=True)
    CommentFactory(post=draft)

    assert api_client.get(comments_url(draft)).status_code == 404
    assert api_client.get(f"{comments_url(draft)}token/").status_code == 404


def test_the_thread_says_when_comments_are_closed(api_client):
    closed = PostFactory(allow_comments=False)

    assert api_client.get(comments_url(closed)).json()["comments_open"] is False


def test_the_thread_runs_the_same_queries_for_1_and_200_comments(api_client, post, django_assert_num_queries):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as context:
            assert api_client.get(comments_url(post)).status_code == 200
        return len(context.captured_queries)

    parent = CommentFactory(post=post)
    one = count()
    for _ in range(199):
        parent = CommentFactory(post=post, parent=parent if parent.pk % 3 else None)
    assert api_client.get(comments_url(post)).json()["count"] == 200

    assert count() == one
    assert one <= 4  # post, comments (+ the cache generation's two, once)


# The token


def test_the_token_is_the_signed_fields_to_send_back_and_is_never_cached(api_client, post):
    response = api_client.get(f"{comments_url(post)}token/")

    assert response.status_code == 200
    assert set(response.json()) == {"timestamp", "security_hash", "honeypot"}
    assert response.json()["honeypot"] == ""
    assert "no-store" in response["Cache-Control"]


def test_no_token_when_comments_are_closed(api_client):
    closed = PostFactory(allow_comments=False)

    response = api_client.get(f"{comments_url(closed)}token/")

    assert response.status_code == 403
    assert response.json()["code"] == "comments_closed"


# Commenting


def test_a_comment_sent_like_a_frontend_is_accepted_for_moderation(api_client, post):
    response = submit_like_a_frontend(api_client, post)

    assert response.status_code == 201, response.content
    body = response.json()
    stored = Comment.objects.get()
    assert body == {
        "id": stored.pk,
        "status": "pending",
        "message": body["message"],
        "edit_token": body["edit_token"],  # tests/test_comment_reader_edit.py
        "editable_until": body["editable_until"],
    }
    assert body["message"]
    assert stored.moderation_rule == "default_status"
    assert stored.ip_address == "203.0.113.0"  # truncated, as the form stores it


def test_a_commenter_with_an_approved_comment_is_published_at_once(api_client, post):
    CommentFactory(post=post, author_name="Zoé Martin", author_email="zoe@example.net")

    response = submit_like_a_frontend(api_client, post)

    assert response.json()["status"] == "approved"
    assert response.json()["id"] in [c["id"] for c in api_client.get(comments_url(post)).json()["results"]]


def test_a_reply_is_threaded_under_its_parent(api_client, post):
    parent = CommentFactory(post=post)

    response = submit_like_a_frontend(api_client, post, parent=parent.pk)

    assert response.status_code == 201
    assert Comment.objects.get(pk=response.json()["id"]).parent == parent


@pytest.mark.parametrize(
    ("how", "rule"),
    [
        ("too fast", "form_timestamp"),
        ("honeypot filled", "honeypot"),
        ("no token", "form_timestamp"),
    ],
)
def test_robots_are_stored_as_spam_but_told_pending(api_client, post, how, rule):
    if how == "too fast":
        response = submit_like_a_frontend(api_client, post, wait=0)
    elif how == "honeypot filled":
        token = api_client.get(f"{comments_url(post)}token/").json()
        with time_machine.travel(timezone.now() + timedelta(seconds=10)):
            response = api_client.post(comments_url(post), {**comment(), **token, "honeypot": "http://spam"})
    else:
        response = api_client.post(comments_url(post), comment())

    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    stored = Comment.objects.get()
    assert (stored.status, stored.moderation_rule) == ("spam", rule)


def test_invalid_comments_get_errors_per_field_and_nothing_is_stored(api_client, post):
    response = api_client.post(
        comments_url(post), {"author_name": "", "author_email": "pas-une-adresse", "body": ""}
    )

    assert response.status_code == 400
    assert {"author_name", "author_email", "body"} <= set(response.json()["errors"])
    assert not Comment.objects.exists()


def test_a_reply_to_a_comment_of_another_post_is_a_field_error(api_client, post):
    elsewhere = CommentFactory()

    response = submit_like_a_frontend(api_client, post, parent=elsewhere.pk)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["parent"]


def test_closed_comments_are_403(api_client):
    closed = PostFactory(allow_comments=False)

    response = api_client.post(comments_url(closed), comment())

    assert response.status_code == 403
    assert response.json()["code"] == "comments_closed"
    assert not Comment.objects.exists()


def test_a_flood_is_429_with_retry_after_and_nothing_stored(api_client, post):
    assert submit_like_a_frontend(api_client, post).status_code == 201

    response = submit_like_a_frontend(api_client, post, wait=15, body="Encore moi")

    assert response.status_code == 429
    assert response.json()["code"] == "comment_flood"
    # The service's own message, with nothing appended by DRF.
    assert response.json()["detail"] == str(CommentFlood(retry_after=int(response["Retry-After"])).message)
    assert 0 < int(response["Retry-After"]) <= 15
    assert Comment.objects.count() == 1


def test_comment_creation_is_throttled_per_ip_but_reading_is_not(api_client, post, settings, monkeypatch):
    settings.COMMENTS_FLOOD_SECONDS = 0
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "comments", "2/min")

    statuses = [
        api_client.post(comments_url(post), comment(body=f"Message {n}")).status_code for n in range(3)
    ]

    assert statuses == [201, 201, 429]
    assert api_client.get(comments_url(post)).status_code == 200
    other_ip = api_client.post(comments_url(post), comment(), REMOTE_ADDR="198.51.100.7")
    assert other_ip.status_code == 201


def test_a_new_approved_comment_shows_in_the_cached_thread(api_client, post):
    assert api_client.get(comments_url(post)).json()["count"] == 0
    CommentFactory(post=post, author_name="Zoé Martin", author_email="zoe@example.net")

    assert submit_like_a_frontend(api_client, post).json()["status"] == "approved"

    assert api_client.get(comments_url(post)).json()["count"] == 2


def test_a_frontend_on_another_origin_can_comment_anonymously(api_client, post, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://front.example"]
    api_client = type(api_client)(enforce_csrf_checks=True)
    preflight = api_client.options(
        comments_url(post),
        HTTP_ORIGIN="https://front.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )
    token = api_client.get(f"{comments_url(post)}token/", HTTP_ORIGIN="https://front.example").json()
    with time_machine.travel(timezone.now() + timedelta(seconds=10)):
        response = api_client.post(
            comments_url(post), {**comment(), **token}, format="json", HTTP_ORIGIN="https://front.example"
        )

    assert preflight["Access-Control-Allow-Origin"] == "https://front.example"
    assert response.status_code == 201
    assert response["Access-Control-Allow-Origin"] == "https://front.example"
    assert Comment.objects.get().moderation_rule == "default_status"


def test_a_signed_in_reader_comments_under_their_account(api_client, post, reader):
    api_client.force_authenticate(reader)

    response = submit_like_a_frontend(api_client, post, author_name="", author_email="")

    assert response.status_code == 201
    stored = Comment.objects.get()
    assert (stored.user, stored.author_email) == (reader, reader.email)
