"""
The import benchmark: `manage.py import_wordpress` on the theme unit test export and on a
generated one, each into a fresh copy of a migrated template database, timed on the wall
clock and without the command's start-up.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.databases import create_database, database_name, drop_database, with_database
from bench.report import import_line
from bench.server import ROOT, manage, probe, python

THEME_UNIT_TEST = ROOT.parent / "shared" / "data" / "wordpress-theme-unit-test.xml"


def run_imports(args, base_env, info):
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
    template_url = with_database(database_url, database_name(database_url) + "_import_template")
    target_url = with_database(database_url, database_name(database_url) + "_import")
    create_database(template_url)
    manage(base_env | {"DATABASE_URL": template_url}, "migrate", "--noinput")
    results = []
    # What every run of the command pays before reading the file: Python, Django, the command.
    started = time.monotonic()
    probe(base_env | {"DATABASE_URL": template_url}, "startup")
    startup = time.monotonic() - started
    with tempfile.TemporaryDirectory(prefix="plume-bench-wxr-") as scratch:
        for label, path in files:
            if path is None:
                path = Path(scratch) / "generated.xml"
                python(base_env, "-m", "bench.wxr", str(path), "--posts", str(args.import_posts))
            result = {"file": label, "path": str(path), "generated": label.startswith("Generated")}
            if not path.exists():
                results.append(result | {"status": "not available", "note": f"{path} is missing"})
                continue
            create_database(target_url, template=template_url)
            env = base_env | {"DATABASE_URL": target_url, "CACHE_URL": "locmem://"}
            result |= _timed_import(env, path, timeout=args.import_timeout)
            if result["status"] == "ok":
                counts = probe(env, "count-posts")
                result["posts"] = counts["posts"]
                result["comments"] = counts["comments"]
                result["posts_per_s"] = counts["posts"] / result["seconds"]
                result["startup_seconds"] = startup
                result["posts_per_s_net"] = counts["posts"] / max(result["seconds"] - startup, 0.001)
            results.append(result)
            print(import_line(result))
    drop_database(target_url)
    return results


def _timed_import(env, path, *, timeout):
    command = [sys.executable, "manage.py", "import_wordpress", str(path)]
    with tempfile.TemporaryFile("w+") as output:
        started = time.monotonic()
        process = subprocess.Popen(  # noqa: S603 - our own fixed command line
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        timed_out = False
        tree_rss = tree_pss = workers = 0
        while True:
            # wait4 rather than wait: it gives the child's peak memory too.
            pid, wait_status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            # The importer and its conversion workers together, sampled (the workers come and go).
            pids = process_tree(process.pid)
            workers = max(workers, len(pids) - 1)
            tree_rss = max(tree_rss, sum(_proc_kb(pid, "status", "VmRSS:") for pid in pids))
            tree_pss = max(tree_pss, sum(_proc_kb(pid, "smaps_rollup", "Pss:") for pid in pids))
            if time.monotonic() - started > timeout and not timed_out:
                timed_out = True
                process.kill()
            time.sleep(0.1)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(wait_status)
        output.seek(0)
        text = output.read()
    result = {
        "seconds": seconds,
        "peak_rss_mb": usage.ru_maxrss / 1024,  # the importing process alone
        # With its workers: resident memory summed (pages they share counted in each), and the
        # proportional set size summed (shared pages divided between them: what they use together).
        "tree_rss_mb": max(tree_rss / 1024, usage.ru_maxrss / 1024),
        "tree_pss_mb": tree_pss / 1024,
        "workers": workers,
        # CPU time of the importer and its workers (reaped by it): what the shared machine's load
        # does not change, unlike the wall clock.
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
    }
    if timed_out:
        return result | {"status": "failed", "note": f"stopped after {timeout} s (--import-timeout)"}
    if process.returncode != 0:
        last = text.strip().splitlines()[-1] if text.strip() else ""
        return result | {"status": "failed", "note": f"exit {process.returncode}: {last[:200]}"}
    return result | {"status": "ok"}


def process_tree(pid):
    """`pid` and its descendants, from /proc (Linux)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo.extend(int(child) for child in children.read().split())
        except OSError:
            continue
    return found


def _proc_kb(pid, name, field):
    """A kB figure of /proc/PID/NAME (0 once the process is gone)."""
    try:
        with open(f"/proc/{pid}/{name}") as lines:
            for line in lines:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0
