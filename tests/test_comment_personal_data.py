"""RGPD/GDPR: export and erase a commenter's data; purge old spam and trash."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext

from comments.models import Comment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def zoe_comments():
    first = CommentFactory(
        author_name="Zoé",
        author_email="zoe@example.net",
        author_url="https://zoe.example",
        ip_address="203.0.113.0",
        user_agent="Firefox",
        body="Premier avis",
    )
    second = CommentFactory(author_email="ZOE@example.net", body="Second avis", status=Comment.Status.SPAM)
    other = CommentFactory(author_email="autre@example.net")
    return first, second, other


def test_export_prints_every_comment_and_datum_as_json(zoe_comments):
    data = json.loads(run("comments_personal_data", "export", "zoe@example.net"))
    assert data["email"] == "zoe@example.net"
    assert [c["body"] for c in data["comments"]] == ["Premier avis", "Second avis"]
    first = data["comments"][0]
    assert first["author_url"] == "https://zoe.example"
    assert first["ip_address"] == "203.0.113.0"
    assert first["user_agent"] == "Firefox"
    assert first["status"] == "approved"


def test_erase_anonymizes_and_keeps_the_text(zoe_comments):
    first, second, other = zoe_comments
    output = run("comments_personal_data", "erase", "zoe@example.net")
    assert "2" in output
    first.refresh_from_db()
    with translation.override("fr"):
        anonymous = gettext("Anonymous")
    assert first.author_name == anonymous
    assert (first.author_email, first.author_url, first.ip_address, first.user_agent) == ("", "", None, "")
    assert first.body == "Premier avis"
    other.refresh_from_db()
    assert other.author_email == "autre@example.net"
    assert json.loads(run("comments_personal_data", "export", "zoe@example.net"))["comments"] == []


@pytest.mark.parametrize("args", [("export", "pas-un-email"), ("erase", "")])
def test_bad_email_is_a_clear_error(args):
    with pytest.raises(CommandError, match="valid e-mail"):
        call_command("comments_personal_data", *args)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["comments_personal_data", "export", "nope"], "valid e-mail"),
        (["comments_personal_data", "forget", "zoe@example.net"], "export EMAIL"),
        (["comments_personal_data"], "export EMAIL"),
        (["purge_comments"], "--older-than N"),
        (["purge_comments", "--older-than", "x"], "whole number"),
    ],
)
def test_bad_input_exits_with_code_1_and_a_sentence(capsys, argv, message):
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", *argv]).execute()
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_purge_deletes_old_spam_and_trash_only(zoe_comments):
    old = timezone.now() - timedelta(days=40)
    spam = CommentFactory(status=Comment.Status.SPAM)
    trash = CommentFactory(status=Comment.Status.TRASH)
    recent_spam = CommentFactory(status=Comment.Status.SPAM)
    old_approved = CommentFactory()
    Comment.objects.filter(pk__in=[spam.pk, trash.pk, old_approved.pk]).update(updated_at=old)
    output = run("purge_comments", "--older-than", "30")
    assert "2" in output
    assert not Comment.objects.filter(pk__in=[spam.pk, trash.pk]).exists()
    assert Comment.objects.filter(pk__in=[recent_spam.pk, old_approved.pk]).count() == 2


def test_purge_keeps_the_replies_of_a_deleted_comment():
    root = CommentFactory()
    trashed = CommentFactory(post=root.post, parent=root, status=Comment.Status.TRASH)
    reply = CommentFactory(post=root.post, parent=trashed)
    Comment.objects.filter(pk=trashed.pk).update(updated_at=timezone.now() - timedelta(days=90))
    run("purge_comments", "--older-than", "30")
    reply.refresh_from_db()
    assert reply.parent_id == root.pk


@pytest.mark.parametrize("value", ["0", "-3", "trente"])
def test_purge_refuses_a_bad_age(value):
    with pytest.raises(CommandError, match="older-than"):
        call_command("purge_comments", "--older-than", value)


def test_export_includes_subscriptions_confirmations_and_the_emails_sent(zoe_comments):
    from comments.models import SentEmail, Subscription

    first, _second, other = zoe_comments
    confirmed_at = timezone.now()
    Subscription.objects.create(
        post=first.post, comment=first, email="Zoe@example.net", confirmed_at=confirmed_at
    )
    Subscription.objects.create(post=other.post, comment=other, email="autre@example.net")
    SentEmail.objects.create(email="zoe@example.net", kind=SentEmail.Kind.CONFIRMATION, subject="Confirmez")
    data = json.loads(run("comments_personal_data", "export", "zoe@example.net"))
    [subscription] = data["subscriptions"]
    assert subscription["comment"] == first.pk
    assert subscription["confirmed_at"] == confirmed_at.isoformat()
    assert subscription["requested_at"]
    assert [(sent["kind"], sent["subject"]) for sent in data["emails_sent"]] == [
        ("confirmation", "Confirmez")
    ]


def test_erase_removes_subscriptions_and_the_record_of_emails_sent(zoe_comments):
    from comments.models import SentEmail, Subscription

    first, _second, other = zoe_comments
    Subscription.objects.create(post=first.post, comment=first, email="ZOE@example.net")
    Subscription.objects.create(post=other.post, comment=other, email="autre@example.net")
    SentEmail.objects.create(email="zoe@example.net", kind=SentEmail.Kind.REPLY, subject="Réponse")
    SentEmail.objects.create(email="autre@example.net", kind=SentEmail.Kind.REPLY, subject="Réponse")
    run("comments_personal_data", "erase", "zoe@example.net")
    assert list(Subscription.objects.values_list("email", flat=True)) == ["autre@example.net"]
    assert list(SentEmail.objects.values_list("email", flat=True)) == ["autre@example.net"]


def test_purge_drops_subscriptions_never_confirmed_in_time(settings):
    from comments.models import Subscription

    settings.COMMENTS_SUBSCRIPTION_CONFIRM_DAYS = 7
    comment = CommentFactory()
    old = timezone.now() - timedelta(days=8)
    stale = Subscription.objects.create(
        post=comment.post, comment=comment, email="a@example.net", created_at=old
    )
    confirmed = Subscription.objects.create(
        post=comment.post, comment=comment, email="b@example.net", created_at=old, confirmed_at=old
    )
    recent = Subscription.objects.create(post=comment.post, comment=comment, email="c@example.net")
    output = run("purge_comments", "--older-than", "30")
    assert "1 subscription(s)" in output
    assert set(Subscription.objects.values_list("pk", flat=True)) == {confirmed.pk, recent.pk}
    assert not Subscription.objects.filter(pk=stale.pk).exists()
