"""
Once, end to end against a real SMTP server (aiosmtpd, started here on a free port), through
the background-work engine: the confirmation, then a reply notification whose headers carry
RFC 8058's one-click unsubscribe, and that POST unsubscribes.
"""

import re
from email import message_from_bytes
from email.policy import default as email_policy

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from comments.models import Comment, Subscription
from comments.services import comment_moderate
from tests.factories import CommentFactory, PostFactory, UserFactory
from tests.servers import free_port

from .comments_support import submit
from .test_background_work import Sink

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    port = free_port()
    settings.EMAIL_BACKEND = "core.mail.TaskEmailBackend"  # tasks run at once (test settings)
    settings.PLUME_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "Plume <noreply@plume.test>"
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield sink
    controller.stop()


def received(sink, address):
    return [
        message_from_bytes(content, policy=email_policy)
        for _sender, recipients, content in sink.received
        if recipients == [address]
    ]


def test_a_reply_notification_reaches_a_real_smtp_server_with_one_click_unsubscribe(
    smtp, django_capture_on_commit_callbacks
):
    post = PostFactory()
    moderator = UserFactory(is_superuser=True, email="")
    with django_capture_on_commit_callbacks(execute=True):
        comment = submit(post, notify=True)
    [confirmation] = received(smtp, "zoe@example.net")
    confirm = re.search(r"https?://[^/\s]+(/comments/subscriptions/confirm/\S+)", confirmation.get_content())
    assert Client().post(confirm.group(1), {"scope": "replies"}).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=comment, action="approve", by=moderator)
        reply = CommentFactory(
            post=post, parent=comment, status=Comment.Status.PENDING, body="Bonne question !"
        )
        comment_moderate(comment=reply, action="approve", by=moderator)

    published, notification = received(smtp, "zoe@example.net")[1:]
    assert "Bonne question !" in notification.get_content()
    # A long header may be folded onto its own line: the leading white space is the fold's.
    unsubscribe = re.fullmatch(r"<(https?://[^>]+)>", notification["List-Unsubscribe"].strip()).group(1)
    assert notification["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert published["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in notification.get_content()  # the visible link, the same URL
    assert notification["Auto-Submitted"] == "auto-generated"

    path = re.sub(r"^https?://[^/]+", "", unsubscribe)
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()
