"""
Autosave in the admin's post and page forms: the unsaved text is kept per user and
object (never in the post), offered back when newer than the saved post, and
discarded once saved; presence says who else has the form open, and expires.
"""

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from authors.roles import EDITOR
from blog.models import Autosave, Page, Post
from blog.presence import presence_beat
from blog.services import autosave_discard, autosave_save, post_create, post_update

from .admin_support import post_form_data
from .factories import AuthorFactory, PageFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

NOTICE = "Une sauvegarde automatique plus récente existe"


def draft_of(user, **fields):
    return post_create(
        by=user, title=fields.pop("title", "Mon brouillon"), body="Le texte enregistré.", **fields
    )


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def autosave_url(post=None):
    if post is None:
        return reverse("admin:blog_post_autosave_new")
    return reverse("admin:blog_post_autosave", args=[post.pk])


# The service


def test_an_autosave_is_kept_per_user_and_object_and_never_touches_the_post(contributor):
    post = draft_of(contributor)
    before = Post.objects.values().get(pk=post.pk)

    autosave_save(by=contributor, kind="post", obj=post, data={"title": "Premier jet", "body": "Un"})
    autosave_save(by=contributor, kind="post", obj=post, data={"title": "Second jet", "body": "Deux"})

    kept = Autosave.objects.get(user=contributor, post=post)
    assert kept.data == {"title": "Second jet", "body": "Deux"}
    assert Autosave.objects.filter(user=contributor).count() == 1
    assert Post.objects.values().get(pk=post.pk) == before


def test_each_editor_has_their_own_autosave_and_a_new_form_has_one_too(contributor, editor):
    post = draft_of(contributor)

    autosave_save(by=contributor, kind="post", obj=post, data={"body": "à moi"})
    autosave_save(by=editor, kind="post", obj=post, data={"body": "à l’éditrice"})
    autosave_save(by=editor, kind="post", data={"body": "un article pas encore créé"})
    autosave_save(by=editor, kind="page", data={"body": "une page pas encore créée"})

    assert Autosave.objects.filter(post=post).count() == 2
    assert (
        Autosave.objects.get(user=editor, kind="post", post=None).data["body"] == "un article pas encore créé"
    )
    assert autosave_discard(by=editor, kind="post") is True
    assert not Autosave.objects.filter(user=editor, kind="post", post=None).exists()
    assert Autosave.objects.filter(user=editor, kind="page").exists()


def test_only_someone_who_may_edit_the_post_autosaves_it(contributor, author_user, reader):
    others = draft_of(author_user)

    for user in (contributor, reader):
        with pytest.raises(PermissionDenied):
            autosave_save(by=user, kind="post", obj=others, data={"body": "x"})
    with pytest.raises(PermissionDenied):
        autosave_save(by=reader, kind="post", data={"body": "x"})
    assert not Autosave.objects.exists()


@pytest.mark.parametrize("data", [["body"], {"body": 3}, {"body": ["a", None]}, {"body": "x" * 2_000_001}])
def test_an_autosave_is_a_forms_fields_and_nothing_else(contributor, data):
    post = draft_of(contributor)

    with pytest.raises(ValidationError):
        autosave_save(by=contributor, kind="post", obj=post, data=data)


def test_deleting_a_post_deletes_its_autosaves(contributor):
    post = draft_of(contributor)
    autosave_save(by=contributor, kind="post", obj=post, data={"body": "x"})

    post.delete()

    assert not Autosave.objects.exists()


# The admin endpoint


def test_the_admin_form_autosaves_its_fields_through_the_endpoint(contributor, django_assert_max_num_queries):
    post = draft_of(contributor)
    client = logged_in(contributor)
    form = post_form_data(post, title="Pas encore enregistré", body="Tapé mais pas enregistré.")

    # Session, user, permissions, the post and its author, then the row (savepoints included).
    with django_assert_max_num_queries(12):
        client.post(autosave_url(post), {**form, "body": "Un premier jet."})
    with django_assert_max_num_queries(12):
        response = client.post(autosave_url(post), {**form, "_save": "Enregistrer", "_plume_version": "1"})

    assert response.status_code == 200 and "saved_at" in response.json()
    kept = Autosave.objects.get(user=contributor, post=post)
    assert kept.data["title"] == "Pas encore enregistré"
    assert kept.data["body"] == "Tapé mais pas enregistré."
    assert "_save" not in kept.data and "csrfmiddlewaretoken" not in kept.data
    assert kept.base_version == "1"
    post.refresh_from_db()
    assert post.title == "Mon brouillon"


def test_the_endpoint_is_for_those_who_may_edit_the_post(contributor, author_user):
    others = draft_of(author_user)

    assert logged_in(contributor).post(autosave_url(others), {"body": "x"}).status_code == 404
    assert logged_in(contributor).get(autosave_url(draft_of(contributor))).status_code == 405
    anonymous = Client().post(autosave_url(others), {"body": "x"})
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    assert not Autosave.objects.exists()


def test_the_endpoint_checks_the_csrf_token(contributor):
    post = draft_of(contributor)
    client = Client(enforce_csrf_checks=True)
    client.force_login(contributor)

    assert client.post(autosave_url(post), {"body": "sans jeton"}).status_code == 403
    assert not Autosave.objects.exists()


# Coming back to the form


def test_coming_back_the_form_offers_a_newer_autosave(contributor):
    post = draft_of(contributor)
    autosave_save(
        by=contributor, kind="post", obj=post, data={"title": "Titre autosauvé", "body": "Texte perdu ?"}
    )

    page = logged_in(contributor).get(reverse("admin:blog_post_change", args=[post.pk])).content.decode()

    assert NOTICE in page
    assert 'id="plume-autosave-data"' in page and "Texte perdu ?" in page
    assert 'name="_plume_version"' in page
    assert "blog/desk.js" in page


def test_an_autosave_older_than_the_saved_post_is_not_offered(contributor):
    post = draft_of(contributor)
    autosave_save(by=contributor, kind="post", obj=post, data={"body": "Un vieux jet"})
    post_update(post=post, by=contributor, body="Enregistré depuis, ailleurs.")

    page = logged_in(contributor).get(reverse("admin:blog_post_change", args=[post.pk])).content.decode()

    assert NOTICE not in page


def test_saving_the_form_discards_the_autosave(contributor):
    post = draft_of(contributor)
    autosave_save(by=contributor, kind="post", obj=post, data={"body": "Un jet"})
    client = logged_in(contributor)

    response = client.post(
        reverse("admin:blog_post_change", args=[post.pk]), post_form_data(post, body="Final.")
    )

    assert response.status_code == 302
    assert not Autosave.objects.exists()


def test_discarding_from_the_notice_forgets_it(contributor):
    post = draft_of(contributor)
    autosave_save(by=contributor, kind="post", obj=post, data={"body": "Un jet"})

    response = logged_in(contributor).post(reverse("admin:blog_post_autosave_discard", args=[post.pk]))

    assert response.status_code == 302
    assert not Autosave.objects.exists()


def test_a_new_posts_form_autosaves_and_offers_its_text_back(contributor):
    client = logged_in(contributor)

    assert client.post(autosave_url(), post_form_data(title="Un début")).status_code == 200
    page = client.get(reverse("admin:blog_post_add")).content.decode()
    assert NOTICE in page and "Un début" in page

    client.post(reverse("admin:blog_post_add"), post_form_data(title="Créé"))
    assert Post.objects.filter(title="Créé").exists()
    assert not Autosave.objects.exists()


def test_the_page_form_autosaves_too(editor):
    page = PageFactory(title="À propos")
    client = logged_in(editor)

    response = client.post(reverse("admin:blog_page_autosave", args=[page.pk]), {"title": "À propos de nous"})

    assert response.status_code == 200
    assert Autosave.objects.get(page=page).data == {"title": "À propos de nous"}
    assert NOTICE in client.get(reverse("admin:blog_page_change", args=[page.pk])).content.decode()
    assert Page.objects.get(pk=page.pk).title == "À propos"


# Presence


def editor_named(name):
    return AuthorFactory(display_name=name, user=UserFactory(role=EDITOR)).user


def test_another_editor_opening_the_post_sees_who_has_it_open(contributor):
    simone, paul = editor_named("Simone"), editor_named("Paul")
    post = PostFactory(author=contributor.author, draft=True)
    moment = timezone.make_aware(timezone.datetime(2026, 12, 1, 10, 32))

    with mock.patch("blog.presence.time.time", return_value=moment.timestamp()):
        response = logged_in(simone).post(reverse("admin:blog_post_presence", args=[post.pk]))
        assert response.json()["others"] == []
        page = logged_in(paul).get(reverse("admin:blog_post_change", args=[post.pk])).content.decode()
    with mock.patch("blog.presence.time.time", return_value=moment.timestamp() + 20):
        seen_by_simone = logged_in(simone).post(reverse("admin:blog_post_presence", args=[post.pk])).json()

    assert "Simone modifie cet article depuis 10:32" in page
    assert seen_by_simone["message"] == ["Paul modifie cet article depuis 10:32"]


def test_presence_expires_without_heartbeat(settings, contributor):
    settings.PLUME_PRESENCE_SECONDS = 60
    simone, paul = editor_named("Simone"), editor_named("Paul")
    post = PostFactory(author=contributor.author, draft=True)
    now = timezone.now().timestamp()

    with mock.patch("blog.presence.time.time", return_value=now):
        presence_beat("post", post.pk, simone, "Simone")
    with mock.patch("blog.presence.time.time", return_value=now + 30):
        assert [other["name"] for other in presence_beat("post", post.pk, paul, "Paul")] == ["Simone"]
    with mock.patch("blog.presence.time.time", return_value=now + 91):
        assert presence_beat("post", post.pk, paul, "Paul") == []


def test_presence_is_for_those_who_may_edit_the_post(contributor, author_user):
    others = PostFactory(author=author_user.author, draft=True)

    assert (
        logged_in(contributor).post(reverse("admin:blog_post_presence", args=[others.pk])).status_code == 404
    )


def test_without_a_cache_nobody_is_shown_and_the_form_still_works(settings, contributor):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    simone = editor_named("Simone")
    post = draft_of(contributor)
    logged_in(simone).post(reverse("admin:blog_post_presence", args=[post.pk]))

    client = logged_in(contributor)
    page = client.get(reverse("admin:blog_post_change", args=[post.pk])).content.decode()
    saved = client.post(reverse("admin:blog_post_change", args=[post.pk]), post_form_data(post, title="Oui"))

    assert "modifie cet article" not in page
    assert saved.status_code == 302 and Post.objects.get(pk=post.pk).title == "Oui"


def test_the_heartbeat_costs_a_constant_number_of_queries(contributor, django_assert_max_num_queries):
    post = draft_of(contributor)
    client = logged_in(contributor)
    url = reverse("admin:blog_post_presence", args=[post.pk])

    # Session, user, permissions, the post, its author (can_edit) and the writer's display name.
    for _ in range(2):
        with django_assert_max_num_queries(7):
            assert client.post(url).status_code == 200
