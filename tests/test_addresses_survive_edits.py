"""
Changing the slug of a published post or page leaves a 301 from the old address
(and from the post's comment feed); chains collapse; a new post taking an old
slug wins over the redirect.
"""

import pytest
from django.contrib.redirects.models import Redirect

from blog.services import page_create, page_update, post_create, post_update

pytestmark = pytest.mark.django_db


def published(user, slug, **fields):
    return post_create(by=user, title=fields.pop("title", slug), slug=slug, body="Texte.", status="published")


def test_renaming_a_published_post_answers_301_from_the_old_address_and_its_feed(client, author_user):
    post = published(author_user, "ancien")

    post_update(post=post, by=author_user, slug="nouveau")

    response = client.get("/ancien/")
    assert response.status_code == 301 and response["Location"] == "/nouveau/"
    assert client.get("/nouveau/").status_code == 200
    feed = client.get("/ancien/comments/feed/")
    assert feed.status_code == 301 and feed["Location"] == "/nouveau/comments/feed/"


def test_renaming_a_draft_leaves_no_redirect(author_user):
    post = post_create(by=author_user, title="Brouillon", slug="premier", body="Texte.")
    post_update(post=post, by=author_user, slug="second")

    assert not Redirect.objects.exists()


def test_chains_collapse(client, author_user):
    post = published(author_user, "a")
    post_update(post=post, by=author_user, slug="b")
    post_update(post=post, by=author_user, slug="c")

    for old in ("/a/", "/b/"):
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == "/c/", old


def test_renaming_back_makes_no_loop(client, author_user):
    post = published(author_user, "aller")
    post_update(post=post, by=author_user, slug="retour")
    post_update(post=post, by=author_user, slug="aller")

    assert client.get("/aller/").status_code == 200
    assert client.get("/retour/")["Location"] == "/aller/"
    assert not Redirect.objects.filter(old_path="/aller/").exists()


def test_a_new_post_taking_an_old_slug_wins_over_the_redirect(client, author_user):
    post = published(author_user, "convoite")
    post_update(post=post, by=author_user, slug="deplace")

    newcomer = published(author_user, "convoite", title="Le nouveau venu")

    response = client.get("/convoite/")
    assert response.status_code == 200 and newcomer.title in response.content.decode()
    assert client.get("/deplace/").status_code == 200


def test_renaming_a_published_page_answers_301(client, editor):
    page = page_create(by=editor, title="Contact", slug="contact", body="Écrivez-nous.", status="published")
    page_update(page=page, by=editor, slug="nous-ecrire")

    response = client.get("/contact/")
    assert response.status_code == 301 and response["Location"] == "/nous-ecrire/"


def test_a_unicode_slug_is_redirected_too(client, author_user):
    post = published(author_user, "été")
    post_update(post=post, by=author_user, slug="automne")

    response = client.get("/été/")
    assert response.status_code == 301 and response["Location"] == "/automne/"
