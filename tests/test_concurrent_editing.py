"""
Two people editing one post: the second save, made from the version both loaded,
is refused (never a silent overwrite) by the update services, so the admin and the
API refuse it alike. The admin keeps the refused text as an autosave and says who
changed what; the API answers 412 to a stale If-Match and 428 without one.
"""

import json

import pytest
from django.test import Client
from django.urls import reverse

from authors.roles import EDITOR
from blog.models import Autosave, Page, Post
from blog.services import page_update, post_create, post_submit, post_update, revision_restore
from blog.versions import StaleVersion, version_of

from .admin_support import post_form_data
from .factories import AuthorFactory, PageFactory, UserFactory
from .versions_support import if_match

pytestmark = pytest.mark.django_db


def editor_named(name):
    return AuthorFactory(display_name=name, user=UserFactory(role=EDITOR)).user


@pytest.fixture
def simone(db):
    return editor_named("Simone")


@pytest.fixture
def paul(db):
    return editor_named("Paul")


@pytest.fixture
def post(simone):
    return post_create(by=simone, title="Le titre d’origine", body="Le premier paragraphe.")


# The services


def test_a_save_from_the_current_version_goes_through(post, paul):
    loaded = version_of(post)

    saved = post_update(post=post, by=paul, title="Changé", expected_version=loaded)

    assert Post.objects.get(pk=post.pk).title == "Changé"
    assert version_of(saved) != loaded  # every save moves the version


def test_a_save_from_a_stale_version_is_refused_and_changes_nothing(post, simone, paul):
    loaded = version_of(post)
    post_update(post=Post.objects.get(pk=post.pk), by=simone, title="Simone est passée")
    revisions = post.revisions.count()

    with pytest.raises(StaleVersion) as refused:
        post_update(post=Post.objects.get(pk=post.pk), by=paul, title="Paul écrase", expected_version=loaded)

    assert Post.objects.get(pk=post.pk).title == "Simone est passée"
    assert post.revisions.count() == revisions
    assert refused.value.expected == loaded
    assert version_of(refused.value.obj) == version_of(Post.objects.get(pk=post.pk))


def test_without_an_expected_version_the_service_does_not_check(post, paul):
    post_update(post=Post.objects.get(pk=post.pk), by=paul, title="Sans condition")

    assert Post.objects.get(pk=post.pk).title == "Sans condition"


def test_pages_submissions_and_restores_check_the_version_too(editor, contributor):
    page = PageFactory(title="Contact")
    stale = version_of(page)
    page_update(page=page, by=editor, title="Nous écrire")
    with pytest.raises(StaleVersion):
        page_update(page=Page.objects.get(pk=page.pk), by=editor, title="Ancien", expected_version=stale)

    draft = post_create(by=contributor, title="Brouillon", body="Un.")
    stale = version_of(draft)
    post_update(post=Post.objects.get(pk=draft.pk), by=contributor, body="Deux.")
    with pytest.raises(StaleVersion):
        post_submit(post=Post.objects.get(pk=draft.pk), by=contributor, expected_version=stale)
    with pytest.raises(StaleVersion):
        revision_restore(revision=draft.revisions.last(), by=contributor, expected_version=stale)
    assert Post.objects.get(pk=draft.pk).body == "Deux."


# The admin


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(post):
    return reverse("admin:blog_post_change", args=[post.pk])


def loaded_version(client, post):
    page = client.get(change_url(post)).content.decode()
    marker = 'name="_plume_version" value="'
    return page.split(marker, 1)[1].split('"', 1)[0]


def test_the_second_editors_save_is_refused_with_what_changed_and_their_text_is_kept(post, simone, paul):
    as_simone, as_paul = logged_in(simone), logged_in(paul)
    simone_loaded, paul_loaded = loaded_version(as_simone, post), loaded_version(as_paul, post)
    assert simone_loaded == paul_loaded == version_of(post)

    first = as_simone.post(
        change_url(post),
        post_form_data(post, title="Le titre de Simone", _plume_version=simone_loaded),
    )
    assert first.status_code == 302
    second = as_paul.post(
        change_url(post),
        post_form_data(post, title="Le titre de Paul", body="Le texte de Paul.", _plume_version=paul_loaded),
        follow=True,
    )

    stored = Post.objects.get(pk=post.pk)
    assert stored.title == "Le titre de Simone"
    kept = Autosave.objects.get(user=paul, post=post)
    assert (
        kept.refused and kept.data["title"] == "Le titre de Paul" and kept.data["body"] == "Le texte de Paul."
    )
    assert kept.base_version == paul_loaded
    page = second.content.decode()
    assert second.redirect_chain[-1][0] == change_url(post)
    assert "Non enregistré : Simone l’a enregistré depuis que vous l’avez ouvert" in page
    assert "Une sauvegarde automatique plus récente existe" in page
    # What changed meanwhile: Simone's title, from the revision Paul loaded to the current one.
    assert "<del>Le titre d’origine</del>" in page and "<ins>Le titre de Simone</ins>" in page
    # The form now carries the current version: Paul may restore his text and save deliberately.
    assert loaded_version(as_paul, post) == version_of(stored)


def test_after_the_conflict_a_save_from_the_current_version_goes_through(post, simone, paul):
    as_paul = logged_in(paul)
    stale = loaded_version(as_paul, post)
    post_update(post=Post.objects.get(pk=post.pk), by=simone, title="Simone")
    as_paul.post(change_url(post), post_form_data(post, title="Paul", _plume_version=stale))

    current = loaded_version(as_paul, post)
    response = as_paul.post(
        change_url(post), post_form_data(post, title="Paul, fusionné", _plume_version=current)
    )

    assert response.status_code == 302
    assert Post.objects.get(pk=post.pk).title == "Paul, fusionné"
    assert not Autosave.objects.filter(user=paul).exists()


def test_the_page_form_refuses_a_stale_save_too(editor):
    page = PageFactory(title="Contact", body="Écrivez-nous.")
    client = logged_in(editor)
    stale = version_of(page)
    page_update(page=Page.objects.get(pk=page.pk), by=editor, title="Nous écrire")
    data = {
        "title": "Contact (vieux)",
        "slug": page.slug,
        "body": page.body,
        "status": page.status,
        "menu_order": 0,
        "_plume_version": stale,
    }

    response = client.post(reverse("admin:blog_page_change", args=[page.pk]), data)

    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:blog_page_change", args=[page.pk]
    )
    assert Page.objects.get(pk=page.pk).title == "Nous écrire"
    assert Autosave.objects.get(page=page).data["title"] == "Contact (vieux)"


# The API


def detail(post):
    return f"/api/v1/posts/{post.slug}/"


def test_a_posts_etag_starts_with_its_version_and_if_match_accepts_it(api_client, post, simone):
    api_client.force_authenticate(simone)
    read = api_client.get(detail(post))
    assert read["ETag"].startswith(f'"{version_of(post)}-')

    written = api_client.patch(
        detail(post), {"title": "Par l’API"}, format="json", HTTP_IF_MATCH=read["ETag"]
    )

    assert written.status_code == 200 and written.json()["title"] == "Par l’API"
    assert written["ETag"] == f'"{version_of(Post.objects.get(pk=post.pk))}"'
    # The answer's ETag is enough for the next write.
    again = api_client.put(
        detail(post),
        {"title": "Encore", "body": "Tout le texte."},
        format="json",
        HTTP_IF_MATCH=written["ETag"],
    )
    assert again.status_code == 200


def test_a_stale_if_match_is_412_and_changes_nothing(api_client, post, simone, paul):
    api_client.force_authenticate(paul)
    stale = api_client.get(detail(post))["ETag"]
    post_update(post=Post.objects.get(pk=post.pk), by=simone, title="Simone d’abord")

    for method in (api_client.patch, api_client.put):
        response = method(
            detail(post), {"title": "Paul ensuite", "body": "x"}, format="json", HTTP_IF_MATCH=stale
        )
        assert response.status_code == 412
        assert response.json()["code"] == "precondition_failed"
        assert response["ETag"] == f'"{version_of(Post.objects.get(pk=post.pk))}"'
    assert Post.objects.get(pk=post.pk).title == "Simone d’abord"


def test_a_write_without_if_match_is_428(api_client, post, simone):
    api_client.force_authenticate(simone)

    response = api_client.patch(detail(post), {"title": "À l’aveugle"}, format="json")

    assert response.status_code == 428
    assert response.json()["code"] == "precondition_required"
    assert Post.objects.get(pk=post.pk).title == "Le titre d’origine"


@pytest.mark.parametrize(
    ("header", "expected"), [("*", 200), ('"pas-une-version"', 412), ("n’importe quoi", 412)]
)
def test_if_match_any_version_or_a_malformed_one(api_client, post, simone, header, expected):
    api_client.force_authenticate(simone)

    response = api_client.patch(detail(post), {"title": "Étoile"}, format="json", HTTP_IF_MATCH=header)

    assert response.status_code == expected


def test_submit_and_restore_honour_if_match_when_sent(api_client, contributor):
    draft = post_create(by=contributor, title="Brouillon", body="Un.")
    stale = if_match(draft)
    post_update(post=Post.objects.get(pk=draft.pk), by=contributor, body="Deux.")
    api_client.force_authenticate(contributor)
    revision = draft.revisions.last()

    restore_url = f"{detail(draft)}revisions/{revision.pk}/restore/"
    assert api_client.post(restore_url, **stale).status_code == 412
    assert api_client.post(f"{detail(draft)}submit/", **stale).status_code == 412
    submitted = api_client.post(f"{detail(draft)}submit/", **if_match(draft))
    assert submitted.status_code == 200 and submitted.json()["status"] == "pending"


def test_the_schema_documents_if_match_412_and_428(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE="en").json()
    operation = schema["paths"]["/api/v1/posts/{slug}/"]["patch"]
    assert "428" in schema["paths"]["/api/v1/posts/{slug}/"]["put"]["responses"]

    header = next(parameter for parameter in operation["parameters"] if parameter["name"] == "If-Match")
    assert header["in"] == "header" and header["required"] is True
    assert {"412", "428"} <= set(operation["responses"])
    submit = schema["paths"]["/api/v1/posts/{slug}/submit/"]["post"]
    assert "412" in submit["responses"] and "428" not in submit["responses"]


def test_after_a_conflict_restore_brings_back_only_the_fields_the_writer_changed(post, simone, paul):
    as_paul = logged_in(paul)
    stale = loaded_version(as_paul, post)
    post_update(post=Post.objects.get(pk=post.pk), by=simone, title="Le titre de Simone")

    as_paul.post(
        change_url(post), post_form_data(post, body="Seulement le texte de Paul.", _plume_version=stale)
    )
    page = as_paul.get(change_url(post)).content.decode()

    offered = json.loads(
        page.split('<script id="plume-autosave-data" type="application/json">', 1)[1].split("<")[0]
    )
    assert offered == {"fields": {"body": "Seulement le texte de Paul."}, "complete": False}


def test_a_form_shown_again_with_errors_keeps_the_version_it_was_loaded_from(post, simone, paul):
    as_paul = logged_in(paul)
    stale = loaded_version(as_paul, post)
    post_update(post=Post.objects.get(pk=post.pk), by=simone, title="Simone")

    # Invalid (a reserved slug): shown again, not saved, and still carrying Paul's version.
    again = as_paul.post(change_url(post), post_form_data(post, slug="admin", _plume_version=stale))

    assert again.status_code == 200
    assert f'name="_plume_version" value="{stale}"' in again.content.decode()
