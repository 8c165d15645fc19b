"""
Spam is never revealed: a writer whose comment was taken for spam sees it as
awaiting moderation, and replying to it answers exactly as replying to a
pending comment does (same status, same message), on the site and in the API.
"""

import pytest

from comments.models import Comment
from comments.templatetags.comments_tags import PENDING_SESSION_KEY

from .comments_support import aged_token, submit
from .factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    return PostFactory()


@pytest.fixture
def held(post):
    """The reader's two held comments: one pending, one the pipeline took for spam."""
    pending = submit(post, body="Un premier avis.")
    spam = submit(post, body="Un avis pris pour du spam.", honeypot="rempli par erreur")
    assert (pending.status, spam.status) == (Comment.Status.PENDING, Comment.Status.SPAM)
    return {"pending": pending, "spam": spam}


def test_replying_to_ones_own_spam_is_stored_like_replying_to_ones_pending_comment(post, held):
    replies = {
        kind: submit(post, parent=parent.pk, body=f"Je complète ({kind}).") for kind, parent in held.items()
    }

    assert replies["spam"].status == replies["pending"].status == Comment.Status.PENDING
    assert replies["spam"].parent_id == held["spam"].pk


def test_the_form_answers_a_reply_to_spam_as_a_reply_to_a_pending_comment(client, post, held):
    session = client.session
    session[PENDING_SESSION_KEY] = [held["pending"].pk, held["spam"].pk]
    session.save()
    answers = {}
    for kind, parent in held.items():
        data = {
            "author_name": "Zoé Martin",
            "author_email": "zoe@example.net",
            "body": f"Je complète ({kind}).",
            "parent": parent.pk,
            **aged_token(post),
        }
        response = client.post(f"/comments/post/{post.pk}/", data, follow=True)
        answers[kind] = (
            response.redirect_chain[0][1] if response.redirect_chain else response.status_code,
            [str(message) for message in response.context["messages"]],
        )
        assert f"Je complète ({kind})." in response.content.decode()

    assert answers["spam"] == answers["pending"]
    assert answers["spam"][0] == 302


def test_the_api_answers_a_reply_to_spam_as_a_reply_to_a_pending_comment(api_client, post, held):
    answers = {}
    for kind, parent in held.items():
        response = api_client.post(
            f"/api/v1/posts/{post.slug}/comments/",
            {
                "author_name": "Zoé Martin",
                "author_email": "zoe@example.net",
                "body": f"Je complète ({kind}).",
                "parent": parent.pk,
                **aged_token(post),
            },
        )
        # What names the comment itself (its id, its edit token and window) differs by nature.
        own = ("id", "edit_token", "editable_until")
        answers[kind] = (response.status_code, {k: v for k, v in response.json().items() if k not in own})

    assert answers["spam"] == answers["pending"] == (201, answers["pending"][1])
    assert answers["spam"][1]["status"] == "pending"
