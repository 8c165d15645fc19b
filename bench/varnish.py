"""
Varnish 7 (Debian's varnishd and varnish-modules' xkey) with the shipped
deploy/varnish/plume.vcl, on a free port in front of a Plume on loopback: what
`make bench` measures through, and what tests/test_varnish_in_front.py tests.
"""

import glob
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.server import ROOT, BenchError, HttpServer, free_port, stop

VARNISHD = shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin")
STATS_ATTEMPTS = 6
VARNISHSTAT = shutil.which("varnishstat") or shutil.which("varnishstat", path="/usr/bin")
XKEY = glob.glob("/usr/lib/*/varnish/vmods/libvmod_xkey.so") + glob.glob(
    "/usr/lib/varnish/vmods/libvmod_xkey.so"
)
VCL = ROOT / "deploy" / "varnish" / "plume.vcl"
# The backend the shipped VCL names, replaced by the port of the Plume under test.
SHIPPED_BACKEND = '.port = "8000";'


def available():
    """Whether varnishd and its xkey module are installed (Debian: varnish, varnish-modules)."""
    return bool(VARNISHD and XKEY)


def vcl_for(backend_port):
    """The shipped VCL, its backend pointed at 127.0.0.1:backend_port."""
    vcl = VCL.read_text()
    if SHIPPED_BACKEND not in vcl:
        raise BenchError(f"{VCL} no longer names its backend as {SHIPPED_BACKEND}")
    return vcl.replace(SHIPPED_BACKEND, f'.port = "{backend_port}";')


class Varnish(HttpServer):
    """varnishd in the foreground on `port` (a free one by default), in front of backend_port."""

    def __init__(self, backend_port, *, port=None, storage="malloc,64m", startup_timeout=30):
        self.backend_port, self.port = backend_port, port or free_port()
        self.storage, self.startup_timeout = storage, startup_timeout
        self.process = self.workdir = self.log = None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        if not available():
            raise BenchError(
                "varnishd or its xkey module is not installed (apt-get install varnish varnish-modules)"
            )
        # Not a private temporary directory: varnishd, started as root, reads its files as an
        # unprivileged user.
        self.workdir = Path(tempfile.mkdtemp(prefix="plume-varnish-"))
        self.workdir.chmod(0o755)
        vcl = self.workdir / "plume.vcl"
        vcl.write_text(vcl_for(self.backend_port))
        vcl.chmod(0o644)
        self.log = (self.workdir / "varnishd.log").open("w")
        command = [
            VARNISHD, "-n", str(self.instance), "-F", "-a", f"127.0.0.1:{self.port}", "-f", str(vcl),
            "-s", self.storage,
        ]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)  # noqa: S603
        deadline = time.monotonic() + self.startup_timeout
        while True:
            if self.process.poll() is not None:
                log = (self.workdir / "varnishd.log").read_text()[-1500:]
                self.__exit__(None, None, None)
                raise BenchError(f"varnishd exited ({self.process.returncode}): {log}")
            status, _ = self.request("GET", "/robots.txt", timeout=2)
            if status is not None:
                return self
            if time.monotonic() > deadline:
                self.__exit__(None, None, None)
                raise BenchError(f"varnishd did not answer within {self.startup_timeout} s")
            time.sleep(0.2)

    def __exit__(self, *exc):
        stop(self.process, timeout=15)
        if self.log:
            self.log.close()
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    @property
    def instance(self):
        return self.workdir / "instance"

    # Each worker thread adds its own counts to the totals only from time to time (Varnish's
    # wthread_stats_rate): right after requests, some of them may not show yet.

    def settled_stats(self):
        """The counters once two readings agree: what was sent before is all counted."""
        return self._stats_once(lambda last, now: now == last)

    def stats_after(self, before, requests):
        """The counters once they count at least `requests` more client requests than `before`."""
        return self._stats_once(
            lambda last, now: now.get("MAIN.client_req", 0) - before.get("MAIN.client_req", 0) >= requests
        )

    def _stats_once(self, done, *, timeout=5.0):
        """Read the counters every 0.2 s until `done(previous or None, current)`, for `timeout` s at most."""
        deadline = time.monotonic() + timeout
        last = None
        while True:
            now = self.stats()
            if not now or done(last, now) or time.monotonic() > deadline:
                return now
            last = now
            time.sleep(0.2)

    def stats(self):
        """Varnish's own counters (cache hits, misses, passes, backend requests): {name: value}."""
        if not VARNISHSTAT:
            return {}
        wanted = ("MAIN.cache_hit", "MAIN.cache_miss", "MAIN.s_pass", "MAIN.backend_req", "MAIN.client_req")
        # On a loaded machine varnishstat may not get hold of the shared memory at once: ask again.
        for attempt in range(STATS_ATTEMPTS):
            if attempt:
                time.sleep(0.5)
            completed = subprocess.run(  # noqa: S603 - our own fixed command line
                [VARNISHSTAT, "-n", str(self.instance), "-1", "-j"],
                capture_output=True, text=True, timeout=30, check=False,
            )  # fmt: skip
            try:
                data = json.loads(completed.stdout)
            except ValueError:
                continue
            counters = data.get("counters", data)  # varnishstat 7 nests them under "counters"
            found = {name: counters[name]["value"] for name in wanted if isinstance(counters.get(name), dict)}
            if len(found) == len(wanted):
                return found
        return {}
