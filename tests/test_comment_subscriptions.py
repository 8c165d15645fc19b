"""
Following a discussion by e-mail, the RGPD way: "Notify me of replies" (unchecked by default),
a confirmation e-mail first (signed, expiring link) and nothing else until it is followed; then
an e-mail for each approved reply (never a pending or spam one), each carrying RFC 8058's
one-click unsubscribe; "my subscriptions" lists and removes every subscription of an address.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from comments.models import Comment, ModerationWord, SentEmail, Subscription
from comments.services import comment_moderate
from tests.factories import CommentFactory, PostFactory

from .comments_support import comment_data, markup, render_section, submit
from .comments_support import send_form as send

pytestmark = pytest.mark.django_db

ZOE = "zoe@example.net"


def confirm_sent():
    """What the thanks ends with when the reader asked to be notified."""
    return gettext(
        "%(message)s We sent you an e-mail: open its link to confirm that you want to be notified."
    ) % {"message": ""}


@pytest.fixture
def post():
    return PostFactory()


def to(address):
    return [message for message in mail.outbox if message.to == [address]]


def link(message, name):
    """The first URL of `message` whose path is the named route's (its prefix, before the token)."""
    prefix = reverse(f"comments:{name}", args=["x"]).removesuffix("x/")
    found = re.findall(r"https?://\S+", message.body)
    return next(url for url in found if prefix in url)


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def approved_comment_following_replies(post, client, email=ZOE, ip="203.0.113.57"):
    """Zoé's approved comment, her subscription to its replies confirmed through the pages."""
    send(client, post, ip=ip, notify="on", author_email=email)
    comment = Comment.objects.get(author_email=email)
    confirmation = to(email)[-1]
    confirm = path_of(link(confirmation, "subscription-confirm"))
    assert client.post(confirm, {"scope": "replies"}).status_code == 200
    comment_moderate(comment=comment, action="approve", by=_moderator())
    mail.outbox.clear()
    return comment


def _moderator():
    from tests.factories import UserFactory

    return UserFactory(is_superuser=True, username=f"mod{Comment.objects.count()}")


def reply_to(comment, *, status=Comment.Status.APPROVED, **fields):
    reply = CommentFactory(
        post=comment.post,
        parent=comment,
        status=Comment.Status.PENDING,
        author_name="Paul",
        author_email="paul@example.org",
        body="Je ne suis pas d’accord.",
        **fields,
    )
    if status != Comment.Status.PENDING:
        action = {"approved": "approve", "spam": "spam", "trash": "trash"}[status]
        comment_moderate(comment=reply, action=action, by=_moderator())
    return reply


# Asking -----------------------------------------------------------------------


def test_the_form_offers_notify_me_of_replies_unchecked(post):
    inputs = [attrs for tag, attrs in markup(render_section(post)) if tag == "input"]
    notify = next(attrs for attrs in inputs if attrs.get("name") == "notify")
    assert notify["type"] == "checkbox"
    assert "checked" not in notify


def test_without_the_box_no_subscription_and_no_mail_to_the_reader(client, post):
    send(client, post)
    assert Subscription.objects.count() == 0
    assert to(ZOE) == []


def test_asking_sends_a_confirmation_and_nothing_is_confirmed_yet(client, post):
    response = send(client, post, notify="on")
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.scope, subscription.confirmed_at) == (ZOE, "replies", None)
    [confirmation] = to(ZOE)
    assert link(confirmation, "subscription-confirm")
    # Not a notification: no unsubscribe header (there is nothing to unsubscribe from yet).
    assert "List-Unsubscribe" not in confirmation.extra_headers
    assert SentEmail.objects.get(email=ZOE).kind == SentEmail.Kind.CONFIRMATION
    message = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert message.endswith(confirm_sent())


def test_opening_the_confirmation_link_confirms_nothing_until_the_button_is_pressed(client, post):
    send(client, post, notify="on")
    confirm = path_of(link(to(ZOE)[0], "subscription-confirm"))
    page = client.get(confirm)
    assert page.status_code == 200
    assert Subscription.objects.get().confirmed_at is None  # a link checker's visit confirms nothing
    assert client.post(confirm, {"scope": "replies"}).status_code == 200
    assert Subscription.objects.get().confirmed_at is not None


def test_the_confirmation_link_expires(client, post, settings):
    settings.COMMENTS_SUBSCRIPTION_CONFIRM_DAYS = 2
    send(client, post, notify="on")
    confirm = path_of(link(to(ZOE)[0], "subscription-confirm"))
    with time_machine.travel(timezone.now() + timedelta(days=2, minutes=1)):
        response = client.post(confirm, {"scope": "replies"})
    assert response.status_code == 400
    expired = gettext(
        "This confirmation link has expired. Leave a new comment with “Notify me of replies” ticked to "
        "get a new one."
    )
    assert escape(expired) in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_a_tampered_confirmation_link_is_refused(client, post):
    send(client, post, notify="on")
    confirm = path_of(link(to(ZOE)[0], "subscription-confirm"))
    forged = confirm.replace(Subscription.objects.get().key[:5], "aaaaa")
    assert client.post(forged.rstrip("/") + "x/", {"scope": "replies"}).status_code == 400
    assert Subscription.objects.get().confirmed_at is None


def test_spam_asks_nothing_of_the_address(client, post):
    ModerationWord.objects.create(word="casino", action=ModerationWord.Action.BLOCK)
    send(client, post, notify="on", body="Le meilleur casino en ligne")
    assert Comment.objects.get().status == Comment.Status.SPAM
    assert Subscription.objects.count() == 0
    assert to(ZOE) == []


def test_the_api_takes_notify_and_the_scope(api_client, post):
    url = f"/api/v1/posts/{post.slug}/comments/"
    data = {key: value for key, value in comment_data(post).items() if value is not None}
    response = api_client.post(url, {**data, "notify": True, "notify_scope": "post"}, format="json")
    assert response.status_code == 201, response.content
    assert Subscription.objects.get().scope == "post"
    assert len(to(ZOE)) == 1
    assert response.json()["message"].endswith(confirm_sent())


def test_the_api_subscribes_nobody_by_default(api_client, post):
    url = f"/api/v1/posts/{post.slug}/comments/"
    data = {key: value for key, value in comment_data(post).items() if value is not None}
    assert api_client.post(url, data, format="json").status_code == 201
    assert Subscription.objects.count() == 0


# Being told -------------------------------------------------------------------


def test_nothing_is_sent_before_confirmation(client, post):
    send(client, post, notify="on")
    comment = Comment.objects.get()
    comment_moderate(comment=comment, action="approve", by=_moderator())
    mail.outbox.clear()
    reply_to(comment)
    assert to(ZOE) == []


def test_an_approved_reply_is_mailed_with_one_click_unsubscribe(client, post):
    comment = approved_comment_following_replies(post, client)
    reply = reply_to(comment)
    [message] = to(ZOE)
    assert "Paul" in message.body and "Je ne suis pas d’accord." in message.body
    assert f"#comment-{reply.pk}" in message.body
    unsubscribe = link(message, "unsubscribe")
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link(message, "subscriptions")  # the visible links: unsubscribe and my subscriptions
    assert SentEmail.objects.filter(email=ZOE, kind=SentEmail.Kind.REPLY, comment=reply).exists()


def test_a_pending_or_spam_reply_is_not_mailed_and_its_approval_is(client, post):
    comment = approved_comment_following_replies(post, client)
    pending = reply_to(comment, status=Comment.Status.PENDING)
    reply_to(comment, status=Comment.Status.SPAM)
    assert to(ZOE) == []
    comment_moderate(comment=pending, action="approve", by=_moderator())
    assert len(to(ZOE)) == 1


def test_one_comment_is_mailed_once_however_often_it_is_approved(client, post):
    comment = approved_comment_following_replies(post, client)
    reply = reply_to(comment)
    comment_moderate(comment=reply, action="restore", by=_moderator())
    comment_moderate(comment=reply, action="approve", by=_moderator())
    assert len(to(ZOE)) == 1


def test_a_reply_to_someone_else_is_not_mailed(client, post):
    approved_comment_following_replies(post, client)
    reply_to(CommentFactory(post=post))
    assert to(ZOE) == []


def test_following_the_post_mails_every_new_approved_comment_but_ones_own(client, post):
    send(client, post, notify="on")
    confirm = path_of(link(to(ZOE)[0], "subscription-confirm"))
    client.post(confirm, {"scope": "post"})
    mail.outbox.clear()
    CommentFactory(post=post, status=Comment.Status.PENDING)
    other = CommentFactory(post=post, status=Comment.Status.PENDING, body="Un autre avis")
    comment_moderate(comment=other, action="approve", by=_moderator())
    [message] = to(ZOE)
    assert "Un autre avis" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    submit(post, ip="198.51.100.9", body="Moi encore")  # Zoé's own comment: not mailed to her
    comment_moderate(comment=Comment.objects.get(body="Moi encore"), action="approve", by=_moderator())
    assert len(to(ZOE)) == 1


def test_the_writer_of_a_held_comment_is_told_when_it_is_approved(client, post):
    send(client, post, notify="on")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    [confirmation] = to(ZOE)
    assert (
        gettext("You will also be told when your comment is published: it is waiting for a moderator.")
        in confirmation.body
    )
    client.post(path_of(link(confirmation, "subscription-confirm")), {"scope": "replies"})
    mail.outbox.clear()
    comment_moderate(comment=comment, action="approve", by=_moderator())
    [published] = to(ZOE)
    assert f"#comment-{comment.pk}" in published.body
    assert published.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert SentEmail.objects.filter(email=ZOE, kind=SentEmail.Kind.PUBLISHED).count() == 1


def test_a_held_comment_trashed_tells_its_writer_nothing(client, post):
    send(client, post, notify="on")
    comment = Comment.objects.get()
    client.post(path_of(link(to(ZOE)[0], "subscription-confirm")), {"scope": "replies"})
    mail.outbox.clear()
    comment_moderate(comment=comment, action="trash", by=_moderator())
    assert to(ZOE) == []


# Unsubscribing ----------------------------------------------------------------


def test_the_one_click_post_unsubscribes_at_once_without_login_or_csrf_token(client, post):
    comment = approved_comment_following_replies(post, client)
    reply_to(comment)
    unsubscribe = path_of(link(to(ZOE)[0], "unsubscribe"))
    mail_program = Client(enforce_csrf_checks=True)  # no cookie, no token: as RFC 8058 mail programs
    response = mail_program.post(
        unsubscribe, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert Subscription.objects.count() == 0
    mail.outbox.clear()
    reply_to(comment)
    assert to(ZOE) == []
    # Twice is not an error.
    again = mail_program.post(
        unsubscribe, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert again.status_code == 200


def test_opening_the_unsubscribe_link_shows_one_button_and_changes_nothing(client, post):
    comment = approved_comment_following_replies(post, client)
    reply_to(comment)
    unsubscribe = path_of(link(to(ZOE)[0], "unsubscribe"))
    page = Client().get(unsubscribe)
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0")
    forms = [attrs for tag, attrs in markup(page.content.decode()) if tag == "form"]
    assert [form.get("method") for form in forms if form.get("method") == "post"] == ["post"]
    assert Subscription.objects.count() == 1


def test_my_subscriptions_lists_every_subscription_of_the_address_each_removable(client, post):
    comment = approved_comment_following_replies(post, client)
    other_post = PostFactory(title="Un autre billet")
    submit(other_post, ip="198.51.100.7", notify=True, author_email="ZOE@example.net")
    approved_comment_following_replies(
        PostFactory(title="Billet de Paul"), client, email="paul@example.org", ip="192.0.2.1"
    )
    reply_to(comment)
    mine = path_of(link(to(ZOE)[0], "subscriptions"))
    page = Client().get(mine).content.decode()
    assert post.title in page and "Un autre billet" in page
    assert "Billet de Paul" not in page
    forms = [attrs["action"] for tag, attrs in markup(page) if tag == "form" and "remove" in attrs["action"]]
    assert len(forms) == 2
    # Another address's subscription cannot be removed from this list.
    paul = Subscription.objects.get(email="paul@example.org")
    assert Client().post(f"{mine}{paul.pk}/remove/").status_code == 200
    assert Subscription.objects.filter(pk=paul.pk).exists()
    Client(enforce_csrf_checks=True).post(forms[0])
    Client().post(forms[1])
    assert not Subscription.objects.filter(email__iexact=ZOE).exists()
    assert "Billet de Paul" not in Client().get(mine).content.decode()


# What the reader is told ------------------------------------------------------


def test_the_thanks_for_a_held_comment_says_why(client, post, settings):
    settings.COMMENTS_MAX_LINKS = 2
    body = "Voir https://a.example, https://b.example et https://c.example"
    response = send(client, post, body=body)
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert Comment.objects.get().moderation_rule == "too_many_links"
    assert message.startswith(gettext("Thank you: your comment is awaiting moderation."))
    assert Comment.objects.get().moderation_reason in message


def test_spam_gets_the_answer_of_any_comment_waiting(client, post):
    ModerationWord.objects.create(word="casino", action=ModerationWord.Action.BLOCK)
    spam = send(client, post, body="Le meilleur casino en ligne")
    waiting = send(Client(), post, ip="198.51.100.2", author_email="autre@example.net")
    assert [c.status for c in Comment.objects.order_by("pk")] == ["spam", "pending"]
    assert [str(m) for m in get_messages(spam.wsgi_request)] == [
        str(m) for m in get_messages(waiting.wsgi_request)
    ]


def test_the_french_reason_for_too_many_links_reads_plainly(post, settings):
    settings.COMMENTS_MAX_LINKS = 2
    settings.LANGUAGE_CODE = "fr"
    comment = submit(post, body="https://a.example https://b.example https://c.example")
    assert comment.moderation_reason == "Contient 3 liens, au-delà de 2."
