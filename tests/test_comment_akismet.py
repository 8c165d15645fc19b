"""
The optional Akismet rule, against a fake Akismet started by the test on loopback (the endpoint
is a setting; the network is never used): off without a key; "true" is spam, "false" no verdict;
a slow, failing or nonsensical answer is no verdict either, within the timeout: it never blocks
a comment.
"""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from comments.models import Comment

from .comments_support import submit
from .factories import PostFactory

pytestmark = pytest.mark.django_db


class FakeAkismet:
    """An HTTP server on 127.0.0.1 answering comment-check as told, and keeping what it was sent."""

    def __init__(self):
        self.answer, self.status, self.delay = "false", 200, 0.0
        self.received = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                fake.received.append({"path": self.path, "form": parse_qs(self.rfile.read(length).decode())})
                time.sleep(fake.delay)
                body = fake.answer.encode()
                try:
                    self.send_response(fake.status)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the client gave up (the timeout test)
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/1.1/comment-check"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def akismet(settings):
    with FakeAkismet() as fake:
        settings.COMMENTS_AKISMET_API_KEY = "cle-de-test"
        settings.COMMENTS_AKISMET_ENDPOINT = fake.url
        settings.COMMENTS_AKISMET_TIMEOUT = 0.5
        yield fake


@pytest.fixture
def post():
    return PostFactory()


def test_off_by_default_nothing_is_sent(settings, post):
    with FakeAkismet() as fake:
        settings.COMMENTS_AKISMET_ENDPOINT = fake.url  # a key is what turns it on: none by default
        comment = submit(post)

    assert settings.COMMENTS_AKISMET_API_KEY == ""
    assert fake.received == []
    assert comment.moderation_rule != "akismet"


def test_a_comment_akismet_calls_spam_is_stored_as_spam_with_the_reason(akismet, post):
    akismet.answer = "true"

    comment = submit(post, body="Achetez des montres pas chères.")

    assert comment.status == Comment.Status.SPAM
    assert comment.moderation_rule == "akismet"
    assert comment.moderation_reason == "Akismet l’a pris pour du spam."
    sent = akismet.received[0]["form"]
    assert sent["api_key"] == ["cle-de-test"]
    assert sent["comment_content"] == ["Achetez des montres pas chères."]
    assert sent["comment_author_email"] == ["zoe@example.net"]
    assert sent["user_ip"] == ["203.0.113.57"]
    assert sent["comment_type"] == ["comment"]


def test_not_spam_is_no_verdict_the_next_rules_decide(akismet, post):
    akismet.answer = "false"

    comment = submit(post)

    assert len(akismet.received) == 1
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_rule == "default_status"


@pytest.mark.parametrize(
    ("answer", "status"), [("invalid", 200), ("", 500), ("true", 503), ("<html>oops</html>", 200)]
)
def test_an_error_or_an_odd_answer_is_no_verdict(akismet, post, answer, status, caplog):
    akismet.answer, akismet.status = answer, status

    comment = submit(post)

    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_rule == "default_status"
    assert "Akismet" in caplog.text


def test_a_slow_akismet_is_given_up_on_after_the_timeout(akismet, post, caplog):
    akismet.answer, akismet.delay = "true", 3

    started = time.monotonic()
    comment = submit(post)
    elapsed = time.monotonic() - started

    assert elapsed < 2  # the 0.5 s timeout, not Akismet's 3 s
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_rule == "default_status"
    assert "Akismet gave no answer" in caplog.text


def test_an_unreachable_akismet_is_no_verdict(settings, post):
    with FakeAkismet() as fake:
        url = fake.url
    settings.COMMENTS_AKISMET_API_KEY = "cle-de-test"
    settings.COMMENTS_AKISMET_ENDPOINT = url  # closed: connection refused

    comment = submit(post)

    assert comment.status == Comment.Status.PENDING


def test_an_edit_is_checked_by_akismet_too(akismet, post, settings):
    settings.COMMENTS_DEFAULT_STATUS = "approved"
    from comments.services import comment_edit
    from comments.tokens import comment_edit_token

    comment = submit(post)
    assert comment.status == Comment.Status.APPROVED
    akismet.answer = "true"

    comment_edit(comment=comment, token=comment_edit_token(comment), data={"body": "Casino en ligne !"})

    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM
    assert akismet.received[-1]["form"]["comment_content"] == ["Casino en ligne !"]
