"""
Background work on a real engine: e-mail is enqueued on the database backend of
django-tasks and sent by `manage.py db_worker`; a dead SMTP server never slows
or fails a request, and the message goes out once the server is back.
"""

import os
import socket
import subprocess
import sys
import time
from email import message_from_bytes
from email.policy import default as email_policy

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from authors import roles
from core.mail import deserialize, send_email, serialize
from tests.factories import PostFactory, UserFactory
from tests.servers import ROOT, free_port, redis_is_up

from .comments_support import comment_data

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A database of the machine's Redis that the other tests leave alone.
RQ_REDIS_URL = "redis://127.0.0.1:6379/11"


@pytest.fixture
def queued_mail(settings):
    """E-mail through the queue on the database backend, delivered to mail.outbox by the worker."""
    settings.TASKS = DATABASE_TASKS
    settings.EMAIL_BACKEND = "core.mail.TaskEmailBackend"
    settings.PLUME_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.1", verbosity=0)


class Sink:
    """A real SMTP server (aiosmtpd) that keeps what it receives."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.received.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 Message accepted"


class Blackhole:
    """A port that accepts connections and never says a word: the worst SMTP server there is."""

    def __init__(self, port):
        self.socket = socket.socket()
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", port))
        self.socket.listen(16)

    def close(self):
        self.socket.close()


def test_send_mail_only_enqueues_and_the_worker_sends_it(queued_mail):
    sent = mail.send_mail("Bonjour", "Corps du message", None, ["zoe@example.net"])
    assert sent == 1
    assert mail.outbox == []
    assert DBTaskResult.objects.ready().count() == 1

    run_worker()

    assert [message.subject for message in mail.outbox] == ["Bonjour"]
    assert mail.outbox[0].to == ["zoe@example.net"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_message_survives_serialization_with_its_headers_alternatives_and_attachments():
    message = mail.EmailMultiAlternatives(
        "Sujet accentué",
        "Texte",
        "Plume <noreply@example.fr>",
        ["a@example.net"],
        cc=["b@example.net"],
        bcc=["c@example.net"],
        reply_to=["d@example.net"],
        headers={"X-Plume": "1"},
    )
    message.attach_alternative("<p>Texte</p>", "text/html")
    message.attach("notes.txt", "des notes", "text/plain")
    message.attach("image.png", b"\x89PNG\r\n", "image/png")

    data = serialize(message)
    copy = deserialize(data)

    assert (copy.subject, copy.body, copy.from_email) == (
        "Sujet accentué",
        "Texte",
        "Plume <noreply@example.fr>",
    )
    assert copy.recipients() == ["a@example.net", "b@example.net", "c@example.net"]
    assert copy.reply_to == ["d@example.net"]
    assert copy.alternatives == [("<p>Texte</p>", "text/html")]
    assert [tuple(attachment) for attachment in copy.attachments] == [
        ("notes.txt", "des notes", "text/plain"),
        ("image.png", b"\x89PNG\r\n", "image/png"),
    ]
    # Date and Message-ID are fixed when enqueued, so every retry sends the same message.
    assert copy.message()["Message-ID"] == data["headers"]["Message-ID"]
    assert copy.message()["X-Plume"] == "1"


def test_a_failed_send_is_retried_later_and_given_up_after_the_last_attempt(queued_mail, caplog):
    queued_mail.PLUME_EMAIL_DELIVERY_BACKEND = "tests.test_background_work.BrokenBackend"
    queued_mail.PLUME_EMAIL_MAX_ATTEMPTS = 3
    queued_mail.PLUME_EMAIL_RETRY_SECONDS = 0
    mail.send_mail("Bonjour", "Corps", None, ["zoe@example.net"])

    run_worker()

    attempts = DBTaskResult.objects.order_by("enqueued_at")
    assert [result.args_kwargs["kwargs"]["attempt"] for result in attempts] == [1, 2, 3]
    assert [result.status for result in attempts] == ["SUCCESSFUL", "SUCCESSFUL", "FAILED"]
    assert "attempt 1 of 3" in caplog.text
    assert "not sent after 3 attempt(s), giving up" in caplog.text


def test_retries_back_off_exponentially(queued_mail):
    queued_mail.PLUME_EMAIL_DELIVERY_BACKEND = "tests.test_background_work.BrokenBackend"
    queued_mail.PLUME_EMAIL_RETRY_SECONDS = 60
    message = serialize(mail.EmailMessage("Bonjour", "Corps", None, ["zoe@example.net"]))

    send_email.call(message=message, attempt=3)

    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs["kwargs"]["attempt"] == 4
    delay = (retry.run_after - retry.enqueued_at).total_seconds()
    assert 240 - 5 < delay <= 240


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


def test_a_dead_smtp_server_neither_slows_nor_fails_a_comment_and_the_mail_goes_out_later(
    client, settings, caplog
):
    port = free_port()
    settings.TASKS = DATABASE_TASKS
    settings.EMAIL_BACKEND = "core.mail.TaskEmailBackend"
    settings.PLUME_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 3
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "Plume <noreply@plume.test>"
    settings.PLUME_EMAIL_RETRY_SECONDS = 1
    # Written by an author (the role): authors are told of the comments they may moderate. The
    # role groups are made by a data migration, which a transactional test's flush removed.
    roles.sync_role_groups()
    post = PostFactory(author__user=UserFactory(email="autrice@example.org", role=roles.AUTHOR))

    dead = Blackhole(port)
    try:
        started = time.monotonic()
        data = {key: value for key, value in comment_data(post).items() if value is not None}
        response = client.post(reverse("comments:post", args=[post.pk]), data, REMOTE_ADDR="203.0.113.57")
        elapsed = time.monotonic() - started
        assert response.status_code == 302
        # Sending synchronously would have waited EMAIL_TIMEOUT (3 s) on the silent server.
        assert elapsed < 2.5

        run_worker()  # the first attempt times out and is rescheduled
    finally:
        dead.close()
    assert "attempt 1 of" in caplog.text
    assert DBTaskResult.objects.ready().count() == 0  # the retry is not due yet

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        time.sleep(1.1)
        run_worker()
    finally:
        controller.stop()

    assert len(sink.received) == 1
    mail_from, recipients, content = sink.received[0]
    assert (mail_from, recipients) == ("noreply@plume.test", ["autrice@example.org"])
    received = message_from_bytes(content, policy=email_policy)
    assert post.title in received["Subject"]
    assert received["From"] == "Plume <noreply@plume.test>"
    assert received["To"] == "autrice@example.org"
    assert received["Message-ID"] and received["Date"]
    assert "Très bel article, merci !" in received.get_body().get_content()


@pytest.mark.skipif(not redis_is_up(), reason="needs Redis on 127.0.0.1:6379")
def test_with_tasks_url_on_redis_a_separate_rq_worker_sends_the_mail(settings):
    import django_rq

    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": RQ_REDIS_URL}}
    settings.EMAIL_BACKEND = "core.mail.TaskEmailBackend"
    django_rq.get_queue("default").empty()
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        mail.send_mail("Par Redis", "Corps", "Plume <noreply@plume.test>", ["zoe@example.net"])
        assert sink.received == []
        # The production command, in its own process, configured by the environment only.
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "plume.settings", "TASKS_URL": RQ_REDIS_URL}
        env["EMAIL_URL"] = f"smtp://127.0.0.1:{port}"
        worker = subprocess.run(
            [sys.executable, "manage.py", "rqworker", "--burst", "--job-class", "django_tasks_rq.Job"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert worker.returncode == 0, worker.stderr
    finally:
        controller.stop()
    assert [(mail_from, recipients) for mail_from, recipients, _ in sink.received] == [
        ("noreply@plume.test", ["zoe@example.net"])
    ]
    assert b"Subject: Par Redis" in sink.received[0][2]
