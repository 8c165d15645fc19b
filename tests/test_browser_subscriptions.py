"""
Real browser (Chromium, production-like gunicorn on PostgreSQL, e-mail through the task engine
to a real SMTP server started here): a reader ticks "Me prévenir des réponses", confirms from
the e-mail, is mailed a reply, sees "mes abonnements" and unsubscribes in one click.
"""

import re
import time
from email import message_from_bytes
from email.policy import default as email_policy

import pytest
from aiosmtpd.controller import Controller

from comments.models import Comment, Subscription
from comments.services import comment_moderate

from .factories import CommentFactory, PostFactory, UserFactory
from .servers import collected_static, database_url, free_port, gunicorn  # noqa: F401 - fixture
from .test_background_work import Sink
from .test_browser import in_browser, pytestmark  # noqa: F401 - the same skips and database

URL_RE = re.compile(r"https?://[^/\s]+(/\S+)")


@pytest.fixture
def sink():
    port = free_port()
    received = Sink()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    received.port = port
    yield received
    controller.stop()


@pytest.fixture
def site(transactional_db, collected_static, sink):  # noqa: F811
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the live gunicorn tests run on PostgreSQL (DATABASE_URL=postgres://...)")
    environment = {
        "DATABASE_URL": database_url(),
        "STATIC_ROOT": str(collected_static),
        "TASKS_URL": "immediate://",  # the worker's job done at once, so the test needs no worker
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "DEFAULT_FROM_EMAIL": "Plume <noreply@plume.test>",
    }
    with gunicorn(environment) as base_url:
        yield base_url


def mails_to(sink, address, count, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [
            message_from_bytes(content, policy=email_policy)
            for _sender, recipients, content in sink.received
            if recipients == [address]
        ]
        if len(found) >= count:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{count} e-mail(s) to {address} expected, {len(found)} received")


def path(message, fragment):
    return next(p for p in URL_RE.findall(message.get_content()) if fragment in p)


def comment_with_notify(page, base_url, post_url):
    from playwright.sync_api import expect

    page.goto(base_url + post_url)
    form = page.locator("#commentform")
    notify = form.locator("#id_notify")
    expect(notify).not_to_be_checked()
    form.locator("#id_author_name").fill("Zoé Lectrice")
    form.locator("#id_author_email").fill("zoe@example.net")
    form.locator("#id_body").fill("Quelle source pour le deuxième graphique ?")
    notify.check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".comment-messages")).to_contain_text("Nous vous avons envoyé un e-mail")


def confirm(page, base_url, confirm_path):
    from playwright.sync_api import expect

    page.goto(base_url + confirm_path)
    expect(page.locator("h1")).to_have_text("Confirmez votre abonnement")
    page.locator("button[type=submit]", has_text="Confirmer").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("Abonnement confirmé")


def subscriptions_then_unsubscribe(page, base_url, list_path, unsubscribe_path, title):
    from playwright.sync_api import expect

    page.goto(base_url + list_path)
    expect(page.locator(".subscription-list li")).to_have_count(1)
    expect(page.locator(".subscription-list li")).to_contain_text(title)
    page.goto(base_url + unsubscribe_path)
    page.locator("article button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("Vous êtes désabonné·e")
    page.goto(base_url + list_path)
    expect(page.locator(".subscription-list li")).to_have_count(0)


def test_a_reader_subscribes_confirms_gets_a_reply_and_unsubscribes_in_a_real_browser(site, sink, settings):
    post = PostFactory(title="Les petits modèles")
    in_browser(lambda page, base: comment_with_notify(page, base, post.get_absolute_url()), site)
    [confirmation] = mails_to(sink, "zoe@example.net", 1)
    comment = Comment.objects.get(post=post)
    assert Subscription.objects.get().confirmed_at is None

    _result, violations = in_browser(
        lambda page, base: confirm(page, base, path(confirmation, "/subscriptions/confirm/")), site
    )
    assert violations == []
    assert Subscription.objects.get().confirmed_at is not None

    # A moderator approves her comment and a reply, here, through the same engine and server.
    settings.EMAIL_BACKEND = "core.mail.TaskEmailBackend"
    settings.PLUME_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    moderator = UserFactory(is_superuser=True, email="")
    comment_moderate(comment=comment, action="approve", by=moderator)
    reply = CommentFactory(
        post=post, parent=comment, status=Comment.Status.PENDING, body="Le rapport de l’OCDE."
    )
    comment_moderate(comment=reply, action="approve", by=moderator)
    notification = mails_to(sink, "zoe@example.net", 3)[-1]
    assert "Le rapport de l’OCDE." in notification.get_content()
    assert notification["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    _result, violations = in_browser(
        lambda page, base: subscriptions_then_unsubscribe(
            page,
            base,
            path(notification, "/comments/subscriptions/"),
            path(notification, "/comments/unsubscribe/"),
            post.title,
        ),
        site,
    )
    assert violations == []
    assert not Subscription.objects.exists()
