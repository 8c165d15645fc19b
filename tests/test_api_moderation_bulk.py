"""
The moderation API's bulk actions (each comment through comment_moderate, or the moderator's
delete, and the one permission rule, with a report of what succeeded and what failed) and a
moderator's corrections of a comment (through a service, audited in the admin history).
"""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import Comment

from .factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

BULK = "/api/v1/moderation/comments/bulk/"


def as_user(client, user):
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def on_authors_post(author_user):
    return CommentFactory.create_batch(2, post=PostFactory(author=author_user.author), status="pending")


@pytest.fixture
def on_others_post():
    return CommentFactory(status="pending")


def statuses(*comments):
    return [Comment.objects.get(pk=comment.pk).status for comment in comments]


def test_an_editor_approves_several_comments_at_once(api_client, editor, on_authors_post, on_others_post):
    ids = [comment.pk for comment in [*on_authors_post, on_others_post]]

    response = as_user(api_client, editor).post(BULK, {"ids": ids, "action": "approve"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json() == {"action": "approve", "succeeded": ids, "failed": []}
    assert statuses(*on_authors_post, on_others_post) == ["approved"] * 3
    assert Comment.objects.get(pk=ids[0]).moderation_rule == "moderator"


def test_an_author_acts_only_on_the_comments_of_their_posts(
    api_client, author_user, on_authors_post, on_others_post
):
    ids = [on_authors_post[0].pk, on_others_post.pk, 999999, on_authors_post[1].pk]

    response = as_user(api_client, author_user).post(BULK, {"ids": ids, "action": "spam"}, format="json")

    body = response.json()
    assert response.status_code == 200
    assert body["succeeded"] == [on_authors_post[0].pk, on_authors_post[1].pk]
    assert [(failure["id"], failure["code"]) for failure in body["failed"]] == [
        (on_others_post.pk, "permission_denied"),
        (999999, "not_found"),
    ]
    assert body["failed"][0]["detail"] == "Vous ne pouvez pas modérer ce commentaire."
    assert statuses(*on_authors_post, on_others_post) == ["spam", "spam", "pending"]


def test_bulk_delete_removes_the_comments_and_keeps_their_replies(api_client, editor):
    parent = CommentFactory()
    reply = CommentFactory(post=parent.post, parent=parent)
    other = CommentFactory(status="spam")

    response = as_user(api_client, editor).post(
        BULK, {"ids": [parent.pk, other.pk], "action": "delete"}, format="json"
    )

    assert response.json()["succeeded"] == [parent.pk, other.pk]
    assert list(Comment.objects.values_list("pk", "parent_id")) == [(reply.pk, None)]


def test_trash_and_restore_in_bulk(api_client, editor, on_authors_post):
    ids = [comment.pk for comment in on_authors_post]
    client = as_user(api_client, editor)

    client.post(BULK, {"ids": ids, "action": "trash"}, format="json")
    assert statuses(*on_authors_post) == ["trash", "trash"]
    client.post(BULK, {"ids": ids, "action": "restore"}, format="json")
    assert statuses(*on_authors_post) == ["pending", "pending"]


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("reader", 403), ("contributor", 403)])
def test_only_moderators_reach_the_bulk_endpoint(api_client, users, on_others_post, who, status):
    response = as_user(api_client, users[who]).post(
        BULK, {"ids": [on_others_post.pk], "action": "approve"}, format="json"
    )

    assert response.status_code == status
    assert statuses(on_others_post) == ["pending"]


@pytest.mark.parametrize(
    "data",
    [
        {"ids": [], "action": "approve"},
        {"ids": [1], "action": "publish"},
        {"ids": ["un"], "action": "approve"},
        {"ids": [0], "action": "approve"},
        {"ids": list(range(1, 102)), "action": "approve"},
        {"ids": 3, "action": "approve"},
        {"action": "approve"},
        {"ids": [1]},
    ],
)
def test_bad_bulk_input_is_a_400_with_field_messages(api_client, editor, data):
    response = as_user(api_client, editor).post(BULK, data, format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) <= {"ids", "action"} and response.json()["errors"]


def test_bulk_queries_grow_with_the_comments_only(api_client, editor):
    small = CommentFactory.create_batch(2, status="pending")
    large = CommentFactory.create_batch(4, status="pending")
    client = as_user(api_client, editor)

    with CaptureQueriesContext(connection) as two:
        client.post(BULK, {"ids": [c.pk for c in small], "action": "approve"}, format="json")
    with CaptureQueriesContext(connection) as four:
        client.post(BULK, {"ids": [c.pk for c in large], "action": "approve"}, format="json")

    per_comment = (len(four) - len(two)) / 2
    # the save, its reports, the followers' notification, the savepoint, the webhook endpoints
    assert per_comment <= 9
    assert len(two) - 2 * per_comment <= 12  # and a constant part: the session, the permission, one read


# A moderator's corrections -----------------------------------------------------------------


def detail(comment):
    return f"/api/v1/moderation/comments/{comment.pk}/"


def test_a_moderator_corrects_the_text_name_and_website(api_client, editor, django_assert_max_num_queries):
    comment = CommentFactory(author_url="")

    with django_assert_max_num_queries(14):
        response = as_user(api_client, editor).patch(
            detail(comment),
            {"body": "Texte *corrigé*.", "author_name": "Zoé M.", "author_url": "zoe.example.net"},
            format="json",
        )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["body"] == "Texte *corrigé*."
    assert "<em>corrigé</em>" in body["body_html"]
    assert (body["author_name"], body["author_url"]) == ("Zoé M.", "https://zoe.example.net")
    assert body["edited_at"]
    comment.refresh_from_db()
    assert comment.edited_by == editor
    assert comment.status == Comment.Status.APPROVED


def test_a_correction_is_audited_in_the_admin_history(api_client, editor):
    comment = CommentFactory()

    as_user(api_client, editor).patch(detail(comment), {"body": "Corrigé."}, format="json")

    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Comment), object_id=str(comment.pk)
    )
    assert (entry.user, entry.action_flag) == (editor, CHANGE)
    assert entry.get_change_message() == "Modification de commentaire."


def test_an_author_corrects_only_comments_on_their_posts(api_client, author_user, on_others_post):
    response = as_user(api_client, author_user).patch(detail(on_others_post), {"body": "Non."}, format="json")

    assert response.status_code == 404
    assert Comment.objects.get(pk=on_others_post.pk).body != "Non."


@pytest.mark.parametrize(
    "data",
    [
        {"body": ""},
        {"author_name": ""},
        {"author_name": "x" * 101},
        {"author_url": "javascript:alert(1)"},
        {"body": ["une", "liste"]},
    ],
)
def test_bad_corrections_are_a_400_with_field_messages(api_client, editor, data):
    comment = CommentFactory()

    response = as_user(api_client, editor).patch(detail(comment), data, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == list(data)
    assert not LogEntry.objects.exists()


def test_the_schema_documents_bulk_and_corrections(api_client):
    schema = api_client.get("/api/schema/?format=json").json()

    bulk = schema["paths"]["/api/v1/moderation/comments/bulk/"]["post"]
    request = bulk["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    answer = bulk["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert request.endswith("ModerationBulkRequest") and answer.endswith("ModerationBulkResult")
    patch = schema["paths"]["/api/v1/moderation/comments/{id}/"]["patch"]
    assert patch["tags"] == ["moderation"]
    assert "/api/v1/comments/{id}/report/" in schema["paths"]
    assert set(schema["paths"]["/api/v1/comments/{id}/"]) >= {"patch", "delete"}
