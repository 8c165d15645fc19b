"""Reader reports ("Report"): one per reader and comment, hidden for review after N."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from comments.models import Comment, CommentReport
from comments.services import comment_moderate, comment_report, reporter_key
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def report_url(comment):
    return reverse("comments:report", args=[comment.pk])


def test_a_reader_reports_a_comment_with_a_reason(client):
    comment = CommentFactory()
    response = client.post(report_url(comment), {"reason": "Publicité déguisée"})
    assert response.status_code == 302
    assert response["Location"] == comment.get_absolute_url()
    report = CommentReport.objects.get()
    assert (report.comment, report.reason) == (comment, "Publicité déguisée")
    assert len(report.reporter_key) == 64


def test_one_report_per_reader_and_comment(client):
    comment = CommentFactory()
    client.post(report_url(comment), {"reason": "un"})
    response = client.post(report_url(comment), {"reason": "deux"})
    assert CommentReport.objects.count() == 1
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == gettext(
        "You have already reported this comment."
    )


def test_signed_in_reader_reports_once_whatever_the_session(reader):
    comment = CommentFactory()
    for _ in range(2):
        browser = Client()
        browser.force_login(reader)
        browser.post(report_url(comment))
    assert CommentReport.objects.count() == 1


def test_comment_goes_back_to_pending_after_enough_reports(settings):
    settings.COMMENTS_REPORTS_TO_HIDE = 3
    comment = CommentFactory()
    # Three readers: three browsers on three connections (see test_comment_report_abuse.py).
    for n in range(2):
        Client(REMOTE_ADDR=f"198.51.{n}.7").post(report_url(comment), {"reason": "hors sujet"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    Client(REMOTE_ADDR="203.0.113.7").post(report_url(comment))
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_rule == "reports"
    assert "3" in comment.moderation_reason


def test_approving_again_resets_the_count(settings, editor):
    settings.COMMENTS_REPORTS_TO_HIDE = 2
    comment = CommentFactory()
    for n in range(2):
        comment_report(comment=comment, reporter_key=f"r{n}")
    comment.refresh_from_db()
    comment_moderate(comment=comment, action="approve", by=editor)
    comment_report(comment=comment, reporter_key="r-new")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_only_published_comments_can_be_reported(client):
    pending = CommentFactory(status=Comment.Status.PENDING)
    assert client.post(report_url(pending)).status_code == 404
    with pytest.raises(ValidationError):
        comment_report(comment=pending, reporter_key="k")


def test_report_needs_post(client):
    assert client.get(report_url(CommentFactory())).status_code == 405


def test_reporter_key_is_a_stable_hash_per_reader():
    user, other = UserFactory(), UserFactory()
    key = reporter_key(user=user)
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert key == reporter_key(user=user)
    assert key not in (reporter_key(user=other), reporter_key(session_key="abc"))
