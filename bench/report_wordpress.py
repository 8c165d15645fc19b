"""
The WordPress side by side's results: Plume's rate over WordPress's for each scenario and
round, their median, and the section of bench/RESULTS.md that shows them (written by
bench/report.py's write_results, between its WordPress markers).
"""

import statistics

from bench.report import fmt


def ratio(plume_rps, wordpress_rps):
    """Plume's rate over WordPress's: 2.0 serves twice as many requests per second."""
    if not plume_rps or not wordpress_rps:
        return None
    return plume_rps / wordpress_rps


def median(values):
    measured = [value for value in values if value is not None]
    return statistics.median(measured) if measured else None


def summarize_comparison(scenarios, rounds):
    """Per scenario: the Plume/WordPress ratio of each round, and the medians."""
    summary = []
    for scenario in scenarios:
        runs = [run for run in rounds if run["scenario"] == scenario["key"]]
        ratios = [run["ratio"] for run in runs]
        notes = [scenario.get("note", "")]
        for side in ("plume", "wordpress"):
            failed = sum(run[side].get("non_2xx", 0) + run[side].get("socket_errors", 0) for run in runs)
            if failed:
                notes.append(f"{side}: {failed} answers not 2xx/3xx or lost, not counted")
        summary.append(
            {
                "scenario": scenario["key"],
                "label": scenario["label"],
                "status": scenario["status"],
                "note": "; ".join(note for note in notes if note),
                "ratios": ratios,
                "median_ratio": median(ratios),
                "plume_median_rps": median([run["plume"].get("requests_per_s") for run in runs]),
                "wordpress_median_rps": median([run["wordpress"].get("requests_per_s") for run in runs]),
                "plume_median_p50_ms": median([run["plume"].get("p50_ms") for run in runs]),
                "wordpress_median_p50_ms": median([run["wordpress"].get("p50_ms") for run in runs]),
            }
        )
    return summary


def render_wordpress_markdown(comparison):
    """The section `make bench-wordpress` writes into bench/RESULTS.md."""
    machine, settings, wp = comparison["machine"], comparison["settings"], comparison["wordpress"]
    dataset = comparison["dataset"]
    rounds = settings["rounds"]
    lines = [
        "## WordPress side by side",
        "",
        f"Run of {comparison['date']} (commit {machine['commit']}), written by `make bench-wordpress` "
        "(bench/compare.py).",
        "",
        f"- Same machine, same content: {dataset['posts']} published posts, {dataset['comments']} approved "
        f"comments ({dataset['big_post_comments']} on one post), made by bench/generate.py for Plume and "
        f"loaded into WordPress with its own functions ({_load_line(wp.get('load'))}).",
        f"- Plume: gunicorn, {settings['workers']} sync workers, DEBUG off, no cache (CACHE_URL=dummy://), "
        f"PostgreSQL {machine['postgresql']}, Python {machine['python']}, Django {machine['django']}.",
        f"- WordPress {wp['version']} (Debian), theme {wp['theme']}, language {wp['language'] or 'en_US'}: "
        f"nginx {wp['nginx']} and php-fpm (PHP {wp['php']}, `pm = static`, {settings['php_children']} "
        f"children, OPcache {'on' if wp['opcache'] else 'OFF'}), MariaDB {wp['mariadb']}; no page cache "
        "and no persistent object cache, WP-Cron off during the run.",
        f"- Load: wrk, {settings['threads']} thread, {settings['connections']} connections, "
        f"{settings['duration_s']} s per scenario after {settings['warmup_s']} s of warm-up, on loopback; "
        f"{rounds} round{'s' if rounds > 1 else ''}, the two sides alternately for each scenario "
        "(Plume first in odd rounds, WordPress first in even ones).",
        "",
        "A ratio is Plume's requests per second over WordPress's in the same round: 2.0 means Plume",
        "serves twice as many. The median is over the rounds.",
        "",
        "| Scenario | Plume URL | WordPress URL | "
        + " | ".join(f"Round {n}" for n in range(1, rounds + 1))
        + " | Median | Plume req/s | WordPress req/s | Plume p50 ms | WordPress p50 ms | Notes |",
        "| --- | --- | --- | "
        + " | ".join("---:" for _ in range(rounds))
        + " | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    paths = {scenario["key"]: scenario for scenario in comparison["scenarios"]}
    for item in comparison["summary"]:
        scenario = paths[item["scenario"]]
        urls = f"`{scenario['plume_path']}` | `{scenario['wordpress_path']}`"
        if item["status"] != "ok":
            lines.append(
                f"| {item['label']} | {urls} | "
                + " | " * rounds
                + f"{item['status']} | | | | | {item['note']} |"
            )
            continue
        cells = [fmt(value, "{:.2f}") for value in item["ratios"]]
        cells += [""] * (rounds - len(cells))
        lines.append(
            f"| {item['label']} | {urls} | {' | '.join(cells)} | **{fmt(item['median_ratio'], '{:.2f}')}** "
            f"| {fmt(item['plume_median_rps'], '{:.1f}')} | {fmt(item['wordpress_median_rps'], '{:.1f}')} "
            f"| {fmt(item['plume_median_p50_ms'], '{:.1f}')} "
            f"| {fmt(item['wordpress_median_p50_ms'], '{:.1f}')} "
            f"| {item['note']} |"
        )
    lines += [
        "",
        "Warm-up answers (one request each, before the rounds), and the seconds of each run: the",
        "default, or more where one answer is slow, for about ten answers a run.",
        "",
        "| Scenario | Plume KB | WordPress KB | Comments shown, Plume / WordPress | Seconds per run |",
        "| --- | ---: | ---: | --- | ---: |",
    ]
    for scenario in comparison["scenarios"]:
        shown = scenario.get("comments_shown") or {}
        comments = f"{shown['plume']} / {shown['wordpress']}" if shown else ""
        lines.append(
            f"| {scenario['label']} | {fmt(scenario.get('plume_kb'), '{:.1f}')} "
            f"| {fmt(scenario.get('wordpress_kb'), '{:.1f}')} | {comments} "
            f"| {fmt(scenario.get('duration_s'), '{}')} |"
        )
    peak = comparison.get("peak_rss_mb") or {}
    lines += [
        "",
        f"Peak RSS per worker (VmHWM): Plume {fmt(peak.get('plume'), '{:.0f}')} MB (gunicorn), "
        f"WordPress {fmt(peak.get('wordpress'), '{:.0f}')} MB (php-fpm; MariaDB and nginx not included).",
    ]
    target = comparison.get("target")
    if target:
        lines += [
            "",
            f"Target (issue 12): Plume uncached ≥ {target['minimum']:g}× WordPress uncached in every "
            f"scenario: **{target['status']}** ({target['detail']}).",
        ]
    return "\n".join(lines) + "\n"


def _load_line(load):
    if not load:
        return "loaded by an earlier run"
    return f"{load['posts']} posts and {load['comments']} comments in {load['seconds']:.0f} s"


def comparison_target(summary, minimum):
    measured = [item for item in summary if item["median_ratio"] is not None]
    if not measured:
        return {"minimum": minimum, "status": "not measured", "detail": ""}
    short = [
        f"{item['scenario']} {item['median_ratio']:.2f}×"
        for item in measured
        if item["median_ratio"] < minimum
    ]
    worst = min(measured, key=lambda item: item["median_ratio"])
    return {
        "minimum": minimum,
        "status": "met" if not short else "missed",
        "detail": f"lowest median: {worst['scenario']} {worst['median_ratio']:.2f}×"
        + (f"; below: {', '.join(short)}" if short else ""),
    }
