"""
Reader reports cannot be stuffed: readers are counted by distinct truncated
address AND distinct session, an address may send only so many reports an hour,
and once a moderator approved a comment, the same reporters cannot hide it again.
"""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from comments.models import Comment, CommentReport
from comments.services import comment_moderate, comment_report

from .factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def three_readers_hide(settings):
    settings.COMMENTS_REPORTS_TO_HIDE = 3


def report(comment, *, address, client=None, **headers):
    """A report from a browser (a fresh, cookie-less one unless `client` is given)."""
    client = client or Client()
    return client.post(
        reverse("comments:report", args=[comment.pk]),
        {"reason": "Hors sujet"},
        REMOTE_ADDR=address,
        **headers,
    )


def status_of(comment):
    comment.refresh_from_db()
    return comment.status


def test_a_cookie_less_client_reporting_three_times_is_one_reader():
    comment = CommentFactory()

    for _attempt in range(3):
        report(comment, address="203.0.113.57")

    assert status_of(comment) == Comment.Status.APPROVED
    assert CommentReport.objects.count() == 3  # kept for the moderators, counted once


def test_three_readers_on_three_connections_hide_the_comment():
    comment = CommentFactory()

    for address in ("203.0.113.57", "198.51.100.8", "192.0.2.9"):
        report(comment, address=address)

    assert status_of(comment) == Comment.Status.PENDING


def test_three_addresses_of_one_24_are_one_address():
    comment = CommentFactory()

    for host in (1, 2, 3):
        report(comment, address=f"203.0.113.{host}")

    assert status_of(comment) == Comment.Status.APPROVED


def test_one_session_from_many_addresses_is_one_reader():
    comment = CommentFactory()
    browser = Client()

    for address in ("203.0.113.57", "198.51.100.8", "192.0.2.9"):
        report(comment, address=address, client=browser)

    assert status_of(comment) == Comment.Status.APPROVED
    assert CommentReport.objects.count() == 1


def test_a_varying_forwarded_header_is_not_a_new_address():
    comment = CommentFactory()

    for n in range(3):
        report(comment, address="203.0.113.57", HTTP_X_FORWARDED_FOR=f"198.51.{n}.1")

    assert status_of(comment) == Comment.Status.APPROVED


def test_reports_are_rate_limited_per_address(settings):
    settings.COMMENTS_REPORTS_PER_HOUR = 2
    comments = CommentFactory.create_batch(3)

    responses = [report(comment, address="203.0.113.57") for comment in comments]

    assert CommentReport.objects.count() == 2
    messages = [str(message) for message in get_messages(responses[-1].wsgi_request)]
    assert messages and "Thank you" not in messages[-1] and "Merci" not in messages[-1]
    # Another connection is not held back.
    report(comments[-1], address="198.51.100.8")
    assert CommentReport.objects.count() == 3


def test_after_a_moderators_approval_the_same_reporters_cannot_hide_it_again(editor):
    comment = CommentFactory()
    reporters = [("203.0.113.57", Client()), ("198.51.100.8", Client()), ("192.0.2.9", Client())]
    for address, browser in reporters:
        report(comment, address=address, client=browser)
    assert status_of(comment) == Comment.Status.PENDING
    comment_moderate(comment=comment, action="approve", by=editor)

    # The same people again, in new cookie-less browsers from the same connections.
    for address, _browser in reporters:
        report(comment, address=address)

    assert status_of(comment) == Comment.Status.APPROVED


def test_after_approval_new_readers_can_still_report_it(editor):
    comment = CommentFactory()
    for address in ("203.0.113.57", "198.51.100.8", "192.0.2.9"):
        report(comment, address=address)
    comment_moderate(comment=comment, action="approve", by=editor)

    for address in ("203.0.114.1", "198.51.101.1", "192.0.3.1"):
        report(comment, address=address)

    assert status_of(comment) == Comment.Status.PENDING


def test_the_service_counts_readers_the_same_way():
    comment = CommentFactory()

    for n in range(3):
        comment_report(comment=comment, reporter_key=f"session-{n}", address="203.0.113.57")

    assert status_of(comment) == Comment.Status.APPROVED
