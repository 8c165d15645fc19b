"""
Every save of a post or a page through the services (admin, API, publishing,
restore) keeps a revision; the admin lists, compares and restores them; the API
shows them to those who may edit the post, and to nobody else; they are never
public; `prune_revisions` keeps the last N and every published version.
"""

import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from authors import roles
from blog.models import Page, Post, Revision, Status
from blog.revisions import compare, fields_of, snapshot, summarize, word_diff
from blog.services import (
    page_create,
    page_update,
    post_create,
    post_publish,
    post_update,
    revision_restore,
    revisions_prune,
)

from .admin_support import post_form_data
from .factories import CategoryFactory, PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def words(n, start=0):
    return " ".join(f"mot{i}" for i in range(start, start + n))


# Recording


def test_every_service_save_of_a_post_keeps_a_revision_with_what_readers_and_editors_see(author_user):
    category, tag = CategoryFactory(name="Science"), TagFactory(name="IA")
    post = post_create(
        by=author_user,
        title="Premier jet",
        body="Un texte.",
        categories=[category],
        tags=[tag],
        seo_title="SEO",
    )
    post_update(post=post, by=author_user, title="Second jet", featured_image_url="https://example.org/a.png")
    post_publish(post=post, by=author_user)

    revisions = list(post.revisions.order_by("created_at", "pk"))
    assert len(revisions) == 3
    first, second, third = (revision.data for revision in revisions)
    assert first["title"] == "Premier jet" and first["body"] == "Un texte."
    assert first["categories"] == [{"id": category.pk, "name": "Science"}]
    assert first["tags"] == [{"id": tag.pk, "name": "IA"}]
    assert first["seo_title"] == "SEO" and first["status"] == Status.DRAFT
    assert set(first) >= {
        "slug",
        "excerpt",
        "published_at",
        "featured_image",
        "meta_description",
        "canonical_url",
    }
    assert second["featured_image_url"] == "https://example.org/a.png"
    assert third["status"] == Status.PUBLISHED and third["published_at"]
    assert all(revision.user == author_user for revision in revisions)
    with translation.override("en"):
        assert summarize(revisions[0]) == "Created"
        assert summarize(revisions[1]) == "Title, featured image URL"
        assert summarize(revisions[2]) == "Status: Draft → Published, publication date"
    assert revisions[2].status == Status.PUBLISHED


def test_every_service_save_of_a_page_keeps_a_revision(editor):
    page = page_create(by=editor, title="À propos", body="Qui sommes-nous.")
    page_update(page=page, by=editor, body="Qui sommes-nous, vraiment.")

    assert [r.data["body"] for r in page.revisions.order_by("created_at", "pk")] == [
        "Qui sommes-nous.",
        "Qui sommes-nous, vraiment.",
    ]


def test_a_refused_save_keeps_no_revision(contributor):
    post = post_create(by=contributor, title="Brouillon", body="Texte.")
    with pytest.raises((PermissionDenied, ValidationError)):
        post_update(post=post, by=contributor, status=Status.PUBLISHED)

    assert post.revisions.count() == 1


def test_saving_in_the_admin_keeps_a_revision(client, author_user):
    client.force_login(author_user)
    response = client.post(reverse("admin:blog_post_add"), post_form_data(title="Depuis l’admin"))
    assert response.status_code == 302
    post = Post.objects.get()
    client.post(
        reverse("admin:blog_post_change", args=[post.pk]),
        post_form_data(post, body="Un autre corps de texte."),
    )

    assert post.revisions.count() == 2
    assert post.revisions.first().data["body"] == "Un autre corps de texte."
    assert post.revisions.first().user == author_user


# Comparing


def test_the_body_is_compared_word_by_word_and_escaped():
    diff = word_diff("Un chat <b>noir</b> dort.", "Un chien <b>noir</b> dort bien.")

    assert "<del>chat </del><ins>chien </ins>" in diff
    assert "&lt;b&gt;noir&lt;/b&gt;" in diff
    assert "<del>dort.</del><ins>dort bien.</ins>" in diff


def test_comparing_two_revisions_of_a_5000_word_post_answers_well_under_a_second(author_user):
    body = words(5000)
    post = post_create(by=author_user, title="Long", body=body)
    edited = (
        body.replace("mot100 ", "MOT100 ").replace("mot2500 ", "").replace("mot4999", "mot4999 et la fin")
    )
    post_update(post=post, by=author_user, body=edited + "\n\n" + words(300, start=9000))
    new, old = post.revisions.all()[:2]

    started = time.perf_counter()
    rows = compare(old.data, new.data, fields_of(post))
    elapsed = time.perf_counter() - started

    body_row = next(row for row in rows if row["name"] == "body")
    assert "<ins>MOT100 </ins>" in body_row["diff"]
    assert elapsed < 0.5, elapsed


def test_comparing_two_unrelated_5000_word_bodies_also_answers_under_a_second(author_user):
    post = post_create(by=author_user, title="Réécrit", body=words(5000))
    post_update(post=post, by=author_user, body=words(5000, start=20000))
    new, old = post.revisions.all()[:2]

    started = time.perf_counter()
    compare(old.data, new.data, fields_of(post))
    assert time.perf_counter() - started < 1


def test_the_admin_lists_and_compares_revisions(client, author_user):
    post = post_create(by=author_user, title="Avant", body="Le texte d’origine.")
    post_update(post=post, by=author_user, title="Après", body="Le texte modifié.")
    new, old = post.revisions.all()[:2]
    client.force_login(author_user)

    listing = client.get(reverse("admin:blog_post_revisions", args=[post.pk]))
    assert listing.status_code == 200
    assert "Title" in listing.content.decode() or "Titre" in listing.content.decode()
    change = client.get(reverse("admin:blog_post_change", args=[post.pk]))
    assert reverse("admin:blog_post_revisions", args=[post.pk]) in change.content.decode()

    diff = client.get(reverse("admin:blog_post_revision_compare", args=[post.pk]), {"a": old.pk, "b": new.pk})
    content = diff.content.decode()
    assert diff.status_code == 200
    assert "<del>d’origine.</del><ins>modifié.</ins>" in content
    assert "<del>Avant</del>" in content and "<ins>Après</ins>" in content


def test_the_revision_list_runs_a_constant_number_of_queries(client, author_user):
    post = post_create(by=author_user, title="Souvent modifié", body="Texte.")
    client.force_login(author_user)
    url = reverse("admin:blog_post_revisions", args=[post.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(15):
        post_update(post=post, by=UserFactory(role=roles.EDITOR), body=f"Texte {n}.")
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)


def test_the_revision_pages_are_404_to_someone_who_may_not_edit_the_post(client, author_user):
    post = post_create(by=author_user, title="Le mien", body="Texte.")
    revision = post.revisions.get()
    client.force_login(UserFactory(role=roles.AUTHOR))

    for url in (
        reverse("admin:blog_post_revisions", args=[post.pk]),
        reverse("admin:blog_post_revision_compare", args=[post.pk]) + f"?a={revision.pk}&b={revision.pk}",
    ):
        assert client.get(url).status_code == 404
    restore = reverse("admin:blog_post_revision_restore", args=[post.pk, revision.pk])
    assert client.post(restore).status_code == 404


# Restoring


def test_restoring_brings_the_content_back_and_is_itself_a_revision(author_user):
    first_category = CategoryFactory()
    post = post_create(by=author_user, title="Version 1", body="Corps 1.", categories=[first_category])
    post_update(post=post, by=author_user, title="Version 2", body="Corps 2.", categories=[])
    original = post.revisions.last()

    revision_restore(revision=original, by=author_user)

    post.refresh_from_db()
    assert (post.title, post.body) == ("Version 1", "Corps 1.")
    assert list(post.categories.all()) == [first_category]
    assert post.body_html.strip() == "<p>Corps 1.</p>"
    assert post.revisions.count() == 3
    with translation.override("en"):
        assert summarize(post.revisions.first()).startswith("Restored the version of")
        assert "body (+1/−1 words)" in summarize(post.revisions.first())


def test_restoring_never_publishes_and_a_contributor_restores_a_draft(contributor):
    post = post_create(by=contributor, title="Brouillon 1", body="A.")
    post_update(post=post, by=contributor, body="B.")

    revision_restore(revision=post.revisions.last(), by=contributor)

    post.refresh_from_db()
    assert post.body == "A." and post.status == Status.DRAFT


def test_a_contributor_cannot_restore_a_published_post(contributor, editor):
    post = post_create(by=contributor, title="Relu", body="A.")
    post_update(post=post, by=contributor, body="B.")
    post_publish(post=post, by=editor)

    with pytest.raises((PermissionDenied, ValidationError)):
        revision_restore(revision=post.revisions.last(), by=contributor)
    post.refresh_from_db()
    assert post.body == "B."


def test_restoring_in_the_admin(client, author_user):
    post = post_create(by=author_user, title="Un", body="Premier.")
    post_update(post=post, by=author_user, body="Second.")
    client.force_login(author_user)
    url = reverse("admin:blog_post_revision_restore", args=[post.pk, post.revisions.last().pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and post.revisions.count() == 2  # asking changes nothing

    response = client.post(
        reverse("admin:blog_post_revision_restore", args=[post.pk, post.revisions.last().pk])
    )

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body == "Premier."
    assert post.revisions.count() == 3


def test_restoring_a_page(editor):
    page = page_create(by=editor, title="Page", body="Un.")
    page_update(page=page, by=editor, body="Deux.")

    revision_restore(revision=page.revisions.last(), by=editor)

    assert Page.objects.get().body == "Un."


# The API


def test_the_api_lists_and_shows_revisions_to_the_author(api_client, author_user):
    post = post_create(by=author_user, title="Par l’API", body="Un.")
    post_update(post=post, by=author_user, body="Deux.")
    api_client.force_authenticate(author_user)

    listing = api_client.get(f"/api/v1/posts/{post.slug}/revisions/", HTTP_ACCEPT_LANGUAGE="en")
    assert listing.status_code == 200
    results = listing.json()["results"]
    assert [item["summary"] for item in results][-1] == "Created"
    assert "data" not in results[0]
    assert listing["Cache-Control"].startswith("private") or "private" in listing["Cache-Control"]

    detail = api_client.get(f"/api/v1/posts/{post.slug}/revisions/{results[-1]['id']}/")
    assert detail.status_code == 200
    assert detail.json()["data"]["body"] == "Un."
    assert detail.json()["user"] == author_user.username


def test_the_api_restores_a_revision_by_post(api_client, author_user):
    post = post_create(by=author_user, title="À restaurer", body="Un.")
    post_update(post=post, by=author_user, body="Deux.")
    api_client.force_authenticate(author_user)

    response = api_client.post(f"/api/v1/posts/{post.slug}/revisions/{post.revisions.last().pk}/restore/")

    assert response.status_code == 200
    assert response.json()["title"] == "À restaurer"
    post.refresh_from_db()
    assert post.body == "Un." and post.revisions.count() == 3


@pytest.mark.parametrize("who", ["anonymous", "reader", "other_author", "contributor"])
def test_the_api_answers_404_to_whoever_may_not_edit_the_post(api_client, author_user, who):
    post = PostFactory(author=author_user.author)  # published
    post_update(post=post, by=author_user, body="Modifié.")
    revision = post.revisions.get()
    if who != "anonymous":
        role = {"reader": None, "other_author": roles.AUTHOR, "contributor": roles.CONTRIBUTOR}[who]
        api_client.force_authenticate(UserFactory(role=role) if role else UserFactory())

    for url in (
        f"/api/v1/posts/{post.slug}/revisions/",
        f"/api/v1/posts/{post.slug}/revisions/{revision.pk}/",
    ):
        assert api_client.get(url).status_code == 404
    assert api_client.post(f"/api/v1/posts/{post.slug}/revisions/{revision.pk}/restore/").status_code == 404


def test_an_editor_sees_another_authors_revisions(api_client, author_user, editor):
    post = post_create(by=author_user, title="Relu par l’éditeur", body="Un.")
    api_client.force_authenticate(editor)

    assert api_client.get(f"/api/v1/posts/{post.slug}/revisions/").status_code == 200


def test_the_revision_list_in_the_api_runs_a_constant_number_of_queries(api_client, author_user):
    post = post_create(by=author_user, title="Souvent", body="Un.")
    api_client.force_authenticate(author_user)
    url = f"/api/v1/posts/{post.slug}/revisions/"
    with CaptureQueriesContext(connection) as few:
        api_client.get(url)
    for n in range(8):
        post_update(post=post, by=author_user, body=f"Version {n}.")
    with CaptureQueriesContext(connection) as many:
        api_client.get(url)

    assert len(many) == len(few)


# Never public


def test_an_earlier_text_is_in_no_public_page_feed_search_or_api(client, api_client, author_user):
    post = post_create(
        by=author_user, title="Public", body="Un secret bien gardé: zanzibar.", status="published"
    )
    post_update(post=post, by=author_user, body="Rien à voir ici.")
    assert "zanzibar" in post.revisions.last().data["body"]

    for url in (
        post.get_absolute_url(),
        "/",
        "/feed/",
        "/sitemap.xml",
        f"/api/v1/posts/{post.slug}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"zanzibar" not in response.content, url
        assert b"/revisions/" not in response.content, url
    # Search echoes the query: what matters is that the post is not found by its old words.
    assert post.get_absolute_url().encode() not in client.get("/search/?q=zanzibar").content
    assert api_client.get("/api/v1/posts/?search=zanzibar").json()["results"] == []


# Retention


def _history(author_user, saves, published_at=None):
    post = post_create(by=author_user, title="Historique", body="0")
    for n in range(1, saves):
        if n == 2:
            post_publish(post=post, by=author_user)
            continue
        post_update(post=post, by=author_user, body=str(n))
    # Spread the dates so "the last N" is well defined.
    for age, revision in enumerate(post.revisions.order_by("-created_at", "-pk")):
        Revision.objects.filter(pk=revision.pk).update(created_at=timezone.now() - timedelta(minutes=age))
    return post


def test_all_revisions_are_kept_by_default(author_user):
    post = _history(author_user, 10)
    call_command("prune_revisions", verbosity=0)

    assert post.revisions.count() == 10


def test_pruning_keeps_the_last_n_and_every_published_version(author_user, settings):
    post = _history(author_user, 10)
    published_before = set(post.revisions.filter(status=Status.PUBLISHED).values_list("pk", flat=True))
    last_three = set(post.revisions.values_list("pk", flat=True)[:3])

    deleted = revisions_prune(keep=3)

    kept = set(post.revisions.values_list("pk", flat=True))
    assert kept == last_three | published_before
    assert deleted == 10 - len(kept)


def test_the_prune_command_reads_its_setting(author_user, settings):
    post = _history(author_user, 6)
    other = _history(author_user, 2)
    settings.PLUME_REVISIONS_KEEP = 2

    call_command("prune_revisions", verbosity=0)

    published = post.revisions.filter(status=Status.PUBLISHED).count()
    assert post.revisions.exclude(status=Status.PUBLISHED).count() <= 2
    assert post.revisions.count() <= 2 + published
    assert other.revisions.count() == 2


def test_the_prune_command_refuses_keeping_none(author_user):
    with pytest.raises(CommandError):
        call_command("prune_revisions", "--keep", "0")


def test_snapshot_of_a_page_has_no_post_only_fields(editor):
    page = page_create(by=editor, title="Page", body="Un.")
    assert "categories" not in snapshot(page) and "menu_order" in snapshot(page)


def test_a_revision_keeps_the_library_image_and_a_restore_brings_it_back(author_user, media_root):
    from blog.services import media_create

    from .image_support import image_bytes, upload

    media = media_create(by=author_user, file=upload(image_bytes(40, 30, "PNG"), "une"))
    post = post_create(by=author_user, title="Illustré", body="A.", featured_media=media)
    post_update(post=post, by=author_user, featured_media=None)

    first, second = post.revisions.last(), post.revisions.first()
    assert first.data["featured_media"] == {"id": media.pk, "name": media.file.name}
    assert second.data["featured_media"] is None
    rows = compare(first.data, second.data, fields_of(post))
    assert [row["name"] for row in rows if row["changed"]] == ["featured_media"]
    assert next(row for row in rows if row["name"] == "featured_media")["old"] == media.file.name

    revision_restore(revision=first, by=author_user)
    post.refresh_from_db()
    assert post.featured_media == media
