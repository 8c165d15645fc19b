"""
What a run found, as tables: the load rows and their ratios to the baseline, the import
and the targets (the WordPress side by side's tables are bench/report_wordpress.py's).
Written to bench/RESULTS.md and bench/results.json, each writer replacing only its own
part: `make bench` the tables at the top, `make bench-wordpress` its section, and the
notes below NOTES_MARKER are kept by both.
"""

import json
import os
import platform
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bench.databases import postgresql_version, redis_version
from bench.server import ROOT, version

NOTES_MARKER = "<!-- Notes below this line are kept when bench/run.py rewrites this file. -->"
WORDPRESS_BEGIN = "<!-- WordPress side by side: written by `make bench-wordpress` (bench/compare.py). -->"
WORDPRESS_END = "<!-- End of the WordPress side by side. -->"

# The anonymous reads: every public page and API answer the harness measures.
READS = ("home", "post", "post-comments", "feed", "api-list", "api-detail", "api-comments", "api-search")
# Targets from issue 12 ("Targets"): (what, cache configurations, scenarios, minimum ratio
# to the same run's baseline). Through Varnish the ratio is still to gunicorn's baseline.
RATIO_TARGETS = [
    ("Cached anonymous pages and API ≥ 0.8 × baseline", ("locmem", "redis"), READS, 0.8),
    ("Through Varnish ≥ 3 × baseline", ("varnish",), READS, 3.0),
    ("Uncached post page, home and API detail ≥ 0.1 × baseline", ("cold",),
     ("post", "home", "api-detail"), 0.1),
    ("Uncached 500-comment page ≥ 0.03 × baseline", ("cold",), ("post-comments",), 0.03),
    ("Comment creation ≥ 0.2 × baseline", ("cold", "locmem", "redis"), ("api-comment-create",), 0.2),
]  # fmt: skip
# Issue 12, item 4 (asserted by tests/test_comment_creation_queries.py): the request's own
# queries, the task queue's row apart (bench/probe.py).
MAX_COMMENT_QUERIES = 5
# Issue 6's, kept for reference: what a public read costs, cold (every request) or warm (a hit).
MAX_QUERIES = 5
MAX_RSS_MB = 150
MIN_IMPORT_POSTS_PER_S = 500
MAX_IMPORT_MB = 250  # the importer and its conversion workers together, whatever the file's size


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
    varnish: dict = field(default_factory=dict)  # Varnish's counters over the run (bench/run.py)


def describe_machine(database_url, redis_url, varnishd=None):
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
        "gunicorn": version([sys.executable, "-m", "gunicorn", "--version"]),
        "postgresql": postgresql_version(database_url),
        "redis": redis_version(redis_url) if redis_url else "not used",
        "wrk": version(["wrk", "--version"]).split(" [")[0],
        "varnish": version([varnishd, "-V"]) if varnishd else "not used",
        "commit": version(["git", "-C", str(ROOT), "describe", "--always", "--dirty"]),
    }


def evaluate_targets(rows, imports):
    """Each target of issue 12 against this run: measured value, met or not, or not measured."""
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
        short = [f"{row.scenario} ({row.cache}) ×{row.ratio:.3f}" for row in measured if row.ratio < minimum]
        targets.append(
            {
                "target": name,
                "status": "met" if not short else "missed",
                "detail": (f"lowest: {worst.scenario} ({worst.cache}) ×{worst.ratio:.3f}")
                + (f"; below: {', '.join(short)}" if short else "")
                + (f"; not measured: {', '.join(missing)}" if missing else ""),
            }
        )
    creation = [row for row in rows if row.queries is not None and row.scenario == "api-comment-create"]
    if creation:
        worst = max(creation, key=lambda row: row.queries)
        targets.append(
            {
                "target": f"Comment creation in at most {MAX_COMMENT_QUERIES} SQL queries",
                "status": "met" if worst.queries <= MAX_COMMENT_QUERIES else "missed",
                "detail": ", ".join(f"{row.cache} {row.queries}" for row in creation)
                + " (the task queue's row apart, as the test counts)",
            }
        )
    else:
        targets.append(
            {
                "target": f"Comment creation in at most {MAX_COMMENT_QUERIES} SQL queries",
                "status": "not measured",
                "detail": "",
            }
        )
    public = [row for row in rows if row.queries is not None and row.scenario in READS]
    if public:
        worst = max(public, key=lambda row: row.queries)
        over = [f"{row.scenario} ({row.cache}) {row.queries}" for row in public if row.queries > MAX_QUERIES]
        targets.append(
            {
                "target": f"At most {MAX_QUERIES} SQL queries per public read (issue 6, for reference)",
                "status": "met" if not over else "missed",
                "detail": f"highest: {worst.scenario} ({worst.cache}) {worst.queries}"
                + (f"; over: {', '.join(over)}" if over else ""),
            }
        )
    else:
        targets.append(
            {
                "target": f"At most {MAX_QUERIES} SQL queries per public read (issue 6, for reference)",
                "status": "not measured",
                "detail": "",
            }
        )
    rss = [row.peak_rss_mb for row in rows if row.peak_rss_mb]
    targets.append(
        {
            "target": f"Peak RSS per worker < {MAX_RSS_MB} MB",
            "status": ("met" if max(rss) < MAX_RSS_MB else "missed") if rss else "not measured",
            "detail": f"highest: {max(rss):.0f} MB" if rss else "",
        }
    )
    # Throughput once started, on the generated file: the theme unit test's 58 posts are
    # otherwise all Python and Django start-up (reported, not judged).
    measured = [item for item in imports if item.get("posts_per_s_net")]
    judged = [item for item in measured if item.get("generated", True)]
    slowest = min((i["posts_per_s_net"] for i in judged), default=None)
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
    memory = [item for item in measured if item.get("tree_pss_mb")]
    largest = max((i["tree_pss_mb"] for i in memory), default=None)
    targets.append(
        {
            "target": f"Import peak memory < {MAX_IMPORT_MB} MB (importer and workers)",
            "status": "not measured" if largest is None else "met" if largest < MAX_IMPORT_MB else "missed",
            "detail": ", ".join(
                f"{i['file']}: {i['tree_pss_mb']:.0f} MB PSS ({i['tree_rss_mb']:.0f} MB RSS summed, "
                f"{i.get('workers', 0)} workers)"
                for i in memory
            ),
        }
    )
    return targets


def fmt(value, pattern):
    return "–" if value is None else pattern.format(value)


def row_line(row):
    if row.status != "ok":
        return f"   {row.label:<36} {row.status}: {row.note}"
    return (
        f"   {row.label:<36} {fmt(row.requests_per_s, '{:8.1f}')} req/s"
        f"  p50 {fmt(row.p50_ms, '{:7.2f}')} ms"
        f"  p99 {fmt(row.p99_ms, '{:7.2f}')} ms  ×{fmt(row.ratio, '{:.3f}')}  {row.note}"
    )


def cpu_note(item):
    """The CPU time of an import and its workers, with the posts per CPU-second it makes."""
    if not item.get("cpu_seconds"):
        return ""
    return (
        f", CPU {item['cpu_seconds']:.0f} s ({item['posts'] / item['cpu_seconds']:.0f} posts per CPU-second)"
    )


def import_line(result):
    if result["status"] != "ok":
        return f"   {result['file']:<36} {result['status']}: {result.get('note', '')}"
    return (
        f"   {result['file']:<36} {result['posts']} posts in {result['seconds']:.1f} s = "
        f"{result['posts_per_s']:.0f} posts/s ({result['posts_per_s_net']:.0f} without start-up), "
        f"peak RSS {result['peak_rss_mb']:.0f} MB, with {result.get('workers', 0)} workers "
        f"{fmt(result.get('tree_pss_mb'), '{:.0f}')} MB PSS"
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
        f"PostgreSQL {machine['postgresql']}, Redis {machine['redis']}, {machine['wrk']}, "
        f"Varnish {machine.get('varnish', 'not used')}",
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
        *varnish_lines(settings),
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
            f"| {row['label']} | {row['cache']} | {fmt(row['requests_per_s'], '{:.1f}')} "
            f"| {fmt(row['p50_ms'], '{:.2f}')} | {fmt(row['p99_ms'], '{:.2f}')} "
            f"| {fmt(row['queries'], '{}')} | {fmt(row['ratio'], '{:.3f}')} "
            f"| {fmt(row['peak_rss_mb'], '{:.0f}')} | {row['note']} |"
        )
    lines += ["", "## WordPress import", ""]
    if results["imports"]:
        lines += [
            "| File | Posts | Comments | Seconds | Posts/s | Posts/s, start-up excluded | Peak RSS MB |"
            " Peak with workers, PSS / RSS summed MB | Workers | Notes |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for item in results["imports"]:
            if item["status"] != "ok":
                lines.append(f"| {item['file']} | {item['status']} | | | | | | | | {item.get('note', '')} |")
                continue
            lines.append(
                f"| {item['file']} | {item['posts']} | {item['comments']} | {item['seconds']:.1f} "
                f"| {item['posts_per_s']:.0f} | {item['posts_per_s_net']:.0f} | {item['peak_rss_mb']:.0f} "
                f"| {fmt(item.get('tree_pss_mb'), '{:.0f}')} / {fmt(item.get('tree_rss_mb'), '{:.0f}')} "
                f"| {item.get('workers', 0)} | start-up {item['startup_seconds']:.1f} s"
                f"{cpu_note(item)} |"
            )
    else:
        lines.append("Not run (--skip-import).")
    lines += ["", "## Targets (issue 12)", "", "| Target | Status | Detail |", "| --- | --- | --- |"]
    for target in results["targets"]:
        lines.append(f"| {target['target']} | {target['status']} | {target['detail']} |")
    return "\n".join(lines) + "\n"


def varnish_lines(settings):
    """How the varnish rows were measured, for the header (nothing when they were not)."""
    backend = settings.get("varnish_backend_cache")
    if not backend:
        return []
    encoding = settings.get("varnish_accept_encoding")
    asked = (
        f"with `Accept-Encoding: {encoding}`, as browsers send (Varnish keeps answers compressed:"
        if encoding
        else "with no Accept-Encoding (so Varnish decompresses every answer it sends:"
    )
    return [
        "Varnish: Varnish 7 with deploy/varnish/plume.vcl (bench/varnish.py) in front of the gunicorn of",
        f"that configuration (CACHE_URL={backend}), its requests {asked}",
        "--varnish-accept-encoding), otherwise the same wrk settings: with few connections the rate",
        "through Varnish may be bound by wrk and the loopback round trip (a floor of what Varnish serves).",
        "Its ratios are to the baseline of gunicorn reached directly (its first row, and a baseline run",
        "after each scenario): issue 12's \"≥ 3× the baseline\". Each scenario's second warm-up request",
        "was a hit (X-Cache, X-Varnish) unless its note says otherwise; the note gives varnishstat's",
        "share of hits over the measured run.",
    ]


def split_results_md(text):
    """(load tables, WordPress section, notes) of a RESULTS.md; each part "" when absent."""
    notes = ""
    if NOTES_MARKER in text:
        text, notes = text.split(NOTES_MARKER, 1)
    wordpress = ""
    if WORDPRESS_BEGIN in text and WORDPRESS_END in text:
        before, rest = text.split(WORDPRESS_BEGIN, 1)
        wordpress, after = rest.split(WORDPRESS_END, 1)
        text = before + after
    return text.strip("\n"), wordpress.strip("\n"), notes


def write_results(output, *, tables=None, wordpress=None):
    """
    Rewrite bench/RESULTS.md and results.json in `output`: the load tables and `results`
    of `make bench`, or the WordPress section and its results; the other part and the
    notes are kept as they are.
    """
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    results_md, results_json = output / "RESULTS.md", output / "results.json"
    old_tables, old_wordpress, notes = split_results_md(results_md.read_text() if results_md.exists() else "")
    try:
        data = json.loads(results_json.read_text()) if results_json.exists() else {}
    except ValueError:
        data = {}
    if tables is not None:
        markdown, results = tables
        data = results | ({"wordpress": data["wordpress"]} if "wordpress" in data else {})
        old_tables = markdown.strip("\n")
    if wordpress is not None:
        markdown, comparison = wordpress
        data["wordpress"] = comparison
        old_wordpress = markdown.strip("\n")
    parts = [old_tables or "# Benchmark results"]
    if old_wordpress:
        parts.append(f"{WORDPRESS_BEGIN}\n{old_wordpress}\n{WORDPRESS_END}")
    results_md.write_text("\n\n".join(parts) + "\n\n" + NOTES_MARKER + (notes or "\n"))
    results_json.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return results_md, results_json


def publish(output, **part):
    """write_results(), then show the part just written and where it went."""
    results_md, results_json = write_results(output, **part)
    ((markdown, _),) = part.values()
    print()
    print(markdown)
    print(f"Written: {results_md} and {results_json}")
