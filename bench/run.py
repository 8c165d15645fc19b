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

Last, the "varnish" configuration: Varnish 7 with the shipped deploy/varnish/plume.vcl
(bench/varnish.py) in front of the gunicorn of the Redis configuration (local memory when
Redis is not reachable). The read scenarios go through Varnish with the same wrk
settings; their ratios are still to the baseline of gunicorn reached directly, bracketing
each scenario, as issue 12's "through Varnish, ≥ 3× the baseline" means. A scenario's
second warm-up request must be a hit (X-Cache: HIT, two ids in X-Varnish), and Varnish's
own counters (varnishstat) give the share of hits during the measured run. Comment
creation is a POST, which Varnish passes to gunicorn: not measured again there.

A scenario whose URL answers 404 (or 405) at warm-up is reported "not available": the
harness measures whatever the code base offers. Results: a table on stdout,
bench/RESULTS.md and bench/results.json (see bench/report.py).
"""

import argparse
import json
import os
import sys
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from urllib.parse import quote

from bench.databases import cancel_queries, postgresql_url, redis_flush
from bench.imports import run_imports
from bench.report import Row, describe_machine, evaluate_targets, publish, render_markdown, row_line
from bench.server import (
    BASELINE_PATH,
    BENCH,
    WARMUP_TIMEOUT,
    BenchError,
    Gunicorn,
    exit_status,
    manage,
    probe,
    server_env,
    snippet,
    warmup_problem,
    which,
    wrk,
)
from bench.varnish import VARNISHD, Varnish
from bench.varnish import available as varnish_available

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/5"
CACHE_CONFIGS = {
    "cold": "dummy://",
    "locmem": "locmem://",
    "redis": DEFAULT_REDIS_URL,  # --redis-url
    "varnish": DEFAULT_REDIS_URL,  # Varnish in front of the Redis configuration
}


@dataclass
class Scenario:
    key: str
    label: str
    path: str  # formatted with the data set's info (slugs, search query)
    method: str = "GET"

    @property
    def cacheable(self):
        """Whether Varnish may answer it (a POST passes to gunicorn)."""
        return self.method == "GET"


SCENARIOS = [
    Scenario("home", "Home page", "/"),
    Scenario("post", "Post page", "/{sample_post_slug}/"),
    Scenario("post-comments", "Post page with 500 comments", "/{big_post_slug}/"),
    Scenario("api-list", "API post list", "/api/v1/posts/"),
    Scenario("api-detail", "API post detail", "/api/v1/posts/{sample_post_slug}/"),
    Scenario("api-comments", "API comment tree (500 comments)", "/api/v1/posts/{big_post_slug}/comments/"),
    Scenario("api-search", "API search (French query)", "/api/v1/posts/?search={search_query}"),
    Scenario("feed", "RSS feed", "/feed/"),
    Scenario(
        "api-comment-create", "API comment creation", "/api/v1/posts/{sample_post_slug}/comments/", "POST"
    ),
]
BASELINE = Scenario("baseline", "Baseline (fixed bytes)", BASELINE_PATH)
# The baseline through Varnish: not cacheable (no Cache-Control), so passed to gunicorn; what
# the proxy adds to the cheapest answer.
BASELINE_THROUGH_VARNISH = Scenario("baseline-varnish", "Baseline through Varnish (passed)", BASELINE_PATH)


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
    parser.add_argument(
        "--caches", default="cold,locmem,redis,varnish", help="cache configurations to run (all four)"
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL),
        help="the Redis cache of the redis and varnish configurations "
        f"(BENCH_REDIS_URL, else {DEFAULT_REDIS_URL})",
    )
    parser.add_argument(
        "--varnish-accept-encoding",
        default="gzip",
        help="Accept-Encoding of the requests through Varnish (gzip, as browsers send; '' for none: "
        "Varnish then decompresses every answer it keeps compressed)",
    )
    parser.add_argument("--scenarios", default="", help="comma-separated scenario keys (default: all)")
    parser.add_argument("--skip-import", action="store_true", help="leave out the import benchmark")
    parser.add_argument("--import-posts", type=int, default=10_000, help="posts in the generated WXR")
    parser.add_argument("--import-timeout", type=int, default=900, help="seconds before an import is stopped")
    parser.add_argument("--output", default=str(BENCH), help="where RESULTS.md and results.json go")
    args = parser.parse_args(argv)
    return exit_status(run, args)


def run(args):
    database_url = postgresql_url("postgres://…/plume_bench")
    if not which("wrk"):
        raise BenchError("wrk is not installed (apt-get install -y wrk; `make bench` does it)")
    caches = [name.strip() for name in args.caches.split(",") if name.strip()]
    configs = CACHE_CONFIGS | {"redis": args.redis_url, "varnish": args.redis_url}
    unknown = set(caches) - set(configs)
    if unknown:
        raise BenchError(f"unknown cache configuration(s): {', '.join(sorted(unknown))}")
    scenarios = chosen(SCENARIOS, args.scenarios)

    base_env = server_env(database_url)
    started = datetime.now(UTC)
    info = probe(base_env | {"CACHE_URL": "locmem://"}, "info")
    if not info["dataset"]:
        raise BenchError("no benchmark data set in this database: run `python -m bench.generate` first")
    print(f"Data set: {info['params']['posts']} posts, {info['params']['comments']} comments.")
    manage(base_env, "collectstatic", "--noinput")

    rows = []
    varnish_cache = None
    for cache in caches:
        cache_url = configs[cache]
        if cache == "varnish":
            if not varnish_available():
                rows.extend(_unavailable(s, cache, "", "varnishd or xkey not installed") for s in scenarios)
                continue
            if not redis_flush(cache_url):
                cache_url = configs["locmem"]  # Varnish in front of what there is
            varnish_cache = cache_url
        elif cache == "redis" and not redis_flush(cache_url):
            for scenario in [BASELINE, *scenarios]:
                rows.append(_unavailable(scenario, cache, "", "Redis not reachable"))
            continue
        env = base_env | {"CACHE_URL": cache_url}
        rows.extend(_run_cache_config(args, cache, env, scenarios, info["dataset"]))

    imports = [] if args.skip_import else run_imports(args, base_env, info)
    machine = describe_machine(database_url, args.redis_url, varnishd=VARNISHD if varnish_cache else None)
    settings = {
        "duration_s": args.duration, "warmup_s": args.warmup, "baseline_duration_s": args.baseline_duration,
        "connections": args.connections,
        "threads": args.threads, "workers": args.workers, "varnish_backend_cache": varnish_cache,
        "varnish_accept_encoding": args.varnish_accept_encoding,
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
    publish(args.output, tables=(render_markdown(results), results))
    return 0


def chosen(scenarios, keys):
    """The scenarios (anything with a `key`) a comma-separated list names; all when it is empty."""
    if not keys:
        return scenarios
    wanted = [key.strip() for key in keys.split(",") if key.strip()]
    known = {scenario.key: scenario for scenario in scenarios}
    unknown = [key for key in wanted if key not in known]
    if unknown:
        raise BenchError(f"unknown scenario(s): {', '.join(unknown)}; known: {', '.join(known)}")
    return [known[key] for key in wanted]


def _run_cache_config(args, cache, env, scenarios, dataset):
    through_varnish = cache == "varnish"
    print(f"\n== cache: {cache} ({env['CACHE_URL']}{', Varnish in front' if through_varnish else ''})")
    measured = [BASELINE, *([BASELINE_THROUGH_VARNISH] if through_varnish else []), *scenarios]
    paths = {scenario.key: format_path(scenario.path, dataset) for scenario in measured}
    first_comment_id = probe(env, "max-comment-id")
    specs = [f"{scenario.method}:{paths[scenario.key]}" for scenario in [BASELINE, *scenarios]]
    # Through Varnish, a hit costs no query: counting Python's would say nothing of it.
    counted = {} if through_varnish else probe(env, "queries", *specs)
    rows = []
    try:
        with Gunicorn(env, port=args.port, workers=args.workers) as server, ExitStack() as stack:
            front = stack.enter_context(Varnish(server.port)) if through_varnish else None
            baseline_before = None
            for scenario in measured:
                path = paths[scenario.key]
                if front and scenario is not BASELINE and not scenario.cacheable:
                    note = "a POST: Varnish passes it to gunicorn (see the redis row)"
                    rows.append(_unavailable(scenario, cache, path, note, status="skipped"))
                    print(row_line(rows[-1]))
                    continue
                via = front if front and scenario is not BASELINE else None
                row = _run_scenario(args, server, scenario, cache, path, front=via)
                if scenario is BASELINE and front:
                    row.note = "gunicorn directly: what the Varnish rows divide by"
                spec = counted.get(f"{scenario.method}:{path}")
                if row.status == "ok" and spec:
                    # Cold: what every request costs; warm: what a cache hit costs.
                    run = spec["first" if cache == "cold" else "repeat"]
                    row.queries = run["queries"]
                    if run.get("task_queries"):
                        queued = f"+{run['task_queries']} SQL queuing a task (database task backend)"
                        row.note = "; ".join(filter(None, [row.note, queued]))
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
                print(row_line(row))
    finally:
        deleted = probe(env, "delete-comments-after", str(first_comment_id))
        if deleted:
            print(f"   (removed {deleted} comments created by the benchmark)")
    return rows


def _baseline_rps(args, server):
    result = wrk(args, server, BASELINE.path, "get.lua", [], duration=args.baseline_duration)
    return result["requests"] / (result["duration_us"] / 1_000_000)


def format_path(template, dataset):
    values = {key: quote(str(value), safe="") for key, value in dataset.items() if value is not None}
    return template.format(**values)


def _run_scenario(args, server, scenario, cache, path, *, front=None):
    """One scenario's row: wrk against `server` (gunicorn), or against `front` (Varnish) when given."""
    row = Row(scenario=scenario.key, label=scenario.label, cache=cache, path=path)
    target = front or server
    if scenario.method == "POST":
        script_args, problem = _prepare_comment_creation(server, path)
        script = "comment.lua"
    else:
        status, body = target.request("GET", path, timeout=WARMUP_TIMEOUT)
        script_args, problem = [], warmup_problem(status, body)
        script = "get.lua"
        if front and not problem and scenario is not BASELINE_THROUGH_VARNISH:
            row.note = varnish_hit_note(*front.fetch("GET", path, timeout=WARMUP_TIMEOUT))
    if problem:
        row.status, row.note = problem
        if "no answer" in row.note:
            # The worker gave up, PostgreSQL did not: stop the query before the next scenario.
            cancel_queries(server.env["DATABASE_URL"])
        return row
    # Through Varnish, as a browser asks: Varnish keeps answers compressed and would otherwise
    # decompress each one it sends (the gunicorn rows send no Accept-Encoding, as before).
    encoding = getattr(args, "varnish_accept_encoding", "") if front else ""
    headers = [f"Accept-Encoding: {encoding}"] if encoding else []
    if args.warmup:
        wrk(args, target, path, script, script_args, duration=args.warmup, headers=headers)
    counters = front.settled_stats() if front else {}
    result = wrk(args, target, path, script, script_args, duration=args.duration, headers=headers)
    if front:
        row.varnish = varnish_delta(counters, front.stats_after(counters, result["requests"]))
        row.note = "; ".join(filter(None, [row.note, varnish_note(row.varnish)]))
    seconds = result["duration_us"] / 1_000_000
    row.wrk = result
    if not result["requests"]:
        row.status, row.note = "failed", f"no request completed in {args.duration} s"
        cancel_queries(server.env["DATABASE_URL"])
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


def _prepare_comment_creation(server, path):
    """Check comment creation works, and whether one token serves several comments."""
    from bench.probe import comment_fields

    token_path = path.rstrip("/") + "/token/"
    status, body = server.request("GET", token_path, timeout=WARMUP_TIMEOUT)
    problem = warmup_problem(status, body)
    if problem:
        return [], (problem[0], f"token: {problem[1]}")
    try:
        token = json.loads(body)
    except ValueError:
        token = None
    if not isinstance(token, dict):
        return [], ("failed", f"token answer is not a JSON object: {snippet(body)}")
    answers = []
    for attempt in range(2):
        payload = {**token, **comment_fields(f"warmup-{os.getpid()}-{attempt}")}
        status, body = server.request("POST", path, json.dumps(payload), timeout=WARMUP_TIMEOUT)
        answers.append(status)
        if attempt == 0:
            problem = warmup_problem(status, body)
            if problem:
                return [], (problem[0], f"POST: {problem[1]}")
    prefix = json.dumps(token, ensure_ascii=False)[:-1] if answers[1] in (201, 202) else ""
    return [token_path, path, prefix], None


def varnish_hit_note(status, headers, body):
    """What the second warm-up request through Varnish says: "" for a hit, else why it is not one."""
    xcache, ids = headers.get("X-Cache", ""), headers.get("X-Varnish", "").split()
    if status == 200 and xcache == "HIT" and len(ids) == 2:
        return ""
    control = headers.get("Cache-Control", "absent")
    return f"not a hit at warm-up (HTTP {status}, X-Cache {xcache or 'absent'}, Cache-Control {control})"


def varnish_delta(before, after):
    """Varnish's counters over one run: hits, misses, passes, requests sent to gunicorn."""
    names = {"hits": "MAIN.cache_hit", "misses": "MAIN.cache_miss", "passes": "MAIN.s_pass",
             "backend": "MAIN.backend_req", "requests": "MAIN.client_req"}  # fmt: skip
    if not all(name in before and name in after for name in names.values()):
        return {}
    return {key: after[name] - before[name] for key, name in names.items()}


def varnish_note(delta):
    looked_up = delta.get("hits", 0) + delta.get("misses", 0) + delta.get("passes", 0)
    if not looked_up:
        return "varnishstat: no counters" if not delta else ""
    return f"Varnish: {delta['hits'] / looked_up:.1%} hits, {delta['backend']} requests to gunicorn"


def _unavailable(scenario, cache, path, note, status="not available"):
    return Row(scenario=scenario.key, label=scenario.label, cache=cache, path=path, status=status, note=note)


if __name__ == "__main__":
    sys.exit(main())
