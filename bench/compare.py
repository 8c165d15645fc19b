"""
WordPress side by side: the same content, on the same machine, under the same load, both
without a cache, and Plume's rate over WordPress's for each scenario.

    DATABASE_URL=postgres://…/plume_bench_wordpress python -m bench.compare [--rounds 3] [--duration 5]

The data set is the one bench/generate.py made in DATABASE_URL (`make bench-wordpress`
asks for 2,000 posts and 20,000 comments). bench/export.py writes it out and
bench/php/load.php gives it to WordPress's own functions in a MariaDB database of its own,
after bench/php/install.php ran wp_install(); a second run with the same data set reuses
that database. WordPress is Debian's, copied into a scratch directory with its own
wp-config.php and served by a private nginx and php-fpm (`pm = static`, 2 children, OPcache
on) on a free port; Plume by gunicorn (2 workers, DEBUG off, CACHE_URL=dummy://). Each
round runs every scenario against both, one after the other (Plume first in odd rounds,
WordPress first in even ones); each Plume/WordPress ratio compares two runs a few seconds
apart. Everything started is stopped at the end, whatever happens.
"""

import argparse
import json
import math
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.databases import create_mariadb_database, mariadb, mariadb_version, postgresql_url
from bench.report import describe_machine, fmt, publish
from bench.report_wordpress import comparison_target, ratio, render_wordpress_markdown, summarize_comparison
from bench.run import chosen, format_path
from bench.server import (
    BENCH,
    WARMUP_TIMEOUT,
    BenchError,
    Gunicorn,
    exit_status,
    free_port,
    manage,
    probe,
    python,
    server_env,
    version,
    warmup_problem,
    which,
    wrk,
)
from bench.wordpress_site import PHP_FPM, WORDPRESS_DIR, WordPressSite

# Bump when bench/php/load.php or bench/export.py change what WordPress holds: the next
# run then loads WordPress again instead of reusing its database.
LOADER_VERSION = 1
# Issue 12: Plume uncached at least ten times WordPress uncached, in every scenario.
MIN_RATIO = 10
COMMENT_ID = re.compile(rb'id="comment-\d+"')
# A scenario's runs last long enough for about this many answers on its slower side (a
# 500-comment page takes WordPress more than a second), within MAX_DURATION seconds.
MIN_REQUESTS = 10
MAX_DURATION = 30


@dataclass
class Pair:
    key: str
    label: str
    plume_path: str  # formatted with the data set's info, as bench/run.py's scenarios
    wordpress_path: str


PAIRS = [
    Pair("home", "Home page", "/", "/"),
    Pair("post", "Post page", "/{sample_post_slug}/", "/{sample_post_slug}/"),
    Pair(
        "api-detail",
        "REST single post",
        "/api/v1/posts/{sample_post_slug}/",
        "/wp-json/wp/v2/posts/{sample_post_wp_id}",
    ),
    Pair("feed", "RSS feed", "/feed/", "/feed/"),
    Pair("search", "Search page (French query)", "/search/?q={search_query}", "/?s={search_query}"),
    Pair("big-post", "Post page with 500 comments", "/{big_post_slug}/", "/{big_post_slug}/"),
]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every scenario on both sides (3)")
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per scenario and side (5)")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of unmeasured load before each (1)")
    parser.add_argument("--connections", type=int, default=2, help="wrk connections (2, one per worker)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (1)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--php-children", type=int, default=2, help="php-fpm children, pm = static (2)")
    parser.add_argument("--wordpress-database", default="plume_bench_wordpress", help="MariaDB database")
    parser.add_argument("--language", default="fr_FR", help="WordPress's site language, as Plume's (fr_FR)")
    parser.add_argument("--scenarios", default="", help="comma-separated scenario keys (default: all)")
    parser.add_argument("--output", default=str(BENCH), help="where RESULTS.md and results.json go")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.duration < 1 or args.connections < 1:
        parser.error("--rounds, --duration and --connections must be at least 1")
    if not re.fullmatch(r"[A-Za-z0-9_]+", args.wordpress_database):
        parser.error("--wordpress-database: letters, digits and underscores only")
    return exit_status(run, args)


def run(args):
    database_url = postgresql_url("postgres://…/plume_bench_wordpress")
    missing = [name for name in ("wrk", "php", "nginx", PHP_FPM, "mysql") if not which(name)]
    if missing or not WORDPRESS_DIR.exists():
        raise BenchError(f"missing: {', '.join(missing) or 'wordpress'} (bench/wordpress.sh installs them)")
    pairs = chosen(PAIRS, args.scenarios)
    env = server_env(database_url) | {"CACHE_URL": "dummy://"}
    info = probe(env | {"CACHE_URL": "locmem://"}, "info")
    if not info["dataset"]:
        raise BenchError("no benchmark data set in this database: run `python -m bench.generate` first")
    params = info["params"]
    print(f"Data set: {params['posts']} posts, {params['comments']} comments.")
    manage(env, "collectstatic", "--noinput")
    started = datetime.now(UTC)

    with tempfile.TemporaryDirectory(prefix="plume-bench-wordpress-") as scratch:
        site = WordPressSite(
            scratch,
            port=free_port(),
            database=args.wordpress_database,
            children=args.php_children,
            language=args.language,
        ).prepare()
        _load_wordpress(site, env, {"params": params, "loader": LOADER_VERSION, "language": args.language})
        dataset = info["dataset"]
        ids = _wordpress_post_ids(
            args.wordpress_database, [dataset["sample_post_slug"], dataset["big_post_slug"]]
        )
        values = dataset | {"sample_post_wp_id": ids.get(dataset["sample_post_slug"])}
        with Gunicorn(env, port=free_port(), workers=args.workers) as plume, site:
            print(
                f"Plume on {plume.url('/')}, WordPress on {site.url('/')} (OPcache {site.status['opcache']})."
            )
            scenarios = [_warm_up(pair, plume, site, values) for pair in pairs]
            rounds = _run_rounds(args, plume, site, scenarios)
            peak = {"plume": plume.peak_rss_mb(), "wordpress": site.peak_rss_mb()}
        wordpress = _describe_wordpress(site, args)
    # Both servers are stopped here, and the scratch directory removed.

    summary = summarize_comparison(scenarios, rounds)
    comparison = {
        "date": started.isoformat(timespec="seconds"),
        "machine": describe_machine(database_url, None),
        "settings": {
            "rounds": args.rounds,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "connections": args.connections,
            "threads": args.threads,
            "workers": args.workers,
            "php_children": args.php_children,
        },  # fmt: skip
        "dataset": params,
        "wordpress": wordpress,
        "peak_rss_mb": peak,
        "scenarios": scenarios,
        "rounds": rounds,
        "summary": summary,
        "target": comparison_target(summary, MIN_RATIO),
    }
    publish(args.output, wordpress=(render_wordpress_markdown(comparison), comparison))
    return 0


def _stored_option(database, name):
    """A WordPress option holding JSON, or None when absent (or WordPress not installed)."""
    text = _stored_option_text(database, name)
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def _stored_option_text(database, name):
    try:
        # `name` is one of this module's constants, never input.
        statement = f"SELECT option_value FROM wp_options WHERE option_name = '{name}'"  # noqa: S608
        rows = mariadb(statement, database=database)
    except BenchError:  # no such database or table yet
        return None
    return rows[0][0] if rows else None


def _load_wordpress(site, env, marker):
    """Install WordPress and load the data set into it, unless its database holds it already."""
    if _stored_option(site.database, "plume_bench_dataset") == marker:
        print(f"WordPress: database {site.database} already holds this data set.")
        return
    print(f"WordPress: installing into MariaDB database {site.database} (dropped first if present)…")
    mariadb(f"DROP DATABASE IF EXISTS `{site.database}`")
    create_mariadb_database(site.database)
    # The title and the rest of the settings come with the content (bench/php/load.php).
    site.php("install.php", "Plume", site.language)
    content_path = Path(site.directory) / "content.json"
    python(env, "-m", "bench.export", str(content_path))
    content = json.loads(content_path.read_text())
    content["marker"] = marker
    content_path.write_text(json.dumps(content, ensure_ascii=False))
    print(f"WordPress: loading {len(content['posts'])} posts and {len(content['comments'])} comments…")
    load = site.php("load.php", content_path)
    print(f"WordPress: loaded in {load['seconds']:.0f} s.")


def _wordpress_post_ids(database, slugs):
    quoted = ", ".join("'" + slug.replace("'", "") + "'" for slug in slugs if slug)
    if not quoted:
        return {}
    rows = mariadb(
        f"SELECT post_name, ID FROM wp_posts WHERE post_type = 'post' AND post_name IN ({quoted})",  # noqa: S608
        database=database,
    )
    return {name: int(pk) for name, pk in rows}


def _warm_up(pair, plume, site, values):
    """One request on each side: the scenario is measured only if both answer it."""
    scenario = {"key": pair.key, "label": pair.label, "status": "ok", "note": ""}
    try:
        scenario["plume_path"] = format_path(pair.plume_path, values)
        scenario["wordpress_path"] = format_path(pair.wordpress_path, values)
    except KeyError as missing:
        return scenario | {"status": "not available", "note": f"the data set has no {missing}",
                           "plume_path": pair.plume_path, "wordpress_path": pair.wordpress_path}  # fmt: skip
    shown = {}
    for side, server in (("plume", plume), ("wordpress", site)):
        started = time.monotonic()
        status, body = server.request("GET", scenario[f"{side}_path"], timeout=WARMUP_TIMEOUT)
        scenario[f"{side}_warmup_s"] = time.monotonic() - started
        problem = warmup_problem(status, body)
        if problem:
            return scenario | {"status": problem[0], "note": f"{side}: {problem[1]}"}
        scenario[f"{side}_kb"] = len(body) / 1024
        shown[side] = len(set(COMMENT_ID.findall(body)))
    if pair.key == "big-post":
        scenario["comments_shown"] = shown
    print(
        f"   {pair.label:<32} Plume {scenario['plume_kb']:6.1f} KB, "
        f"WordPress {scenario['wordpress_kb']:6.1f} KB"
    )
    return scenario


def _run_rounds(args, plume, site, scenarios):
    rounds = []
    for number in range(1, args.rounds + 1):
        sides = [("plume", plume), ("wordpress", site)]
        if number % 2 == 0:
            sides.reverse()
        print(f"\n== round {number} of {args.rounds} ({sides[0][0]} first)")
        for scenario in scenarios:
            if scenario["status"] != "ok":
                continue
            measured = {}
            scenario["duration_s"] = duration = scenario_duration(args, scenario)
            for side, server in sides:
                path = scenario[f"{side}_path"]
                # A 500-comment page on a busy machine can take WordPress more than 10 s:
                # wait for it rather than count it lost.
                if args.warmup:
                    wrk(args, server, path, "get.lua", [], duration=args.warmup, timeout=MAX_DURATION)
                result = wrk(args, server, path, "get.lua", [], duration=duration, timeout=MAX_DURATION)
                measured[side] = _figures(result)
            run = {
                "round": number,
                "scenario": scenario["key"],
                "first": sides[0][0],
                "plume": measured["plume"],
                "wordpress": measured["wordpress"],
                "ratio": ratio(measured["plume"]["requests_per_s"], measured["wordpress"]["requests_per_s"]),
            }
            rounds.append(run)
            print(
                f"   {scenario['label']:<32} "
                f"Plume {fmt(measured['plume']['requests_per_s'], '{:7.1f}')} req/s"
                f"  WordPress {fmt(measured['wordpress']['requests_per_s'], '{:7.1f}')} req/s"
                f"  ×{fmt(run['ratio'], '{:.2f}')}"
            )
    return rounds


def scenario_duration(args, scenario):
    """Seconds per run: --duration, or more when one answer of the slower side takes long."""
    slowest = max(scenario["plume_warmup_s"], scenario["wordpress_warmup_s"])
    return max(args.duration, min(MAX_DURATION, math.ceil(MIN_REQUESTS * slowest / args.connections)))


def _figures(result):
    """Answers per second that succeeded (2xx/3xx), latencies, and what went wrong."""
    seconds = result["duration_us"] / 1_000_000
    errors = sum(result[key] for key in ("errors_connect", "errors_read", "errors_write", "errors_timeout"))
    answered = result["requests"] - result["errors_status"]
    # wrk keeps no latency of an answer that came after its timeout: percentiles of nothing are 0.
    timed = result["p50_us"] > 0
    return {
        "requests_per_s": answered / seconds if answered > 0 else None,
        "p50_ms": result["p50_us"] / 1000 if timed else None,
        "p99_ms": result["p99_us"] / 1000 if timed else None,
        "requests": result["requests"],
        "non_2xx": result["errors_status"],
        "socket_errors": errors,
    }


def _describe_wordpress(site, args):
    match = re.search(
        r"\$wp_version = '([^']+)'", (WORDPRESS_DIR / "wp-includes" / "version.php").read_text()
    )
    theme = _stored_option_text(args.wordpress_database, "stylesheet")
    return {
        "version": match.group(1) if match else "unknown",
        "php": site.status.get("php", "unknown"),
        "opcache": site.status.get("opcache", False),
        "nginx": version(["nginx", "-v"]).split("/")[-1],
        "mariadb": mariadb_version(),
        "theme": theme or "unknown",
        "language": args.language,
        "load": _stored_option(args.wordpress_database, "plume_bench_load"),
    }


if __name__ == "__main__":
    sys.exit(main())
