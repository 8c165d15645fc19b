"""A real HTTP server on loopback that receives webhooks, answering what the test says."""

import hashlib
import hmac
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from webhooks.models import Delivery

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def verify(secret, headers, body, now=None, tolerance=300):
    """The README's receiver check: the signature matches and is less than 5 minutes old."""
    timestamp = headers["X-Plume-Timestamp"]
    signature = headers["X-Plume-Signature"]
    if abs((time.time() if now is None else now) - int(timestamp)) > tolerance:
        return False  # too old (or from the future): a replay
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"sha256={expected}", signature)


class Receiver:
    def __init__(self):
        self.requests = []  # (headers, body bytes)
        self.answers = []  # status codes to answer, in order; 200 once empty
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                code = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(code)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook?site=plume"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def events(self):
        return [headers["X-Plume-Event"] for headers, _body in self.requests]

    def of(self, event):
        return [(headers, body) for headers, body in self.requests if headers["X-Plume-Event"] == event]


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.1", verbosity=0)


def come_due():
    """The time machine: every waiting task and delivery is due now."""
    past = timezone.now() - timezone.timedelta(seconds=1)
    DBTaskResult.objects.filter(status="READY").exclude(run_after=None).update(run_after=past)
    Delivery.objects.filter(status__in=["pending", "retrying"]).update(next_attempt_at=past)


def deliver_everything():
    """Run the worker until nothing is left to do (announcements, then their deliveries)."""
    for _ in range(4):
        come_due()
        run_worker()
