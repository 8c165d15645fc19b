"""
The benchmark's Varnish configuration: the shipped VCL in front of a server on loopback,
a scenario measured through it proves its hits (the warm-up's X-Cache and X-Varnish,
varnishstat's counters over the run). A stand-in backend (no Django, no database) keeps it
quick; skipped where varnishd or its xkey module is absent (and the wrk run where wrk is).
"""

import shutil
import threading
from argparse import Namespace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.run import Scenario, _run_scenario, varnish_delta, varnish_hit_note, varnish_note
from bench.server import BenchError, HttpServer
from bench.varnish import SHIPPED_BACKEND, VCL, Varnish, available, vcl_for

needs_varnish = pytest.mark.skipif(not available(), reason="needs varnishd and its xkey module")


class Backend(BaseHTTPRequestHandler):
    """/cached/ as Plume answers a public page; anything else with no Cache-Control."""

    seen = []

    def do_GET(self):
        Backend.seen.append(self.path)
        body = b"<p>Bonjour</p>" * 100
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if self.path == "/cached/":
            self.send_header("Cache-Control", "public, max-age=60, s-maxage=60, stale-while-revalidate=30")
            self.send_header("xkey", "home")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class BackendServer(HttpServer):
    env = {}

    def __init__(self, port):
        self.port = port

    def peak_rss_mb(self):
        return None


@pytest.fixture
def backend():
    Backend.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Backend)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield BackendServer(server.server_address[1])
    server.shutdown()
    server.server_close()


def test_the_shipped_vcl_is_pointed_at_the_server_under_test():
    vcl = vcl_for(18000)
    assert '.port = "18000";' in vcl and SHIPPED_BACKEND not in vcl
    assert vcl.replace('.port = "18000";', SHIPPED_BACKEND) == VCL.read_text()


def test_a_vcl_that_no_longer_names_its_backend_is_a_clear_error(monkeypatch, tmp_path):
    changed = tmp_path / "plume.vcl"
    changed.write_text(VCL.read_text().replace(SHIPPED_BACKEND, '.port = "8080";'))
    monkeypatch.setattr("bench.varnish.VCL", changed)
    with pytest.raises(BenchError, match="no longer names its backend"):
        vcl_for(18000)


def test_a_hit_is_told_from_a_miss_or_a_pass_by_its_headers():
    assert varnish_hit_note(200, {"X-Cache": "HIT", "X-Varnish": "32770 3"}, b"") == ""
    note = varnish_hit_note(200, {"X-Cache": "PASS", "X-Varnish": "5", "Cache-Control": "private"}, b"")
    assert note == "not a hit at warm-up (HTTP 200, X-Cache PASS, Cache-Control private)"
    # A hit has two transaction ids: this one's and the one that fetched the object.
    assert varnish_hit_note(200, {"X-Cache": "HIT", "X-Varnish": "7"}, b"").startswith("not a hit")


def test_varnish_counters_over_a_run_give_the_share_of_hits():
    names = ("MAIN.cache_hit", "MAIN.cache_miss", "MAIN.s_pass", "MAIN.backend_req", "MAIN.client_req")
    before = dict(zip(names, (10, 2, 0, 2, 12), strict=True))
    after = dict(zip(names, (1009, 3, 0, 3, 1012), strict=True))
    delta = varnish_delta(before, after)
    assert delta == {"hits": 999, "misses": 1, "passes": 0, "backend": 1, "requests": 1000}
    assert varnish_note(delta) == "Varnish: 99.9% hits, 1 requests to gunicorn"
    assert varnish_delta({}, after) == {}
    assert varnish_note({}) == "varnishstat: no counters"


@needs_varnish
def test_varnish_in_front_keeps_public_answers_and_passes_the_others(backend):
    with Varnish(backend.port) as varnish:
        assert varnish.port != backend.port
        varnish.request("GET", "/cached/")
        assert varnish_hit_note(*varnish.fetch("GET", "/cached/")) == ""
        varnish.request("GET", "/plain/")
        assert varnish_hit_note(*varnish.fetch("GET", "/plain/")).startswith("not a hit")
        assert Backend.seen.count("/cached/") == 1 and Backend.seen.count("/plain/") == 2
        stats = varnish.stats_after({}, 4)  # the four requests above, once Varnish has counted them
        assert stats["MAIN.cache_hit"] >= 1 and stats["MAIN.backend_req"] >= 3
        workdir = varnish.workdir
    assert not workdir.exists()


@needs_varnish
@pytest.mark.skipif(not shutil.which("wrk"), reason="needs wrk")
def test_a_scenario_measured_through_varnish_is_served_from_its_cache(backend):
    args = Namespace(threads=1, connections=2, warmup=0, duration=1, varnish_accept_encoding="gzip")
    scenario = Scenario("home", "Home page", "/cached/")
    with Varnish(backend.port) as varnish:
        row = _run_scenario(args, backend, scenario, "varnish", "/cached/", front=varnish)
    assert row.status == "ok" and row.requests > 100
    # Every request wrk completed was a hit (Varnish may count one more it cut short).
    assert row.varnish["hits"] >= row.requests
    assert row.varnish["misses"] == row.varnish["passes"] == row.varnish["backend"] == 0
    assert row.note == "Varnish: 100.0% hits, 0 requests to gunicorn"
    # Fetched once at warm-up, then only Varnish's health probes reached the backend.
    assert Backend.seen.count("/cached/") == 1
