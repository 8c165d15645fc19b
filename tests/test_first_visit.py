"""The first visit: `make run` installs the runtime only and shows the admin login just before the address."""

import re
from io import StringIO
from pathlib import Path

from django.core.management import load_command_class

ROOT = Path(__file__).resolve().parent.parent


def test_the_demo_login_is_the_last_thing_before_the_servers_address(monkeypatch):
    monkeypatch.setenv(
        "PLUME_DEMO_NOTICE", "Demo blog ready. Admin login:\n    user: admin    password: s3cret"
    )
    command = load_command_class("blog", "demo_server")
    out = StringIO()
    command.stdout = type(command.stdout)(out)
    command.addr, command.port, command._raw_ipv6, command.protocol = "127.0.0.1", "8000", False, "http"
    command.on_bind(8000)
    lines = out.getvalue().splitlines()
    address = next(i for i, line in enumerate(lines) if line.startswith("Starting development server at"))
    assert lines[address - 1] == "    user: admin    password: s3cret"
    assert lines[address] == "Starting development server at http://127.0.0.1:8000/"


def test_make_run_installs_the_runtime_requirements_and_make_test_the_development_ones():
    makefile = (ROOT / "Makefile").read_text()
    activate = re.search(r"^\$\(BIN\)/activate:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert activate, "the venv target"
    assert "-r requirements.txt" in activate.group(1)
    assert "requirements-dev.txt" not in activate.group(1)
    run = re.search(r"^run: (.*)$", makefile, re.M).group(1)
    test = re.search(r"^test: (.*)$", makefile, re.M).group(1)
    assert "$(BIN)/activate" in run and "$(DEV)" not in run
    assert "$(DEV)" in test
    assert "requirements-dev.txt" in re.search(r"^\$\(DEV\):.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
