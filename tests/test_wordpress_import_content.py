"""WordPress content as Plume stores it: Markdown that renders like the original did."""

import random
from datetime import UTC, datetime

from bench import french
from core.markdown import render
from wordpress.html import (
    comment_to_markdown,
    html_to_markdown,
    parsed_comment_to_markdown,
    plain_comment_markdown,
    wpautop,
)
from wordpress.wxr import parse_date


def rendered(html):
    return str(render(html_to_markdown(html)))


def test_wpautop_makes_paragraphs_from_blank_lines_and_breaks_from_single_newlines():
    assert wpautop("Un.\nDeux.\n\nTrois.") == "<p>Un.<br />\nDeux.</p>\n<p>Trois.</p>"


def test_wpautop_leaves_block_elements_and_preformatted_text_alone():
    html = wpautop("Avant.\n<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n<pre>ligne 1\n\nligne 3</pre>\nAprès.")
    assert "<p><ul>" not in html
    assert "<pre>ligne 1\n\nligne 3</pre>" in html
    assert "<p>Avant.</p>" in html
    assert "<p>Après.</p>" in html


def test_classic_paragraphs_survive_the_conversion():
    assert rendered("Premier.\n\nSecond.") == "<p>Premier.</p>\n<p>Second.</p>"


def test_gutenberg_content_loses_its_block_comments_but_keeps_its_html():
    html = (
        '<!-- wp:heading {"level":3} -->\n<h3 class="wp-block-heading">Titre</h3>\n<!-- /wp:heading -->\n\n'
        '<!-- wp:paragraph -->\n<p>Un <a href="https://example.org/">lien</a>.</p>\n<!-- /wp:paragraph -->'
    )
    markdown = html_to_markdown(html)
    assert markdown == "### Titre\n\nUn [lien](https://example.org/).\n"


def test_headings_become_atx_headings_that_feed_the_table_of_contents():
    result = render(html_to_markdown("<h2>Première partie</h2>\nTexte.\n<h2>Seconde partie</h2>\nSuite."))
    assert [entry["title"] for entry in result.toc] == ["Première partie", "Seconde partie"]


def test_shortcodes_are_left_visible():
    html = rendered('[gallery ids="1,2"]\n\n[embed]https://example.org/video[/embed]')
    assert '[gallery ids="1,2"]' in html
    assert "[embed]https://example.org/video[/embed]" in html


def test_text_that_looks_like_markup_is_shown_not_interpreted():
    html = rendered("<p>Écrire &lt;script&gt;alert(1)&lt;/script&gt; et *pas* d’italique.</p>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html
    assert "<em>" not in html


def test_text_starting_like_a_list_or_heading_stays_a_paragraph():
    html = rendered("<p>1. Ceci n’est pas une liste.</p><p># Ni un titre.</p>")
    assert "<ol>" not in html
    assert "<h1" not in html
    assert "<p>1. Ceci n’est pas une liste.</p>" in html
    assert "<p># Ni un titre.</p>" in html


def test_code_blocks_become_fenced_code():
    html = rendered("<pre><code>print('bonjour')\n\nprint('fin')</code></pre>")
    assert "<pre><code>print('bonjour')\n\nprint('fin')\n</code></pre>" in html


def test_embedded_players_become_links():
    markdown = html_to_markdown('<iframe src="https://www.youtube.com/embed/xyz"></iframe>')
    assert markdown.strip() == "<https://www.youtube.com/embed/xyz>"


def test_more_and_page_break_markers_are_dropped():
    assert (
        html_to_markdown("Début.\n<!--more-->\nSuite.\n<!--nextpage-->\nFin.") == "Début.\n\nSuite.\n\nFin.\n"
    )


def test_comments_keep_links_and_emphasis():
    assert comment_to_markdown('Merci <a href="https://x.example">ici</a>, <em>vraiment</em>.') == (
        "Merci [ici](https://x.example), *vraiment*."
    )


def test_plain_prose_comments_skip_the_html_parser_for_the_same_markdown():
    rng = random.Random(12)
    texts = [french.comment_body(rng) for _ in range(200)]
    texts += ["Un.\nDeux.\n\n\nTrois.", "Peut-être  bien\n", "C’est « oui » ! (ou [non])", "a\n\n", "x  \ny"]
    # Then what must go through the parser: markup, entities, escapes, lists, quotes, headings,
    # indented lines, tabs and no-break spaces, and random mixes of them with prose.
    texts += ["<b>a</b>", "R&D", "a*b*", "snake_case", "1. un", "- un", "> cité", "# titre", " retrait"]
    texts += ["a\tb", "a\xa0b", "code `x`", "a\\b", "Titre\n===", "3) trois", "a\n+ b"]
    alphabet = [*"ab é’«».,;:!?()[]{}|~^$@§'\"%/-+#=>0123456789*_&<\\`\t\r\xa0", "\n", "\n\n", "  "]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(3000)]

    plain = [text for text in texts if plain_comment_markdown(text) is not None]
    for text in plain:
        assert plain_comment_markdown(text) == parsed_comment_to_markdown(text), text
        assert comment_to_markdown(text) == parsed_comment_to_markdown(text)
    # Most generated comments take the short way; none of the hand-made markup does.
    assert sum(plain_comment_markdown(text) is not None for text in texts[:200]) > 150
    assert all(plain_comment_markdown(text) is None for text in texts[205:221])
    assert len(plain) > 500


def test_dates_prefer_gmt_then_local_then_rfc822():
    assert parse_date("2024-05-12 08:30:00", "2024-05-12 10:30:00") == datetime(
        2024, 5, 12, 8, 30, tzinfo=UTC
    )
    # Drafts: GMT 0000-00-00, the local date is read in the site's time zone (Europe/Paris).
    assert parse_date("0000-00-00 00:00:00", "2024-06-01 10:00:00") == datetime(2024, 6, 1, 8, 0, tzinfo=UTC)
    assert parse_date("", "", "Sun, 12 May 2024 08:30:00 +0000") == datetime(2024, 5, 12, 8, 30, tzinfo=UTC)
    assert parse_date("0000-00-00 00:00:00", "0000-00-00 00:00:00", "Thu, 01 Jan 1970 00:00:00 +0000")
    assert parse_date("0000-00-00 00:00:00", "garbage") is None


def test_nested_lists_stay_nested():
    html = rendered("<ol><li>un<ul><li>a</li><li>b<ol><li>profond</li></ol></li></ul></li><li>deux</li></ol>")
    assert html == (
        "<ol>\n<li>un<ul>\n<li>a</li>\n<li>b<ol>\n<li>profond</li>\n</ol>\n</li>\n</ul>\n</li>\n<li>deux</li>\n</ol>"
    )


def test_url_alone_on_its_line_becomes_a_link_where_wordpress_embedded_it():
    html = rendered("Regardez :\n\nhttps://youtu.be/ex_8fM?t=1\n\nFin.")
    assert '<a href="https://youtu.be/ex_8fM?t=1" rel="noopener">https://youtu.be/ex_8fM?t=1</a>' in html
