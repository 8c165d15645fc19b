"""comment_submit: validation, storage, refusals and the moderators' e-mail."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from authors import roles
from comments.exceptions import CommentFlood, CommentsClosed
from comments.models import Comment
from comments.services import RequestMeta, comment_submit
from tests.factories import AuthorFactory, CommentFactory, PostFactory, UserFactory

from .comments_support import comment_data, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    # Written by an author (the role): authors are told of the comments they may moderate.
    return PostFactory(author=AuthorFactory(user=UserFactory(role=roles.AUTHOR)))


def test_a_valid_comment_is_stored_with_its_verdict_and_truncated_address(post):
    comment = submit(post, ip="203.0.113.57")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_rule == "default_status"
    assert comment.moderation_reason
    assert comment.ip_address == "203.0.113.0"
    assert comment.user_agent == "Mozilla/5.0 (Test)"
    assert (comment.author_name, comment.author_email) == ("Zoé Martin", "zoe@example.net")
    assert comment.body_html == "<p>Très bel article, merci !</p>"


def test_request_meta_may_be_the_request_meta_dict(post):
    comment = comment_submit(
        post=post,
        data=comment_data(post),
        request_meta={"REMOTE_ADDR": "2001:db8:85a3:8d3::1", "HTTP_USER_AGENT": "X" * 400},
    )
    assert comment.ip_address == "2001:db8:85a3::"
    assert len(comment.user_agent) == 255


def test_invalid_fields_raise_a_dict_of_messages_and_store_nothing(post):
    data = comment_data(
        post, author_name="", author_email="pas-un-email", author_url="javascript:alert(1)", body="  "
    )
    with pytest.raises(ValidationError) as caught:
        comment_submit(post=post, data=data, request_meta=RequestMeta())
    assert set(caught.value.message_dict) == {"author_name", "author_email", "author_url", "body"}
    assert not Comment.objects.exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>", "ftp://files.example"])
def test_website_must_be_http_or_https(post, url):
    with pytest.raises(ValidationError) as caught:
        submit(post, author_url=url)
    assert "author_url" in caught.value.message_dict


def test_unknown_parent_is_a_field_error(post):
    with pytest.raises(ValidationError) as caught:
        submit(post, parent=999999)
    assert list(caught.value.message_dict) == ["parent"]


def test_parent_from_another_post_is_a_field_error(post):
    elsewhere = CommentFactory()
    with pytest.raises(ValidationError) as caught:
        submit(post, parent=elsewhere.pk)
    assert "parent" in caught.value.message_dict


def test_trashed_parent_is_a_field_error(post):
    # A spam parent is accepted like a pending one: see test_comment_spam_not_revealed.py.
    parent = CommentFactory(post=post, status=Comment.Status.TRASH)
    with pytest.raises(ValidationError):
        submit(post, parent=parent.pk, ip=None)


def test_reply_is_threaded_under_its_parent(post):
    parent = CommentFactory(post=post)
    reply = submit(post, parent=parent.pk)
    assert reply.parent_id == parent.pk


def test_spam_is_stored_not_dropped(post):
    comment = submit(post, honeypot="I am a robot")
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.SPAM
    assert comment.moderation_rule == "honeypot"


def test_flood_is_refused_and_nothing_is_stored(post, settings):
    settings.COMMENTS_FLOOD_SECONDS = 15
    submit(post, ip="203.0.113.57")
    with pytest.raises(CommentFlood) as caught:
        submit(post, ip="203.0.113.57", body="Encore moi")
    assert 1 <= caught.value.retry_after <= 15
    assert Comment.objects.count() == 1


def test_another_address_is_not_a_flood(post):
    submit(post, ip="203.0.113.57")
    submit(post, ip="198.51.100.4")
    assert Comment.objects.count() == 2


def test_closed_post_raises_and_stores_nothing(post):
    post.allow_comments = False
    post.save()
    with pytest.raises(CommentsClosed):
        submit(post)
    assert not Comment.objects.exists()


def test_signed_in_reader_comments_under_their_account(post):
    user = UserFactory(username="lectrice", email="lectrice@example.org", first_name="Léa", last_name="Roy")
    comment = submit(post, user=user, author_name="", author_email="")
    assert (comment.author_name, comment.author_email, comment.user) == (
        "Léa Roy",
        "lectrice@example.org",
        user,
    )


def test_pending_comment_is_mailed_to_the_post_author_and_editors(
    post, editor, django_capture_on_commit_callbacks
):
    post.author.user.email = "autrice@example.org"
    post.author.user.save()
    mail.outbox.clear()
    # The moderators are told in the background, once the comment is committed.
    with django_capture_on_commit_callbacks(execute=True):
        comment = submit(post, body="Une question sur le deuxième paragraphe.")
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted(["autrice@example.org", editor.email])
    message = mail.outbox[0]
    assert post.title in message.subject
    assert "Une question sur le deuxième paragraphe." in message.body
    assert f"/admin/comments/comment/{comment.pk}/change/" in message.body


def test_moderation_link_uses_the_host_the_comment_came_to(post, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_submit(
            post=post,
            data=comment_data(post),
            request_meta={
                "REMOTE_ADDR": "203.0.113.5",
                "HTTP_HOST": "blog.example.fr",
                "wsgi.url_scheme": "https",
            },
        )
    assert f"https://blog.example.fr/admin/comments/comment/{comment.pk}/change/" in mail.outbox[0].body


def test_approved_and_spam_comments_send_no_mail(post, django_capture_on_commit_callbacks):
    CommentFactory(author_name="Zoé Martin", author_email="zoe@example.net", status=Comment.Status.APPROVED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert submit(post).status == Comment.Status.APPROVED
        assert submit(post, ip="198.51.100.4", honeypot="x").status == Comment.Status.SPAM
    assert mail.outbox == []


def test_a_mail_failure_does_not_lose_the_comment(post, settings):
    settings.EMAIL_BACKEND = "tests.test_comment_submission.BrokenBackend"
    comment = submit(post)
    assert Comment.objects.filter(pk=comment.pk).exists()


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


def test_author_of_another_post_is_not_mailed(post):
    other = AuthorFactory(user=UserFactory(email="autre@example.org"))
    PostFactory(author=other)
    mail.outbox.clear()
    submit(post)
    assert "autre@example.org" not in [message.to[0] for message in mail.outbox]
