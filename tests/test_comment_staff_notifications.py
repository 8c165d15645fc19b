"""
Authors and moderators choose their comment e-mails in their profile: "new comments to
moderate" (on by default, as before) and "approved comments on my posts" (off by default),
which now also covers comments the rules approve at once. Every e-mail is recorded.
"""

import pytest
from django.core import mail

from authors import roles
from comments.models import Comment, SentEmail
from tests.factories import AuthorFactory, CommentFactory, PostFactory, UserFactory

from .comments_support import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def autrice():
    return AuthorFactory(user=UserFactory(username="autrice", email="autrice@example.org", role=roles.AUTHOR))


@pytest.fixture
def post(autrice):
    return PostFactory(author=autrice)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send a comment and run what waits for its commit (the staff e-mails are queued then)."""

    def send(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return submit(*args, **kwargs)

    return send


def known_reader():
    """A reader (name and address) with an approved comment: the rules approve the next one at once."""
    CommentFactory(author_name="Zoé Martin", author_email="zoe@example.net", status=Comment.Status.APPROVED)
    mail.outbox.clear()


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_an_auto_approved_comment_is_mailed_to_the_author_who_asks(post, autrice, send):
    autrice.notify_approved_comments = True
    autrice.save()
    known_reader()
    comment = send(post, body="Bravo pour l’article.")
    assert comment.status == Comment.Status.APPROVED
    assert recipients() == ["autrice@example.org"]
    [message] = mail.outbox
    assert "Bravo pour l’article." in message.body
    assert f"#comment-{comment.pk}" in message.body
    assert SentEmail.objects.get().kind == SentEmail.Kind.ON_MY_POST


def test_an_auto_approved_comment_is_not_mailed_by_default(post, send):
    known_reader()
    assert send(post).status == Comment.Status.APPROVED
    assert mail.outbox == []


def test_the_author_is_not_told_of_their_own_comment(post, autrice, send):
    autrice.notify_approved_comments = True
    autrice.save()
    CommentFactory(author_email="autrice@example.org", status=Comment.Status.APPROVED)
    mail.outbox.clear()
    send(post, user=autrice.user)
    assert mail.outbox == []


def test_a_moderator_who_turned_off_comments_to_moderate_is_not_mailed(post, autrice, editor, send):
    editor.author.notify_comments_to_moderate = False
    editor.author.save()
    mail.outbox.clear()
    assert send(post).status == Comment.Status.PENDING
    assert recipients() == ["autrice@example.org"]
    assert set(SentEmail.objects.values_list("kind", flat=True)) == {SentEmail.Kind.TO_MODERATE}


def test_a_moderator_without_an_author_profile_gets_the_default(post, send):
    UserFactory(username="root", email="root@example.org", is_superuser=True)
    mail.outbox.clear()
    send(post)
    assert "root@example.org" in recipients()
