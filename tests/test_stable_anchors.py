"""
Table-of-contents anchors survive heading edits: the first time a heading is saved
its id is kept with the post (or page); a renamed, moved or promoted heading keeps
it, so a link to `#une-section` shared last month still lands. Where a heading
gets another id (an author's `{#id}`), the old one is still in the page. The API's
table of contents carries the stable ids; a restored revision keeps them too.
"""

import copy
import re

import pytest
from django.urls import reverse

from blog.models import Page, Post, Status
from blog.services import page_create, page_update, post_create, post_update, revision_restore
from core.anchors import match, records_from_toc
from core.markdown import render

from .admin_support import post_form_data

pytestmark = pytest.mark.django_db


def ids(html):
    return re.findall(r'<h[1-6] id="([^"]+)"', html)


def toc_ids(toc):
    found = []
    for node in toc:
        found.append(node["id"])
        found.extend(toc_ids(node["children"]))
    return found


BODY = "## Une section\n\nTexte.\n\n## Autre chose\n\nSuite.\n\n### Détail\n\nFin.\n"


# The pipeline: pure, the known anchors passed in


def test_without_known_anchors_headings_get_their_usual_ids():
    rendered = render(BODY)

    assert ids(rendered) == ["une-section", "autre-chose", "detail"]
    assert [record["id"] for record in rendered.anchors] == ["une-section", "autre-chose", "detail"]


def test_a_renamed_heading_keeps_its_first_id():
    first = render(BODY)

    renamed = render(BODY.replace("Une section", "Une section bien nommée"), anchors=first.anchors)

    assert ids(renamed) == ["une-section", "autre-chose", "detail"]
    assert '<h2 id="une-section">Une section bien nommée</h2>' in renamed
    assert renamed.toc[0] == {
        "id": "une-section",
        "title": "Une section bien nommée",
        "level": 2,
        "children": [],
    }


def test_a_heading_rewritten_in_place_keeps_its_id():
    first = render(BODY)

    rewritten = render(BODY.replace("Autre chose", "Pourquoi nous écrivons"), anchors=first.anchors)

    assert ids(rewritten) == ["une-section", "autre-chose", "detail"]


def test_moved_promoted_and_new_headings():
    first = render(BODY)
    text = (
        "## Tout nouveau\n\nA.\n\n## Détail\n\nFin.\n\n## Autre chose\n\nSuite.\n\n## Une section\n\nTexte.\n"
    )

    second = render(text, anchors=first.anchors)

    # "Détail" moved up a level and to the second place; "Tout nouveau" is new.
    assert ids(second) == ["tout-nouveau", "detail", "autre-chose", "une-section"]


def test_a_new_heading_that_takes_a_renamed_ones_former_text_is_a_new_heading():
    first = render("## Installation\n\nA.\n")
    renamed = render("## Installation rapide\n\nA.\n", anchors=first.anchors)

    both = render("## Installation\n\nB.\n\n## Installation rapide\n\nA.\n", anchors=renamed.anchors)

    assert ids(both) == ["installation_1", "installation"]
    assert '<h2 id="installation">Installation rapide</h2>' in both


def test_a_heading_given_another_id_keeps_the_old_one_as_an_anchor_in_it():
    first = render(BODY)

    chosen = render(BODY.replace("## Une section", "## Une section {#ma-section}"), anchors=first.anchors)

    assert '<h2 id="ma-section"><span id="une-section"></span>Une section</h2>' in chosen
    assert chosen.toc[0]["id"] == "ma-section"
    assert chosen.anchors[0]["aliases"] == ["une-section"]
    # And later saves keep landing both.
    again = render(BODY.replace("## Une section", "## Une section {#ma-section}"), anchors=chosen.anchors)
    assert '<span id="une-section"></span>' in again


def test_an_old_id_another_element_now_holds_is_not_repeated():
    first = render("## Alpha\n\nA.\n")
    moved = render("## Alpha {#beta}\n\nA.\n", anchors=first.anchors)
    assert '<span id="alpha"></span>' in moved

    taken = render("## Alpha {#beta}\n\nA.\n\n## Alpha seul {#alpha}\n\nB.\n", anchors=moved.anchors)

    assert taken.count('id="alpha"') == 1


def test_rendering_stays_pure():
    first = render(BODY)
    known = copy.deepcopy(first.anchors)
    text = BODY.replace("Une section", "Une section bien nommée")

    one, two = render(text, anchors=known), render(text, anchors=known)

    assert known == first.anchors
    assert str(one) == str(two) and one.anchors == two.anchors and one.toc == two.toc
    one.anchors[0]["id"] = "changed"
    assert render(text, anchors=known).anchors[0]["id"] == "une-section"


def test_hostile_old_ids_are_sanitized_like_the_rest():
    known = [{"id": 'x" onclick="alert(1)', "level": 2, "titles": ["Titre"], "aliases": ["comments"]}]

    rendered = render("## Titre {#autre}\n\nA.\n", anchors=known)

    assert "onclick=" not in rendered.replace("onclick=&quot;", "")
    assert 'id="comments"' not in rendered  # a site id stays the site's


def test_match_pairs_each_record_once():
    records = records_from_toc(render("## A\n\n## A\n\n## B\n").toc)

    assert match(records, [("A", 2), ("A", 2), ("A", 2), ("B", 2)]) == [0, 1, None, 2]
    # As many headings as before: the third, rewritten in place, is B's.
    assert match(records, [("A", 2), ("A", 2), ("A", 2)]) == [0, 1, 2]


def test_records_from_a_nested_table_of_contents_keep_its_order():
    toc = render("## Un\n\n### Un point un\n\n## Deux\n").toc

    assert [record["id"] for record in records_from_toc(toc)] == ["un", "un-point-un", "deux"]


# Kept with the post, whatever saves it


def test_the_post_keeps_its_anchors_through_the_services_and_the_api(client, api_client, author_user):
    post = post_create(by=author_user, title="Ancres", body=BODY, status=Status.PUBLISHED)

    post_update(post=post, by=author_user, body=BODY.replace("## Une section", "## Une section, revue"))

    stored = Post.objects.get(pk=post.pk)
    assert toc_ids(stored.toc) == ["une-section", "autre-chose", "detail"]
    page = client.get(post.get_absolute_url()).content.decode()
    assert '<h2 id="une-section">Une section, revue</h2>' in page
    assert 'href="#une-section"' in page  # the page's own table of contents
    api = api_client.get(f"/api/v1/posts/{post.slug}/").json()
    assert api["toc"][0] == {"id": "une-section", "title": "Une section, revue", "level": 2, "children": []}


def test_the_admin_form_keeps_them_too(client, author_user):
    post = post_create(by=author_user, title="Par l’admin", body=BODY)
    client.force_login(author_user)

    client.post(
        reverse("admin:blog_post_change", args=[post.pk]),
        post_form_data(post, body=BODY.replace("Une section", "Une section renommée")),
    )

    post.refresh_from_db()
    assert "renommée" in post.body
    assert toc_ids(post.toc)[0] == "une-section"


def test_a_restored_revision_keeps_the_ids(author_user):
    post = post_create(by=author_user, title="Historique", body=BODY)
    first = post.revisions.get()
    post_update(post=post, by=author_user, body=BODY.replace("## Une section", "## Un tout autre titre"))
    post_update(
        post=Post.objects.get(pk=post.pk),
        by=author_user,
        body="## Un tout autre titre\n\nTexte.\n\n## Ajout\n\nX.\n\n## Autre chose\n\nSuite.\n",
    )

    revision_restore(revision=first, by=author_user)

    restored = Post.objects.get(pk=post.pk)
    assert restored.body == BODY
    assert ids(restored.body_html) == ["une-section", "autre-chose", "detail"]


def test_pages_keep_their_anchors(editor):
    page = page_create(by=editor, title="Guide", body=BODY)

    page_update(page=page, by=editor, body=BODY.replace("Autre chose", "Autre chose encore"))

    assert toc_ids(Page.objects.get(pk=page.pk).toc) == ["une-section", "autre-chose", "detail"]


def test_anchors_are_not_part_of_a_revision_and_not_in_the_api(author_user, api_client):
    post = post_create(by=author_user, title="Privé", body=BODY, status=Status.PUBLISHED)

    assert "anchors" not in post.revisions.get().data
    assert "anchors" not in api_client.get(f"/api/v1/posts/{post.slug}/").json()


def test_a_blank_body_renders_with_no_anchors_whatever_was_rendered_before():
    render("## Une section\n\ntexte")
    for blank in ("", "   \n"):
        rendered = render(blank, anchors=[])
        assert (str(rendered), rendered.toc, rendered.anchors) == ("", [], [])
