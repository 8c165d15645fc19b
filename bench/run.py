"""
Load runs: how fast Plume serves readers and frontends, as ratios to a baseline.

    DATABASE_URL=postgres://…/plume_bench python -m bench.run [--duration 10] [--connections 2]

For each cache configuration (cold: no cache; warm: local memory, then Redis) it starts
gunicorn as in production (DEBUG off, collected static files, `gunicorn plume.wsgi
--workers 2`), measures the baseline endpoint (fixed bytes through the same stack) and
then each scenario with wrk on loopback, one after the other. Every figure is reported as
a ratio to the baseline of the same gunicorn, because only ratios are stable on a shared,
noisy machine. SQL queries per request are counted in-process (bench/probe.py), not under
load; peak RSS is the VmHWM of the gunicorn workers after each scenario. Then the
WordPress importer runs on the theme unit test export and on a generated 10,000-post
export, each into a fresh database.

A scenario whose URL answers 404 (or 405) at warm-up is reported "not available": the
harness measures whatever the code base offers. Results: a table on stdout,
bench/RESULTS.md and bench/results.json.
"""

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WRK = BENCH / "wrk"
THEME_UNIT_TEST = ROOT.parent / "shared" / "data" / "wordpress-theme-unit-test.xml"
NOTES_MARKER = "<!-- Notes below this line are kept when bench/run.py rewrites this file. -->"

CACHE_CONFIGS = {
    "cold": "dummy://",
    "locmem": "locmem://",
    "redis": "redis://127.0.0.1:6379/5",
}

# Targets from issue 6: (what, cache configurations, scenarios, minimum ratio to baseline).
RATIO_TARGETS = [
    ("Cached reads ≥ 80% of baseline", ("locmem", "redis"),
     ("home", "post", "api-list", "api-detail", "api-comments", "api-search"), 0.80),
    ("Uncached API detail and post page ≥ 35%", ("cold",), ("api-detail", "post"), 0.35),
    ("Comment tree and search ≥ 20%", ("cold",), ("api-comments", "api-search"), 0.20),
    ("Comment creation ≥ 20%", ("cold", "locmem", "redis"), ("api-comment-create",), 0.20),
]  # fmt: skip
# A request slower than this at warm-up would give a meaningless load run: reported as failed.
WARMUP_TIMEOUT = 15
MAX_QUERIES = 5
MAX_RSS_MB = 150
MIN_IMPORT_POSTS_PER_S = 500


@dataclass
class Scenario:
    key: str
    label: str
    path: str  # formatted with the data set's info (slugs, search query)
    method: str = "GET"


SCENARIOS = [
    Scenario("home", "Home page", "/"),
    Scenario("post", "Post page", "/{sample_post_slug}/"),
    Scenario("api-list", "API post list", "/api/v1/posts/"),
    Scenario("api-detail", "API post detail", "/api/v1/posts/{sample_post_slug}/"),
    Scenario("api-comments", "API comment tree (500 comments)", "/api/v1/posts/{big_post_slug}/comments/"),
    Scenario("api-search", "API search (French query)", "/api/v1/posts/?search={search_query}"),
    Scenario(
        "api-comment-create", "API comment creation", "/api/v1/posts/{sample_post_slug}/comments/", "POST"
    ),
]
BASELINE = Scenario("baseline", "Baseline (fixed bytes)", "/bench/baseline/")


@dataclass
class Row:
    scenario: str
    label: str
    cache: str
    path: str
    status: str = "ok"  # ok, not available, failed
    note: str = ""
    requests_per_s: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    requests: int | None = None
    non_2xx: int | None = None
    queries: int | None = None
    ratio: float | None = None
    baseline_rps: float | None = None  # what the ratio divides by
    peak_rss_mb: float | None = None
    wrk: dict = field(default_factory=dict)


class BenchError(Exception):
    pass


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per scenario (10)")
    parser.add_argument(
        "--baseline-duration", type=int, default=3, help="seconds of baseline after each scenario (3)"
    )
    parser.add_argument("--warmup", type=int, default=1, help="seconds of unmeasured load before each (1)")
    parser.add_argument("--connections", type=int, default=2, help="wrk connections (2, one per worker)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (1: wrk needs a core too)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--caches", default="cold,locmem,redis", help="cache configurations to run")
    parser.add_argument("--scenarios", default="", help="comma-separated scenario keys (default: all)")
    parser.add_argument("--skip-import", action="store_true", help="leave out the import benchmark")
    parser.add_argument("--import-posts", type=int, default=10_000, help="posts in the generated WXR")
    parser.add_argument("--import-timeout", type=int, default=900, help="seconds before an import is stopped")
    parser.add_argument("--output", default=str(BENCH), help="where RESULTS.md and results.json go")
    args = parser.parse_args(argv)
    try:
        return run(args)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def run(args):
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise BenchError("the benchmark runs against PostgreSQL: set DATABASE_URL=postgres://…/plume_bench")
    if not _which("wrk"):
        raise BenchError("wrk is not installed (apt-get install -y wrk; `make bench` does it)")
    caches = [name.strip() for name in args.caches.split(",") if name.strip()]
    unknown = set(caches) - set(CACHE_CONFIGS)
    if unknown:
        raise BenchError(f"unknown cache configuration(s): {', '.join(sorted(unknown))}")
    scenarios = _chosen_scenarios(args.scenarios)

    base_env = _server_env(database_url)
    started = datetime.now(UTC)
    info = _probe(base_env | {"CACHE_URL": "locmem://"}, "info")
    if not info["dataset"]:
        raise BenchError("no benchmark data set in this database: run `python -m bench.generate` first")
    print(f"Data set: {info['params']['posts']} posts, {info['params']['comments']} comments.")
    _manage(base_env, "collectstatic", "--noinput")

    rows = []
    for cache in caches:
        env = base_env | {"CACHE_URL": CACHE_CONFIGS[cache]}
        if cache == "redis" and not _redis_flush(CACHE_CONFIGS[cache]):
            for scenario in [BASELINE, *scenarios]:
                rows.append(_unavailable(scenario, cache, "", "Redis not reachable"))
            continue
        rows.extend(_run_cache_config(args, cache, env, scenarios, info["dataset"]))

    imports = [] if args.skip_import else _run_imports(args, base_env, info)
    machine = describe_machine(database_url)
    settings = {
        "duration_s": args.duration, "warmup_s": args.warmup, "baseline_duration_s": args.baseline_duration,
        "connections": args.connections,
        "threads": args.threads, "workers": args.workers,
    }  # fmt: skip
    results = {
        "date": started.isoformat(timespec="seconds"),
        "machine": machine,
        "settings": settings,
        "dataset": info["params"],
        "rows": [asdict(row) for row in rows],
        "imports": imports,
        "targets": evaluate_targets(rows, imports),
    }
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    (output / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    markdown = render_markdown(results)
    results_md = output / "RESULTS.md"
    notes = ""
    if results_md.exists() and NOTES_MARKER in results_md.read_text():
        notes = results_md.read_text().split(NOTES_MARKER, 1)[1]
    results_md.write_text(markdown + "\n" + NOTES_MARKER + (notes or "\n"))
    print()
    print(markdown)
    print(f"Written: {results_md} and {output / 'results.json'}")
    return 0


def _chosen_scenarios(keys):
    if not keys:
        return SCENARIOS
    wanted = [key.strip() for key in keys.split(",") if key.strip()]
    known = {scenario.key: scenario for scenario in SCENARIOS}
    unknown = [key for key in wanted if key not in known]
    if unknown:
        raise BenchError(f"unknown scenario(s): {', '.join(unknown)}; known: {', '.join(known)}")
    return [known[key] for key in wanted]


def _server_env(database_url):
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


def _run_cache_config(args, cache, env, scenarios, dataset):
    print(f"\n== cache: {cache} ({env['CACHE_URL']})")
    paths = {scenario.key: _format_path(scenario.path, dataset) for scenario in [BASELINE, *scenarios]}
    first_comment_id = _probe(env, "max-comment-id")
    specs = [f"{scenario.method}:{paths[scenario.key]}" for scenario in [BASELINE, *scenarios]]
    counted = _probe(env, "queries", *specs)
    rows = []
    try:
        with Gunicorn(env, port=args.port, workers=args.workers) as server:
            baseline_before = None
            for scenario in [BASELINE, *scenarios]:
                path = paths[scenario.key]
                row = _run_scenario(args, server, scenario, cache, path)
                spec = counted.get(f"{scenario.method}:{path}")
                if row.status == "ok" and spec:
                    # Cold: what every request costs; warm: what a cache hit costs.
                    row.queries = spec["first" if cache == "cold" else "repeat"]["queries"]
                if scenario is BASELINE:
                    baseline_before = row.requests_per_s if row.status == "ok" else None
                elif baseline_before and row.status == "ok":
                    # The machine is shared: its speed drifts within a run. The baseline
                    # just before and just after the scenario bracket it.
                    baseline_after = _baseline_rps(args, server)
                    row.baseline_rps = (baseline_before + baseline_after) / 2
                    row.ratio = row.requests_per_s / row.baseline_rps
                    baseline_before = baseline_after
                rows.append(row)
                print(_row_line(row))
    finally:
        deleted = _probe(env, "delete-comments-after", str(first_comment_id))
        if deleted:
            print(f"   (removed {deleted} comments created by the benchmark)")
    return rows


def _baseline_rps(args, server):
    result = _wrk(args, server, BASELINE.path, "get.lua", [], duration=args.baseline_duration)
    return result["requests"] / (result["duration_us"] / 1_000_000)


def _format_path(template, dataset):
    values = {key: quote(str(value), safe="") for key, value in dataset.items() if value is not None}
    return template.format(**values)


def _run_scenario(args, server, scenario, cache, path):
    row = Row(scenario=scenario.key, label=scenario.label, cache=cache, path=path)
    if scenario.method == "POST":
        script_args, problem = _prepare_comment_creation(server, path)
        script = "comment.lua"
    else:
        status, body = server.request("GET", path, timeout=WARMUP_TIMEOUT)
        script_args, problem = [], _problem(status, body)
        script = "get.lua"
    if problem:
        row.status, row.note = problem
        if "no answer" in row.note:
            # The worker gave up, PostgreSQL did not: stop the query before the next scenario.
            _cancel_queries(server.env["DATABASE_URL"])
        return row
    if args.warmup:
        _wrk(args, server, path, script, script_args, duration=args.warmup)
    result = _wrk(args, server, path, script, script_args, duration=args.duration)
    seconds = result["duration_us"] / 1_000_000
    row.wrk = result
    if not result["requests"]:
        row.status, row.note = "failed", f"no request completed in {args.duration} s"
        _cancel_queries(server.env["DATABASE_URL"])
        return row
    row.requests = result["requests"]
    row.non_2xx = result["errors_status"]
    if scenario.method == "POST":
        # A comment created is the unit: with a fresh token per comment, a token GET
        # precedes each POST and both count in the latency figures.
        row.requests_per_s = result["created"] / seconds
        row.note = "token reused" if script_args[2] else "one token GET per comment"
    else:
        row.requests_per_s = result["requests"] / seconds
    row.p50_ms = result["p50_us"] / 1000
    row.p99_ms = result["p99_us"] / 1000
    errors = sum(result[key] for key in ("errors_connect", "errors_read", "errors_write", "errors_timeout"))
    if result["errors_status"] or errors:
        row.note = (row.note + "; " if row.note else "") + (
            f"{result['errors_status']} non-2xx/3xx, {errors} socket errors"
        )
    row.peak_rss_mb = server.peak_rss_mb()
    return row


def _problem(status, body):
    if status is None:
        return ("failed", f"no answer within {WARMUP_TIMEOUT} s at warm-up")
    if status in (404, 405):
        return ("not available", f"HTTP {status} at warm-up")
    if status >= 300:
        return ("failed", f"HTTP {status} at warm-up: {_snippet(body)}")
    return None


def _prepare_comment_creation(server, path):
    """Check comment creation works, and whether one token serves several comments."""
    from bench.probe import comment_fields

    token_path = path.rstrip("/") + "/token/"
    status, body = server.request("GET", token_path, timeout=WARMUP_TIMEOUT)
    problem = _problem(status, body)
    if problem:
        return [], (problem[0], f"token: {problem[1]}")
    try:
        token = json.loads(body)
    except ValueError:
        token = None
    if not isinstance(token, dict):
        return [], ("failed", f"token answer is not a JSON object: {_snippet(body)}")
    answers = []
    for attempt in range(2):
        payload = {**token, **comment_fields(f"warmup-{os.getpid()}-{attempt}")}
        status, body = server.request("POST", path, json.dumps(payload), timeout=WARMUP_TIMEOUT)
        answers.append(status)
        if attempt == 0:
            problem = _problem(status, body)
            if problem:
                return [], (problem[0], f"POST: {problem[1]}")
    prefix = json.dumps(token, ensure_ascii=False)[:-1] if answers[1] in (201, 202) else ""
    return [token_path, path, prefix], None


def _snippet(body):
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body or "")
    text = re.sub(r"<(title|style|script)[^>]*>.*?</\1>", " ", text, flags=re.DOTALL | re.IGNORECASE)
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())[:160]


def _wrk(args, server, path, script, script_args, *, duration):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as combined:
        combined.write((WRK / script).read_text() + "\n" + (WRK / "report.lua").read_text())
    try:
        command = [
            "wrk", "--threads", str(args.threads), "--connections", str(args.connections),
            "--duration", f"{duration}s", "--timeout", "10s", "--script", combined.name,
            server.url(path), "--", *script_args,
        ]  # fmt: skip
        completed = subprocess.run(  # noqa: S603 - our own fixed command line
            command, capture_output=True, text=True, timeout=duration + 60, check=False
        )
    finally:
        os.unlink(combined.name)
    for line in completed.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON ") :])
    raise BenchError(f"wrk gave no result for {path}: {completed.stdout[-500:]} {completed.stderr[-500:]}")


def _unavailable(scenario, cache, path, note):
    return Row(
        scenario=scenario.key, label=scenario.label, cache=cache, path=path, status="not available", note=note
    )


class Gunicorn:
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
            status, _ = self.request("GET", BASELINE.path, timeout=2)
            if status is not None and len(self.worker_pids()) >= self.workers:
                return self
            time.sleep(0.3)
        self.__exit__(None, None, None)
        raise BenchError(f"gunicorn did not answer within 60 s: {self._log_tail()}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log:
            self.log.close()
            os.unlink(self.log.name)

    def _log_tail(self):
        self.log.flush()
        return Path(self.log.name).read_text()[-1500:]

    def url(self, path):
        return urlunsplit(("http", f"127.0.0.1:{self.port}", *urlsplit(path)[2:4], ""))

    def request(self, method, path, body=None, *, timeout=30):
        """(status, body) of one request, or (None, error) when the server does not answer."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Accept": "application/json, text/html", "Accept-Language": "fr"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            connection.request(
                method, path, body=body.encode() if isinstance(body, str) else body, headers=headers
            )
            response = connection.getresponse()
            return response.status, response.read()
        except OSError as error:
            return None, str(error)
        finally:
            connection.close()

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def peak_rss_mb(self):
        """The highest VmHWM (peak resident memory) among the workers, in MB."""
        peaks = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
            if match:
                peaks.append(int(match.group(1)) / 1024)
        return max(peaks) if peaks else None


def _run_imports(args, base_env, info):
    """The WordPress importer on two exports, each into a fresh copy of a migrated database."""
    files = [
        ("WordPress theme unit test", THEME_UNIT_TEST),
        (f"Generated WXR, {args.import_posts} posts", None),
    ]
    if not info["import_command"]:
        return [
            {"file": label, "status": "not available", "note": "no import_wordpress command"}
            for label, _ in files
        ]
    print("\n== import")
    database_url = base_env["DATABASE_URL"]
    template_url = _with_database(database_url, _database_name(database_url) + "_import_template")
    target_url = _with_database(database_url, _database_name(database_url) + "_import")
    _create_database(template_url)
    _manage(base_env | {"DATABASE_URL": template_url}, "migrate", "--noinput")
    results = []
    # What every run of the command pays before reading the file: Python, Django, the command.
    started = time.monotonic()
    _probe(base_env | {"DATABASE_URL": template_url}, "startup")
    startup = time.monotonic() - started
    with tempfile.TemporaryDirectory(prefix="plume-bench-wxr-") as scratch:
        for label, path in files:
            if path is None:
                path = Path(scratch) / "generated.xml"
                _python(base_env, "-m", "bench.wxr", str(path), "--posts", str(args.import_posts))
            result = {"file": label, "path": str(path)}
            if not path.exists():
                results.append(result | {"status": "not available", "note": f"{path} is missing"})
                continue
            _create_database(target_url, template=template_url)
            env = base_env | {"DATABASE_URL": target_url, "CACHE_URL": "locmem://"}
            result |= _timed_import(env, path, timeout=args.import_timeout)
            if result["status"] == "ok":
                counts = _probe(env, "count-posts")
                result["posts"] = counts["posts"]
                result["comments"] = counts["comments"]
                result["posts_per_s"] = counts["posts"] / result["seconds"]
                result["startup_seconds"] = startup
                result["posts_per_s_net"] = counts["posts"] / max(result["seconds"] - startup, 0.001)
            results.append(result)
            print(_import_line(result))
    _drop_database(target_url)
    return results


def _timed_import(env, path, *, timeout):
    command = [sys.executable, "manage.py", "import_wordpress", str(path)]
    with tempfile.TemporaryFile("w+") as output:
        started = time.monotonic()
        process = subprocess.Popen(  # noqa: S603 - our own fixed command line
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        timed_out = False
        while True:
            # wait4 rather than wait: it gives the child's peak memory too.
            pid, wait_status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout and not timed_out:
                timed_out = True
                process.kill()
            time.sleep(0.1)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(wait_status)
        output.seek(0)
        text = output.read()
    result = {"seconds": seconds, "peak_rss_mb": usage.ru_maxrss / 1024}
    if timed_out:
        return result | {"status": "failed", "note": f"stopped after {timeout} s (--import-timeout)"}
    if process.returncode != 0:
        last = text.strip().splitlines()[-1] if text.strip() else ""
        return result | {"status": "failed", "note": f"exit {process.returncode}: {last[:200]}"}
    return result | {"status": "ok"}


def _database_name(url):
    return urlsplit(url).path.lstrip("/")


def _with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _admin_connection(url):
    import psycopg

    return psycopg.connect(_with_database(url, "postgres"), autocommit=True)


def _create_database(url, *, template=None):
    from psycopg import sql

    name = _database_name(url)
    with _admin_connection(url) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if template is None and exists:
            return
        if exists:
            connection.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(_database_name(template)))
        connection.execute(statement)


def _drop_database(url):
    from psycopg import sql

    with _admin_connection(url) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(_database_name(url)))
        )


def _cancel_queries(url):
    with _admin_connection(url) as connection:
        connection.execute(
            "SELECT pg_cancel_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND state = 'active' AND pid <> pg_backend_pid()",
            [_database_name(url)],
        )


def _redis_flush(url):
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
        return True
    except Exception:  # noqa: BLE001 - any failure means: no Redis to measure against
        return False


def _python(env, *args):
    completed = subprocess.run(  # noqa: S603 - our own Python, our own modules
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise BenchError(f"`python {' '.join(args)}` failed: {completed.stderr.strip()[-1500:]}")
    return completed.stdout


def _manage(env, *args):
    return _python(env, "manage.py", *args)


def _probe(env, command, *args):
    # libpq reads PGOPTIONS: a query slower than the warm-up's patience is cut short, and
    # its request measured as the failure it is (gunicorn gives up on it too).
    env = env | {"PGOPTIONS": f"-c statement_timeout={WARMUP_TIMEOUT * 1000}"}
    return json.loads(_python(env, "-m", "bench.probe", command, *args).strip().splitlines()[-1])


def _which(name):
    return any(
        os.access(Path(directory) / name, os.X_OK) for directory in os.environ.get("PATH", "").split(":")
    )


def describe_machine(database_url):
    import django

    cpu = "unknown"
    try:
        match = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
        cpu = match.group(1).strip() if match else platform.processor() or "unknown"
        memory_kb = int(re.search(r"^MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text(), re.MULTILINE)[1])
    except (OSError, TypeError):
        memory_kb = 0
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": _version([sys.executable, "-m", "gunicorn", "--version"]),
        "postgresql": _postgresql_version(database_url),
        "redis": _redis_version(CACHE_CONFIGS["redis"]),
        "wrk": _version(["wrk", "--version"]).split(" [")[0],
        "commit": _version(["git", "-C", str(ROOT), "describe", "--always", "--dirty"]),
    }


def _version(command):
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)  # noqa: S603
    except OSError:
        return "unknown"
    lines = (completed.stdout or completed.stderr).strip().splitlines()
    return lines[0] if lines else "unknown"


def _postgresql_version(url):
    import psycopg

    try:
        with psycopg.connect(url) as connection:
            return connection.execute("SHOW server_version").fetchone()[0]
    except psycopg.Error:
        return "unknown"


def _redis_version(url):
    try:
        import redis

        return redis.Redis.from_url(url, socket_connect_timeout=2).info("server")["redis_version"]
    except Exception:  # noqa: BLE001
        return "not reachable"


def evaluate_targets(rows, imports):
    """Each target of issue 6 against this run: measured value, met or not, or not measured."""
    targets = []
    for name, caches, scenarios, minimum in RATIO_TARGETS:
        measured = [row for row in rows if row.cache in caches and row.scenario in scenarios and row.ratio]
        missing = [
            f"{row.scenario} ({row.cache})"
            for row in rows
            if row.cache in caches and row.scenario in scenarios and row.ratio is None
        ]
        if not measured:
            targets.append({"target": name, "status": "not measured", "detail": ", ".join(missing)})
            continue
        worst = min(measured, key=lambda row: row.ratio)
        short = [f"{row.scenario} ({row.cache}) {row.ratio:.1%}" for row in measured if row.ratio < minimum]
        targets.append(
            {
                "target": name,
                "status": "met" if not short else "missed",
                "detail": (f"lowest: {worst.scenario} ({worst.cache}) {worst.ratio:.1%}")
                + (f"; below: {', '.join(short)}" if short else "")
                + (f"; not measured: {', '.join(missing)}" if missing else ""),
            }
        )
    public = [row for row in rows if row.queries is not None and row.scenario != "baseline"]
    if public:
        worst = max(public, key=lambda row: row.queries)
        over = [f"{row.scenario} ({row.cache}) {row.queries}" for row in public if row.queries > MAX_QUERIES]
        targets.append(
            {
                "target": f"At most {MAX_QUERIES} SQL queries per public request",
                "status": "met" if not over else "missed",
                "detail": f"highest: {worst.scenario} ({worst.cache}) {worst.queries}"
                + (f"; over: {', '.join(over)}" if over else ""),
            }
        )
    else:
        targets.append(
            {"target": f"At most {MAX_QUERIES} SQL queries", "status": "not measured", "detail": ""}
        )
    rss = [row.peak_rss_mb for row in rows if row.peak_rss_mb]
    targets.append(
        {
            "target": f"Peak RSS per worker < {MAX_RSS_MB} MB",
            "status": ("met" if max(rss) < MAX_RSS_MB else "missed") if rss else "not measured",
            "detail": f"highest: {max(rss):.0f} MB" if rss else "",
        }
    )
    # Throughput once started: a 30-post file is otherwise all Python and Django start-up.
    measured = [item for item in imports if item.get("posts_per_s_net")]
    slowest = min((i["posts_per_s_net"] for i in measured), default=None)
    targets.append(
        {
            "target": f"Import ≥ {MIN_IMPORT_POSTS_PER_S} posts/s (start-up excluded)",
            "status": "not measured"
            if slowest is None
            else "met"
            if slowest >= MIN_IMPORT_POSTS_PER_S
            else "missed",
            "detail": ", ".join(f"{i['file']}: {i['posts_per_s_net']:.0f} posts/s" for i in measured),
        }
    )
    return targets


def _fmt(value, pattern):
    return "–" if value is None else pattern.format(value)


def _row_line(row):
    if row.status != "ok":
        return f"   {row.label:<36} {row.status}: {row.note}"
    return (
        f"   {row.label:<36} {_fmt(row.requests_per_s, '{:8.1f}')} req/s"
        f"  p50 {_fmt(row.p50_ms, '{:7.2f}')} ms"
        f"  p99 {_fmt(row.p99_ms, '{:7.2f}')} ms  ×{_fmt(row.ratio, '{:.3f}')}  {row.note}"
    )


def _import_line(result):
    if result["status"] != "ok":
        return f"   {result['file']:<36} {result['status']}: {result.get('note', '')}"
    return (
        f"   {result['file']:<36} {result['posts']} posts in {result['seconds']:.1f} s = "
        f"{result['posts_per_s']:.0f} posts/s ({result['posts_per_s_net']:.0f} without start-up), "
        f"peak RSS {result['peak_rss_mb']:.0f} MB"
    )


def render_markdown(results):
    machine, settings = results["machine"], results["settings"]
    lines = [
        "# Benchmark results",
        "",
        f"Run of {results['date']} (commit {machine['commit']}), written by `make bench` (bench/run.py).",
        "",
        f"- Machine: {machine['cpus']} CPUs ({machine['cpu_model']}), {machine['memory_gb']} GB of memory, "
        f"{machine['os']}",
        f"- Software: Python {machine['python']}, Django {machine['django']}, {machine['gunicorn']}, "
        f"PostgreSQL {machine['postgresql']}, Redis {machine['redis']}, {machine['wrk']}",
        f"- Load: wrk, {settings['threads']} thread, {settings['connections']} connections, "
        f"{settings['duration_s']} s per scenario after {settings['warmup_s']} s of warm-up; gunicorn "
        f"{settings['workers']} sync workers, DEBUG off, on loopback (all on the same machine)",
        f"- Data set: {results['dataset']['posts']} published posts, {results['dataset']['comments']} "
        f"approved comments ({results['dataset']['big_post_comments']} on one post), "
        f"{results['dataset']['authors']} authors, {results['dataset']['categories']} categories, "
        f"{results['dataset']['tags']} tags",
        "",
        "Ratios are to the baseline endpoint (fixed bytes through the same stack) on the same gunicorn:",
        "the mean of its rate just before and just after the scenario (the baseline row, then a",
        f"{settings['baseline_duration_s']} s run after each scenario). A ratio of 0.50 serves half as many "
        "requests per second.",
        "Cold: no cache (CACHE_URL=dummy://); locmem and redis: the response cache on, warm.",
        "SQL queries per request are counted in-process (not under load): cold = a first request,",
        "warm = the same request repeated. Peak RSS is the largest VmHWM among the gunicorn workers.",
        "",
        "## Requests",
        "",
        "| Scenario | Cache | req/s | p50 ms | p99 ms | SQL/request | × baseline | Peak RSS/worker MB "
        "| Notes |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in results["rows"]:
        if row["status"] != "ok":
            lines.append(f"| {row['label']} | {row['cache']} | {row['status']} | | | | | | {row['note']} |")
            continue
        lines.append(
            f"| {row['label']} | {row['cache']} | {_fmt(row['requests_per_s'], '{:.1f}')} "
            f"| {_fmt(row['p50_ms'], '{:.2f}')} | {_fmt(row['p99_ms'], '{:.2f}')} "
            f"| {_fmt(row['queries'], '{}')} | {_fmt(row['ratio'], '{:.3f}')} "
            f"| {_fmt(row['peak_rss_mb'], '{:.0f}')} | {row['note']} |"
        )
    lines += ["", "## WordPress import", ""]
    if results["imports"]:
        lines += [
            "| File | Posts | Comments | Seconds | Posts/s | Posts/s, start-up excluded | Peak RSS MB |"
            " Notes |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for item in results["imports"]:
            if item["status"] != "ok":
                lines.append(f"| {item['file']} | {item['status']} | | | | | | {item.get('note', '')} |")
                continue
            lines.append(
                f"| {item['file']} | {item['posts']} | {item['comments']} | {item['seconds']:.1f} "
                f"| {item['posts_per_s']:.0f} | {item['posts_per_s_net']:.0f} | {item['peak_rss_mb']:.0f} "
                f"| start-up {item['startup_seconds']:.1f} s |"
            )
    else:
        lines.append("Not run (--skip-import).")
    lines += ["", "## Targets (issue 6)", "", "| Target | Status | Detail |", "| --- | --- | --- |"]
    for target in results["targets"]:
        lines.append(f"| {target['target']} | {target['status']} | {target['detail']} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
