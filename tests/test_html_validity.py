"""
Every public page type is valid HTML for the Nu Html Checker (vnu.jar, the W3C validator).

The jar comes from npm (`vnu-jar`, pinned in package.json, installed by `make test`) and
runs on the machine's Java; without either the test is skipped and says why.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .page_set import make_site

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

pytestmark = [
    pytest.mark.skipif(shutil.which("java") is None, reason="no Java (apt-get install default-jre-headless)"),
    pytest.mark.skipif(
        not VNU_JAR.exists(), reason="no vnu.jar (npm ci --ignore-scripts, as `make test` does)"
    ),
    pytest.mark.django_db,
]


# Warnings that name a real fault of the markup (issue 16: every article and section has a heading).
WARNINGS_THAT_COUNT = ("lacks heading",)


def validate(files):
    """vnu's errors for `files`, with the warnings that count (the others are advice)."""
    result = subprocess.run(
        ["java", "-Xss4m", "-jar", str(VNU_JAR), "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stderr)["messages"]
    return [
        message
        for message in messages
        if message["type"] != "info" or any(warning in message["message"] for warning in WARNINGS_THAT_COUNT)
    ]


def test_every_public_page_type_is_valid_html(client, tmp_path):
    pages = make_site()
    files = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "404" else 200), name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files[str(path)] = name
    errors = [
        f"{files.get(message['url'].removeprefix('file:'), message['url'])}:{message.get('lastLine')}: "
        f"{message['message']} [{message.get('extract', '').strip()}]"
        for message in validate(files)
    ]
    assert errors == []


def test_a_post_open_for_a_reply_is_valid_html_too(client, tmp_path):
    pages = make_site()
    response = client.get(pages["post"] + "?replytocom=1")
    path = tmp_path / "reply.html"
    path.write_bytes(response.content)
    assert [message["message"] for message in validate([path])] == []
