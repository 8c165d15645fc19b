"""
Who is published at once: a known commenter is one whose name AND e-mail match
an approved comment of someone who is not staff, or who is signed in to the
account that has one. Knowing an address is not enough, and a staff member's
address typed by someone not signed in waits for a moderator, saying why.
"""

import pytest

from comments.models import Comment
from comments.services import comment_reply

from .comments_support import submit
from .factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    return PostFactory()


def test_a_regulars_e_mail_under_another_name_waits_for_a_moderator(post):
    CommentFactory(post=post, author_name="Zoé Martin", author_email="zoe@example.net")

    comment = submit(post, author_name="Quelqu’un d’autre", author_email="zoe@example.net")

    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_rule == "default_status"


def test_the_same_name_and_e_mail_as_an_approved_comment_are_published_at_once(post):
    CommentFactory(post=post, author_name="Zoé Martin", author_email="Zoe@Example.net")

    comment = submit(post, author_name="zoé martin ", author_email="zoe@example.net")

    assert comment.status == Comment.Status.APPROVED
    assert comment.moderation_rule == "known_author"


def test_a_name_and_e_mail_seen_only_in_pending_or_spam_comments_are_not_known(post):
    CommentFactory(author_name="Zoé Martin", author_email="zoe@example.net", status=Comment.Status.PENDING)
    CommentFactory(author_name="Zoé Martin", author_email="zoe@example.net", status=Comment.Status.SPAM)

    assert submit(post).status == Comment.Status.PENDING


def test_a_moderators_address_from_their_reply_does_not_publish_an_impostor(post, editor):
    editor.email = "simone@plume.example"
    editor.save()
    parent = CommentFactory(post=post)
    reply = comment_reply(parent=parent, body="Merci !", by=editor)
    assert reply.status == Comment.Status.APPROVED

    comment = submit(post, author_name=reply.author_name, author_email="Simone@Plume.example")

    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_rule == "staff_address"
    assert "staff" in comment.moderation_reason or "équipe" in comment.moderation_reason


def test_a_staff_address_waits_even_when_an_anonymous_comment_of_it_was_approved(post, author_user):
    author_user.email = "auteur@plume.example"
    author_user.save()
    CommentFactory(post=post, author_name="Auteur", author_email="auteur@plume.example", user=None)

    comment = submit(post, author_name="Auteur", author_email="auteur@plume.example")

    assert (comment.status, comment.moderation_rule) == (Comment.Status.PENDING, "staff_address")


def test_a_signed_in_reader_with_an_approved_comment_on_the_account_is_published_at_once(post, reader):
    CommentFactory(
        post=post, user=reader, author_name="Un pseudonyme d’autrefois", author_email="old@example.net"
    )

    comment = submit(post, user=reader, author_name="", author_email="")

    assert (comment.status, comment.moderation_rule) == (Comment.Status.APPROVED, "known_author")


def test_a_signed_in_staff_member_is_not_held_for_using_their_own_address(post, editor):
    comment = submit(post, user=editor, author_name="", author_email="")

    assert comment.moderation_rule != "staff_address"


def test_an_address_someone_else_used_in_a_signed_in_comment_is_not_enough(post, reader):
    other = UserFactory(username="other", email="other@example.net")
    CommentFactory(post=post, user=other, author_name="Other", author_email="other@example.net")

    comment = submit(post, user=reader, author_name="", author_email="")

    assert comment.status == Comment.Status.PENDING


def test_through_the_api_a_staff_address_is_told_pending(api_client, post, editor):
    from .comments_support import aged_token

    editor.email = "simone@plume.example"
    editor.save()
    comment_reply(parent=CommentFactory(post=post), body="Bonne question.", by=editor)

    response = api_client.post(
        f"/api/v1/posts/{post.slug}/comments/",
        {
            "author_name": "Simone",
            "author_email": "simone@plume.example",
            "body": "Publié ?",
            **aged_token(post),
        },
    )

    assert response.status_code == 201
    assert response.json()["status"] == "pending"
