"""What the tests that import small WXR files of their own share."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Import reports are asserted in their source language, whatever the site's default."""
    with translation.override("en"):
        yield


def wxr_writer(tmp_path, head):
    """A function writing `head` + body + the closing tags to a file, returning its path."""

    def write(body):
        path = tmp_path / "export.xml"
        path.write_text(head + body + "</channel></rss>\n", encoding="utf-8")
        return path

    return write
