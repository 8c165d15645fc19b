import html
import re
from pathlib import Path

import pytest

from comments.forms import CommentForm
from core.markdown import AUTHOR_ID_PREFIX, author_id, plain_text, render
from tests.factories import PostFactory

FRENCH_ARTICLE = """Introduction.

## La compétition des géants : un paysage dominé

### Les forces en présence

## Mistral AI : des atouts qui font la différence

## La compétition des géants : un paysage dominé
"""


def test_headings_get_readable_ascii_ids_with_accents_folded():
    html = render(FRENCH_ARTICLE)
    assert 'id="la-competition-des-geants-un-paysage-domine"' in html
    assert 'id="mistral-ai-des-atouts-qui-font-la-difference"' in html


def test_repeated_heading_gets_a_distinct_id():
    toc = render(FRENCH_ARTICLE).toc
    ids = [entry["id"] for entry in toc]
    assert ids[0] == "la-competition-des-geants-un-paysage-domine"
    assert ids[2] != ids[0]
    assert ids[2].startswith("la-competition-des-geants-un-paysage-domine")


def test_toc_is_nested_by_level_and_keeps_accented_titles():
    toc = render(FRENCH_ARTICLE).toc
    assert [entry["level"] for entry in toc] == [2, 2, 2]
    assert toc[0]["title"] == "La compétition des géants : un paysage dominé"
    assert toc[0]["children"] == [
        {"id": "les-forces-en-presence", "title": "Les forces en présence", "level": 3, "children": []}
    ]


def test_script_tags_are_removed_with_their_content():
    html = render("Bonjour <script>alert('x')</script> le monde")
    assert "<script" not in html
    assert "alert" not in html


def test_event_handlers_are_stripped():
    html = render('<img src="/a.png" onerror="alert(1)"> <p onclick="alert(2)">x</p>')
    assert "onerror" not in html
    assert "onclick" not in html
    assert '<img src="/a.png">' in html


def test_javascript_urls_are_stripped():
    html = render('[clic](javascript:alert(1)) <a href="JaVaScRiPt:alert(2)">b</a>')
    assert "javascript" not in html.lower()


def test_external_links_get_rel_noopener():
    html = render("[Mistral](https://mistral.ai)")
    assert '<a href="https://mistral.ai" rel="noopener">Mistral</a>' in html


def test_tables_fenced_code_and_footnotes_render():
    html = render(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nx = 1\n```\n\nTexte[^n]\n\n[^n]: Une note.\n"
    )
    assert "<table>" in html
    assert '<code class="language-python">' in html
    assert 'id="fn:n"' in html


def test_word_count_and_reading_time():
    rendered = render(" ".join(["mot"] * 461))
    assert rendered.word_count == 461
    assert rendered.reading_time == 3


def test_comment_subset_keeps_emphasis_links_and_code_but_no_headings_images_or_html():
    html = render(
        "# Titre\n\n*oui* `code` [lien](https://exemple.fr) ![img](https://x/y.png) <b>gras</b>", comment=True
    )
    assert "<h1" not in html
    assert "<img" not in html
    assert "<b>" not in html
    assert "<em>oui</em>" in html
    assert "<code>code</code>" in html
    assert 'rel="nofollow ugc noopener"' in html


def test_inline_code_in_a_comment_is_escaped_once():
    html = render("Évitez `<script>` et `a & b` ici, écrivez 1 < 2.", comment=True)
    assert "<code>&lt;script&gt;</code>" in html
    assert "<code>a &amp; b</code>" in html
    assert "&amp;lt;" not in html
    assert plain_text(html) == "Évitez <script> et a & b ici, écrivez 1 < 2."


# Author ids and the site's own ids ------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
# The comment thread's markup is written by Python, not by a template.
THREAD_RENDERER = ROOT / "comments" / "rendering.py"


def ids_the_templates_define():
    """
    Every id in templates/ and in the thread's renderer, with `{{ … }}` (or f-string `{…}`)
    parts as a sample value, and the comment form's field ids.
    """
    found = set()
    for template in TEMPLATES.rglob("*.html"):
        for value in re.findall(r'\bid="([^"]+)"', template.read_text()):
            found.add(re.sub(r"\{\{.*?\}\}", "12", value))
    for value in re.findall(r'\bid="([^"]+)"', THREAD_RENDERER.read_text()):
        found.add(re.sub(r"\{[^}]*\}", "12", value))
    found.update(CommentForm().auto_id % name for name in CommentForm.base_fields)
    return found


SITE_ID_SAMPLES = sorted(ids_the_templates_define())


def test_every_id_the_templates_define_is_kept_from_authors():
    assert {"comments", "respond", "content", "commentform", "comment-12", "id_body"} <= set(SITE_ID_SAMPLES)
    assert [site_id for site_id in SITE_ID_SAMPLES if author_id(site_id) == site_id] == []


def toc_ids(toc):
    for node in toc:
        yield node["id"]
        yield from toc_ids(node["children"])


@pytest.mark.parametrize("site_id", SITE_ID_SAMPLES)
def test_author_markdown_never_gives_an_element_an_id_of_the_site(site_id):
    title = site_id.replace("-", " ").replace("_", " ")
    rendered = render(
        f"## {title}\n\n## Autre {{#{site_id}}}\n\n"
        f'<div id="{site_id}">bloc</div>\n\n<h3 id="{site_id}">brut</h3>\n\n'
        f'Un <a name="{site_id}">ancre</a> et [un lien](#{site_id}).'
    )
    assert f'id="{site_id}"' not in rendered
    assert f'name="{site_id}"' not in rendered
    assert f'href="#{site_id}"' in rendered  # a link to the site's own section still works
    ids = list(toc_ids(rendered.toc))
    assert site_id not in ids
    assert f"{AUTHOR_ID_PREFIX}{site_id}" in ids
    for heading_id in ids:
        assert f'id="{heading_id}"' in rendered  # the Sommaire's links reach their headings


MARKUP_IN_HEADINGS = [
    "## Titre *emph* {#x}",
    "## Titre **gras** et `code` {#titre-code}",
    "## Un `<code>` et <b>du HTML</b>",
    "## Entité {#a&amp;b}",
    "## HTML dans l’id {#a<b>c}",
    "## Que du HTML {#<i>}",
    "## Échappé {#a\\_b}",
    "## Caractère de contrôle {#a\x01b}",
    "## Référence &#1; à un contrôle",
    "## Note[^n] et <span>span</span> {#note}\n\n[^n]: La note.",
    "Setext *emph* {#setext}\n-----",
]


@pytest.mark.parametrize("source", MARKUP_IN_HEADINGS)
def test_a_heading_with_markup_leaves_no_placeholder_or_control_character_in_the_toc(source):
    rendered = render(source)
    [node] = rendered.toc
    for value in (node["id"], node["title"]):
        assert not re.search("[\x00-\x1f\x7f]", value), value
        assert "wzxhzdk" not in value and "klzzwxh" not in value, value
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", rendered)
    assert f'id="{html.escape(node["id"], quote=True)}"' in rendered


def test_heading_ids_written_with_markup_are_their_text():
    assert [node["id"] for node in render("## Titre *emph* {#x}").toc] == ["x"]
    assert [node["id"] for node in render("## Entité {#a&amp;b}").toc] == ["a&b"]
    assert [node["id"] for node in render("## Que du HTML {#<i>}").toc] == ["que-du-html"]
    assert [node["title"] for node in render("## Un `<code>` et <b>du HTML</b>").toc] == [
        "Un <code> et du HTML"
    ]


@pytest.mark.django_db
def test_a_post_page_has_each_of_its_own_ids_once_whatever_the_author_wrote(client):
    post = PostFactory(body='## Commentaires {#comments}\n\n## Respond\n\n<div id="content">x</div>\n')
    page = client.get(post.get_absolute_url()).content.decode()
    for site_id in ("comments", "respond", "content"):
        assert page.count(f'id="{site_id}"') == 1, site_id
    assert f'href="#{AUTHOR_ID_PREFIX}comments"' in page  # the Sommaire follows the heading
