"""
The processes a load run starts: gunicorn as in production, wrk against it, and the
project's own Python commands (manage.py, bench.probe) in the environment under test.
"""

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WRK = BENCH / "wrk"
BASELINE_PATH = "/bench/baseline/"
# A request slower than this at warm-up would give a meaningless load run: reported as failed.
WARMUP_TIMEOUT = 15


class BenchError(Exception):
    pass


def exit_status(run, args):
    """What `python -m bench.…` returns: run's status, or 1 with the message of a BenchError."""
    try:
        return run(args)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def server_env(database_url):
    """The environment of a production deployment, plus what the load test needs."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTHON"))}
    return env | {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "plume.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        # Plain HTTP on loopback: production sits behind a TLS proxy that wrk does not have.
        "SECURE_SSL_REDIRECT": "0",
        "PLUME_BENCH": "1",
        # One client sends everything: the per-IP flood limits and throttles would refuse it.
        "COMMENTS_FLOOD_SECONDS": "0",
        "COMMENTS_MIN_SUBMIT_SECONDS": "0",
        "PLUME_THROTTLE_ANON": "1000000/min",
        "PLUME_THROTTLE_USER": "1000000/min",
        "PLUME_THROTTLE_COMMENTS": "1000000/min",
        "LOG_LEVEL": "ERROR",
    }


class HttpServer:
    """A server on loopback that the harness can ask one request of, or point wrk at."""

    port = None

    def url(self, path):
        return urlunsplit(("http", f"127.0.0.1:{self.port}", *urlsplit(path)[2:4], ""))

    def request(self, method, path, body=None, *, timeout=30):
        """(status, body) of one request, or (None, error) when the server does not answer."""
        status, _, body = self.fetch(method, path, body, timeout=timeout)
        return status, body

    def fetch(self, method, path, body=None, *, timeout=30):
        """(status, headers, body) of one request, or (None, {}, error) when the server does not answer."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Accept": "application/json, text/html", "Accept-Language": "fr"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            connection.request(
                method, path, body=body.encode() if isinstance(body, str) else body, headers=headers
            )
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        except OSError as error:
            return None, {}, str(error)
        finally:
            connection.close()


class Gunicorn(HttpServer):
    """gunicorn as the README's production section runs it, on loopback, for one cache configuration."""

    def __init__(self, env, *, port, workers):
        self.env, self.port, self.workers = env, port, workers
        self.process = None
        self.log = None

    def __enter__(self):
        self.log = tempfile.NamedTemporaryFile(
            "w+", prefix="plume-bench-gunicorn-", suffix=".log", delete=False
        )
        command = [
            sys.executable, "-m", "gunicorn", "plume.wsgi",
            "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}",
        ]  # fmt: skip
        self.process = subprocess.Popen(  # noqa: S603 - our own fixed command line
            command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited ({self.process.returncode}): {self._log_tail()}")
            status, _ = self.request("GET", BASELINE_PATH, timeout=2)
            if status is not None and len(self.worker_pids()) >= self.workers:
                return self
            time.sleep(0.3)
        self.__exit__(None, None, None)
        raise BenchError(f"gunicorn did not answer within 60 s: {self._log_tail()}")

    def __exit__(self, *exc):
        stop(self.process, timeout=30)
        if self.log:
            self.log.close()
            os.unlink(self.log.name)

    def _log_tail(self):
        self.log.flush()
        return Path(self.log.name).read_text()[-1500:]

    def worker_pids(self):
        return child_pids(self.process.pid)

    def peak_rss_mb(self):
        return peak_rss_mb(self.worker_pids())


def stop(process, *, timeout):
    """Ask a server we started to stop (SIGTERM), and make it if it has not within `timeout` s."""
    if process and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_pids(pid):
    children = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(child) for child in children.read_text().split()]
    except OSError:
        return []


def peak_rss_mb(pids):
    """The highest VmHWM (peak resident memory) among these processes, in MB."""
    peaks = []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        if match:
            peaks.append(int(match.group(1)) / 1024)
    return max(peaks) if peaks else None


def wrk(args, server, path, script, script_args, *, duration, timeout=10, headers=()):
    """
    One wrk run (args.threads, args.connections) against server; the JSON of
    bench/wrk/report.lua. An answer slower than `timeout` seconds counts as an error.
    `headers` ("Name: value" each) are added to every request.
    """
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as combined:
        combined.write((WRK / script).read_text() + "\n" + (WRK / "report.lua").read_text())
    try:
        command = [
            "wrk", "--threads", str(args.threads), "--connections", str(args.connections),
            "--duration", f"{duration}s", "--timeout", f"{timeout}s", "--script", combined.name,
            *(argument for header in headers for argument in ("--header", header)),
            server.url(path), "--", *script_args,
        ]  # fmt: skip
        completed = subprocess.run(  # noqa: S603 - our own fixed command line
            command, capture_output=True, text=True, timeout=duration + timeout + 60, check=False
        )
    finally:
        os.unlink(combined.name)
    for line in completed.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON ") :])
    raise BenchError(f"wrk gave no result for {path}: {completed.stdout[-500:]} {completed.stderr[-500:]}")


def warmup_problem(status, body):
    """(status, note) when the warm-up answer means the scenario cannot be measured, else None."""
    if status is None:
        return ("failed", f"no answer within {WARMUP_TIMEOUT} s at warm-up")
    if status in (404, 405):
        return ("not available", f"HTTP {status} at warm-up")
    if status >= 300:
        return ("failed", f"HTTP {status} at warm-up: {snippet(body)}")
    return None


def snippet(body):
    """The visible text at the start of an answer, for a note."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body or "")
    text = re.sub(r"<(title|style|script)[^>]*>.*?</\1>", " ", text, flags=re.DOTALL | re.IGNORECASE)
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())[:160]


def python(env, *args):
    completed = subprocess.run(  # noqa: S603 - our own Python, our own modules
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise BenchError(f"`python {' '.join(args)}` failed: {completed.stderr.strip()[-1500:]}")
    return completed.stdout


def manage(env, *args):
    return python(env, "manage.py", *args)


def probe(env, command, *args):
    # libpq reads PGOPTIONS: a query slower than the warm-up's patience is cut short, and
    # its request measured as the failure it is (gunicorn gives up on it too).
    env = env | {"PGOPTIONS": f"-c statement_timeout={WARMUP_TIMEOUT * 1000}"}
    return json.loads(python(env, "-m", "bench.probe", command, *args).strip().splitlines()[-1])


def which(name):
    return any(
        os.access(Path(directory) / name, os.X_OK) for directory in os.environ.get("PATH", "").split(":")
    )


def version(command):
    """The first line a program prints about its version, or "unknown"."""
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)  # noqa: S603
    except OSError:
        return "unknown"
    lines = (completed.stdout or completed.stderr).strip().splitlines()
    return lines[0] if lines else "unknown"
