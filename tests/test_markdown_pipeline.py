from core.markdown import render

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
