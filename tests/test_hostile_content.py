"""No hostile input survives as live markup, through any field a stranger or an author controls."""

import pytest

from blog.markdown import render

from .xss_payloads import PAYLOADS, live_markup_in


def test_corpus_is_large_enough_to_matter():
    assert len(PAYLOADS) >= 60


def test_auditor_catches_live_script_markup():
    assert live_markup_in("<script>x</script>") == ["<script>"]
    assert live_markup_in('<a href=" java&#x09;script:x">') == ["<a href=javascript:x…>"]
    assert live_markup_in("<p>&lt;script&gt;</p>") == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_post_markdown_never_renders_live_script(payload):
    assert live_markup_in(render(f"Texte avant.\n\n{payload}\n\nTexte après.")) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_comment_markdown_never_renders_live_script(payload):
    assert live_markup_in(render(payload, comment=True)) == []
