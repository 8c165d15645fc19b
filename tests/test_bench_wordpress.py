"""
The WordPress side by side (`make bench-wordpress`): its private server configuration,
the content it hands WordPress, and how it reports Plume/WordPress ratios. The full run
is not a test (minutes of load); these are the parts that decide whether it is right.
"""

import json
import shutil
import subprocess
from argparse import Namespace

import pytest

from bench.compare import MAX_DURATION, PAIRS, _warm_up, scenario_duration
from bench.report import NOTES_MARKER, WORDPRESS_BEGIN, write_results
from bench.report_wordpress import (
    comparison_target,
    median,
    ratio,
    render_wordpress_markdown,
    summarize_comparison,
)
from bench.wordpress_site import PHP_FPM, nginx_config, php_fpm_config, wp_config


def test_nginx_passes_the_host_header_with_its_port_to_wordpress(tmp_path):
    config = nginx_config(tmp_path, docroot=tmp_path / "wordpress", port=18080, socket=tmp_path / "fpm.sock")
    assert "fastcgi_param HTTP_HOST $http_host;" in config
    # Debian's fastcgi_params sends `$host` (no port): WordPress on :18080 would redirect forever.
    assert "$host;" not in config
    assert "fastcgi_params" not in config
    assert "listen 127.0.0.1:18080;" in config
    assert f"fastcgi_pass unix:{tmp_path / 'fpm.sock'};" in config
    assert "try_files $uri $uri/ /index.php?$args;" in config, "pretty permalinks"
    assert f"pid {tmp_path}/nginx.pid;" in config


@pytest.mark.skipif(
    not shutil.which("nginx"), reason="nginx is not installed (bench/wordpress.sh installs it)"
)
def test_the_nginx_configuration_is_accepted_by_nginx(tmp_path):
    (tmp_path / "nginx.conf").write_text(
        nginx_config(tmp_path, docroot=tmp_path, port=18080, socket=tmp_path / "fpm.sock")
    )
    checked = subprocess.run(
        ["nginx", "-t", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr


def test_php_fpm_runs_a_static_pool_of_two_children_with_opcache(tmp_path):
    config = php_fpm_config(tmp_path, socket=tmp_path / "fpm.sock", children=2)
    assert "pm = static" in config
    assert "pm.max_children = 2" in config
    assert "php_admin_value[opcache.enable] = 1" in config
    assert "daemonize = no" in config
    assert f"listen = {tmp_path / 'fpm.sock'}" in config


@pytest.mark.skipif(
    not shutil.which(PHP_FPM), reason="php-fpm is not installed (bench/wordpress.sh installs it)"
)
def test_the_php_fpm_configuration_is_accepted_by_php_fpm(tmp_path):
    (tmp_path / "php-fpm.conf").write_text(php_fpm_config(tmp_path, socket=tmp_path / "fpm.sock", children=2))
    checked = subprocess.run(
        [PHP_FPM, "--test", "--fpm-config", str(tmp_path / "php-fpm.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr + checked.stdout


def test_wp_config_names_its_database_and_url_and_keeps_cron_and_network_out(tmp_path):
    config = wp_config(database="plume_bench_wordpress", home="http://127.0.0.1:18080")
    assert "define('DB_NAME', 'plume_bench_wordpress');" in config
    assert "define('WP_HOME', 'http://127.0.0.1:18080');" in config
    assert "define('DISABLE_WP_CRON', true);" in config
    assert "define('WP_HTTP_BLOCK_EXTERNAL', true);" in config
    if shutil.which("php"):
        (tmp_path / "wp-config.php").write_text(config)
        linted = subprocess.run(
            ["php", "-l", str(tmp_path / "wp-config.php")], capture_output=True, check=False
        )
        assert linted.returncode == 0


def test_ratio_is_plume_over_wordpress_and_missing_when_either_side_has_no_rate():
    assert ratio(120.0, 40.0) == 3.0
    assert ratio(None, 40.0) is None
    assert ratio(120.0, None) is None
    assert ratio(120.0, 0) is None


def test_median_leaves_out_rounds_that_measured_nothing():
    assert median([3.0, None, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0]) == 2.5
    assert median([None]) is None


def runs(scenario, pairs, errors=0):
    return [
        {
            "round": number,
            "scenario": scenario,
            "plume": {"requests_per_s": plume, "p50_ms": 10.0, "non_2xx": 0, "socket_errors": 0},
            "wordpress": {"requests_per_s": wordpress, "p50_ms": 50.0, "non_2xx": errors, "socket_errors": 0},
            "ratio": ratio(plume, wordpress),
        }
        for number, (plume, wordpress) in enumerate(pairs, start=1)
    ]


SCENARIOS = [
    {"key": "home", "label": "Home page", "status": "ok", "plume_path": "/", "wordpress_path": "/"},
    {
        "key": "big-post", "label": "Post page with 500 comments", "status": "not available",
        "note": "the data set has no 'big_post_slug'", "plume_path": "/{big_post_slug}/",
        "wordpress_path": "/{big_post_slug}/",
    },
]  # fmt: skip


def test_summary_gives_each_rounds_ratio_and_their_median():
    rounds = runs("home", [(100.0, 20.0), (90.0, 30.0), (110.0, 10.0)], errors=1)
    home, big = summarize_comparison(SCENARIOS, rounds)
    assert home["ratios"] == [5.0, 3.0, 11.0]
    assert home["median_ratio"] == 5.0
    assert home["plume_median_rps"] == 100.0
    assert home["wordpress_median_rps"] == 20.0
    assert home["note"] == "wordpress: 3 answers not 2xx/3xx or lost, not counted"
    assert big["status"] == "not available"
    assert big["median_ratio"] is None


def test_the_target_of_ten_times_wordpress_is_checked_on_the_medians():
    summary = summarize_comparison(SCENARIOS, runs("home", [(100.0, 20.0)]))
    target = comparison_target(summary, 10)
    assert target["status"] == "missed"
    assert "home 5.00×" in target["detail"]
    assert (
        comparison_target(summarize_comparison(SCENARIOS, runs("home", [(300.0, 20.0)])), 10)["status"]
        == "met"
    )


def comparison():
    rounds = runs("home", [(100.0, 20.0), (90.0, 30.0), (110.0, 10.0)])
    summary = summarize_comparison(SCENARIOS, rounds)
    return {
        "date": "2026-12-01T09:00:00+00:00",
        "machine": {"commit": "abc123", "postgresql": "15", "python": "3.11", "django": "5.2"},
        "settings": {
            "rounds": 3,
            "duration_s": 5,
            "warmup_s": 1,
            "connections": 2,
            "threads": 1,
            "workers": 2,
            "php_children": 2,
        },  # fmt: skip
        "dataset": {"posts": 2000, "comments": 20000, "big_post_comments": 500},
        "wordpress": {
            "version": "6.1.9",
            "php": "8.2",
            "opcache": True,
            "nginx": "1.22.1",
            "mariadb": "10.11",
            "theme": "twentytwentythree",
            "language": "fr_FR",
            "load": {"posts": 2150, "comments": 20000, "seconds": 40.0},
        },  # fmt: skip
        "scenarios": [SCENARIOS[0] | {"plume_kb": 14.0, "wordpress_kb": 60.0, "duration_s": 5}, SCENARIOS[1]],
        "rounds": rounds,
        "summary": summary,
        "target": comparison_target(summary, 10),
    }


def test_the_wordpress_section_shows_each_round_the_median_and_what_was_not_measured():
    text = render_wordpress_markdown(comparison())
    assert text.startswith("## WordPress side by side")
    assert "| Round 1 | Round 2 | Round 3 | Median |" in text
    assert "| Home page | `/` | `/` | 5.00 | 3.00 | 11.00 | **5.00** | 100.0 | 20.0 |" in text
    assert "not available" in text and "the data set has no 'big_post_slug'" in text
    assert "OPcache on" in text and "`pm = static`, 2 children" in text
    assert "**missed**" in text


def test_each_writer_keeps_the_other_part_of_the_results_and_the_notes(tmp_path):
    (tmp_path / "RESULTS.md").write_text(
        f"# Benchmark results\n\nold tables\n\n{NOTES_MARKER}\n## Notes\nkept\n"
    )
    write_results(tmp_path, wordpress=("## WordPress side by side\n\nratios\n", {"summary": []}))
    write_results(tmp_path, tables=("# Benchmark results\n\nnew tables\n", {"rows": [1]}))
    text = (tmp_path / "RESULTS.md").read_text()
    assert "new tables" in text and "old tables" not in text
    assert (
        text.index("new tables")
        < text.index(WORDPRESS_BEGIN)
        < text.index("ratios")
        < text.index(NOTES_MARKER)
    )
    assert text.endswith(f"{NOTES_MARKER}\n## Notes\nkept\n")
    assert json.loads((tmp_path / "results.json").read_text()) == {"rows": [1], "wordpress": {"summary": []}}

    write_results(tmp_path, wordpress=("## WordPress side by side\n\nnew ratios\n", {"summary": [2]}))
    text = (tmp_path / "RESULTS.md").read_text()
    assert "new ratios" in text and "\nratios" not in text and text.count(WORDPRESS_BEGIN) == 1
    assert "new tables" in text and "kept" in text
    assert json.loads((tmp_path / "results.json").read_text())["rows"] == [1]


class FakeServer:
    def __init__(self, answers):
        self.answers = answers

    def request(self, method, path, body=None, *, timeout=30):
        return self.answers.get(path, (404, b""))


def pair(key):
    return next(pair for pair in PAIRS if pair.key == key)


def test_the_rest_scenario_asks_wordpress_for_the_same_post_by_its_wordpress_id():
    values = {"sample_post_slug": "un-article-7", "sample_post_wp_id": 10}
    plume = FakeServer({"/api/v1/posts/un-article-7/": (200, b"{}")})
    wordpress = FakeServer({"/wp-json/wp/v2/posts/10": (200, b"{}")})
    scenario = _warm_up(pair("api-detail"), plume, wordpress, values)
    assert scenario["status"] == "ok"
    assert scenario["wordpress_path"] == "/wp-json/wp/v2/posts/10"


def test_a_wordpress_redirect_at_warm_up_is_a_failure_naming_the_side():
    values = {"sample_post_slug": "un-article-7"}
    plume = FakeServer({"/un-article-7/": (200, b"<html></html>")})
    wordpress = FakeServer({"/un-article-7/": (301, b"")})
    scenario = _warm_up(pair("post"), plume, wordpress, values)
    assert scenario["status"] == "failed"
    assert scenario["note"].startswith("wordpress: HTTP 301")


def test_the_big_post_scenario_is_not_available_without_a_big_post_and_counts_comments_otherwise():
    plume, wordpress = FakeServer({}), FakeServer({})
    assert _warm_up(pair("big-post"), plume, wordpress, {})["status"] == "not available"
    page = b'<li id="comment-1"></li><li id="comment-2"></li>'
    answers = FakeServer({"/b-3/": (200, page)})
    scenario = _warm_up(pair("big-post"), answers, answers, {"big_post_slug": "b-3"})
    assert scenario["comments_shown"] == {"plume": 2, "wordpress": 2}


def test_slow_scenarios_run_long_enough_for_several_answers_but_not_forever():
    args = Namespace(duration=5, connections=2)
    assert scenario_duration(args, {"plume_warmup_s": 0.05, "wordpress_warmup_s": 0.2}) == 5
    assert scenario_duration(args, {"plume_warmup_s": 0.4, "wordpress_warmup_s": 1.5}) == 8
    assert scenario_duration(args, {"plume_warmup_s": 0.4, "wordpress_warmup_s": 14.0}) == MAX_DURATION


def test_wordpress_gets_the_generated_data_set_with_parents_before_children(db):
    from bench.export import export
    from bench.generate import generate
    from blog.models import Post
    from comments.models import Comment

    from .test_bench_generator import SMALL, quiet

    info = generate(SMALL, log=quiet)
    content = export()
    assert content["marker"]["posts"] == SMALL.posts
    assert len(content["posts"]) == SMALL.posts + SMALL.drafts + SMALL.scheduled
    assert {post["status"] for post in content["posts"]} == {"publish", "draft", "future"}
    assert len(content["bodies"]) == SMALL.bodies, "each distinct body written once"
    assert len(content["comments"]) == Comment.objects.approved().count() == SMALL.comments
    assert len(content["authors"]) == SMALL.authors and len(content["tags"]) == SMALL.tags

    seen = set()
    for category in content["categories"]:
        assert category["parent"] is None or category["parent"] in seen
        seen.add(category["id"])
    seen = set()
    for comment in content["comments"]:
        assert comment["parent"] is None or comment["parent"] in seen
        seen.add(comment["id"])

    sample = next(post for post in content["posts"] if post["slug"] == info["sample_post_slug"])
    plume = Post.objects.get(slug=info["sample_post_slug"])
    assert content["bodies"][sample["body"]] == plume.body_html
    assert sample["excerpt"] == plume.summary
    assert sorted(sample["tags"]) == sorted(plume.tags.values_list("pk", flat=True))
    assert sample["date_gmt"] == plume.published_at.strftime("%Y-%m-%d %H:%M:%S")


def test_a_run_counts_only_successful_answers_and_no_latency_wrk_did_not_keep():
    from bench.compare import _figures

    result = {
        "requests": 12, "duration_us": 4_000_000, "p50_us": 0, "p99_us": 0, "errors_status": 4,
        "errors_connect": 0, "errors_read": 0, "errors_write": 0, "errors_timeout": 2,
    }  # fmt: skip
    figures = _figures(result)
    assert figures["requests_per_s"] == 2.0
    assert figures["p50_ms"] is None and figures["p99_ms"] is None
    assert figures["non_2xx"] == 4 and figures["socket_errors"] == 2
