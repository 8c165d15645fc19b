"""
A real gunicorn serving the test database, for tests that need a live server
run as in production (DEBUG off, several workers): concurrency, fuzzing,
the browser. PostgreSQL only: SQLite's test database lives in memory.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_is_up(port=6379):
    """Whether the machine's Redis answers (the queue and shared-cache tests skip otherwise)."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def database_url():
    db = connection.settings_dict
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


def wait_until_up(url, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own loopback server
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on {url} within {timeout} s")


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    static_root = tmp_path_factory.mktemp("static")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "plume.settings", "STATIC_ROOT": str(static_root)}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    return static_root


@contextmanager
def gunicorn(environment, workers=2, stderr=None):
    """Base URL of a gunicorn (`workers` workers, 4 threads each) run with these extra settings.

    Its log goes to `stderr` (a file) when given.
    """
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "plume.settings",
        "DEBUG": "0",
        "SECRET_KEY": "live-server-tests-secret-key-with-enough-length-and-variety-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "CONN_MAX_AGE": "0",
        "COMMENTS_FLOOD_SECONDS": "0",
        "COMMENTS_MIN_SUBMIT_SECONDS": "0",
        "PLUME_THROTTLE_COMMENTS": "100000/min",
        **environment,
    }
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "plume.wsgi",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", "4",
            "--worker-class", "gthread", "--timeout", "60", "--log-level", "warning",
        ],
        cwd=ROOT,
        env=env,
        stderr=stderr,
    )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base_url}/robots.txt", process)
        yield base_url
    finally:
        stop(process)


def stop(process, timeout=15):
    """Ask a server process to stop, and make it if it does not within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def skip_unless_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the live gunicorn tests run on PostgreSQL (DATABASE_URL=postgres://...)")


@pytest.fixture
def gunicorn_server(transactional_db, collected_static):
    """Base URL of a gunicorn (2 workers, 4 threads each) on the test database."""
    skip_unless_postgresql()
    with gunicorn({"DATABASE_URL": database_url(), "STATIC_ROOT": str(collected_static)}) as base_url:
        yield base_url
