"""
A reader edits or deletes their own comment for COMMENTS_EDIT_WINDOW seconds after sending it:
from the same browser on the site (the edit cookie), or with the API's `edit_token`. An edit goes
through the moderation rules again; after the window, or with another token, it is a 403 with a
clear message and nothing changes.
"""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.exceptions import CommentEditRefused
from comments.models import Comment
from comments.reader_cookies import EDIT_COOKIE
from comments.templatetags.comments_tags import PENDING_SESSION_KEY
from comments.tokens import comment_edit_token

from .comments_support import comment_data, send_form
from .factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

THREE_LINKS = "Voir https://a.example, https://b.example et https://c.example."


@pytest.fixture(autouse=True)
def approved_by_default(settings):
    settings.COMMENTS_DEFAULT_STATUS = "approved"
    settings.COMMENTS_MAX_LINKS = 2


@pytest.fixture
def post():
    return PostFactory(slug="un-article")


def edit_url(comment, action="edit"):
    return reverse(f"comments:{action}", args=[comment.post.slug, comment.pk])


def posted(client, post, **overrides):
    """A comment sent through the site's form by `client`; returns it and the response."""
    response = send_form(client, post, **overrides)
    assert response.status_code == 302, response.content
    return Comment.objects.latest("pk"), response


def later(seconds):
    """The clock `seconds` from now (the token stays the comment's own: only time passes)."""
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds))


# The site ---------------------------------------------------------------------------------


def test_the_form_leaves_a_short_lived_http_only_cookie_limited_to_the_posts_page(client, post):
    comment, response = posted(client, post)

    cookie = response.cookies[EDIT_COOKIE]
    assert cookie.value == comment_edit_token(comment)
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == post.get_absolute_url() == "/un-article/"
    assert cookie["max-age"] == 600


def test_the_writer_sees_edit_and_delete_on_their_comment_in_an_uncached_page(client, post):
    comment, _response = posted(client, post)
    CommentFactory(post=post, body="Le commentaire de quelqu’un d’autre.")

    page = client.get(post.get_absolute_url())

    html = page.content.decode()
    assert html.count('class="comment-edit"') == 1
    assert f'action="{edit_url(comment)}"' in html
    assert f'action="{edit_url(comment, "delete")}"' in html
    assert "private" in page["Cache-Control"]
    assert "xkey" not in page  # never kept by the shared cache
    # Another reader (no cookie) gets neither, and a page the cache may keep.
    other = Client().get(post.get_absolute_url())
    assert 'class="comment-edit"' not in other.content.decode()
    assert "public" in other["Cache-Control"]


def test_an_edit_from_the_form_changes_the_text_and_says_edited(client, post):
    comment, _response = posted(client, post)  # a second ago: the flood rule does not apply to edits

    response = client.post(edit_url(comment), {"body": "Texte corrigé, merci."}, REMOTE_ADDR="203.0.113.57")

    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    comment.refresh_from_db()
    assert comment.body == "Texte corrigé, merci."
    assert comment.status == Comment.Status.APPROVED
    assert comment.edited_at is not None and comment.edited_by is None
    assert "Texte corrigé, merci." in client.get(post.get_absolute_url()).content.decode()
    public = Client().get(post.get_absolute_url()).content.decode()
    assert '<span class="comment-edited">modifié</span>' in public


def test_an_edit_adding_links_sends_an_approved_comment_back_to_moderation(client, post):
    comment, _response = posted(client, post)
    assert comment.status == Comment.Status.APPROVED

    response = client.post(edit_url(comment), {"body": THREE_LINKS}, follow=True)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_rule == "too_many_links"
    assert comment.moderation_reason == "Contient 3 liens, au-delà de 2."
    # Gone from the public thread, still shown to its writer, with the reason.
    assert comment.pk in client.session[PENDING_SESSION_KEY]
    html = response.content.decode()
    assert "Votre commentaire est modifié et attend la modération." in html
    assert "c.example" in html
    assert "c.example" not in Client().get(post.get_absolute_url()).content.decode()


def test_a_clean_edit_never_approves_a_held_comment(client, post, settings):
    settings.COMMENTS_DEFAULT_STATUS = "pending"
    comment, _response = posted(client, post, body=THREE_LINKS)
    assert comment.status == Comment.Status.PENDING

    client.post(edit_url(comment), {"body": "Sans aucun lien."})

    comment.refresh_from_db()
    assert comment.body == "Sans aucun lien."
    assert comment.status == Comment.Status.PENDING


def test_after_the_window_an_edit_is_refused_with_a_403_and_a_clear_message(client, post):
    comment, _response = posted(client, post)

    with later(599):
        assert 'class="comment-edit"' in client.get(post.get_absolute_url()).content.decode()
    with later(601):
        response = client.post(edit_url(comment), {"body": "Trop tard."})
        # The page no longer offers it either.
        assert 'class="comment-edit"' not in client.get(post.get_absolute_url()).content.decode()

    assert response.status_code == 403
    assert "pendant les 10 minutes qui suivent son envoi" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body != "Trop tard." and comment.edited_at is None


def test_another_comments_token_or_none_is_a_403(client, post):
    mine, _response = posted(client, post)
    theirs = CommentFactory(post=post, body="Pas à moi.")

    with_my_cookie = client.post(edit_url(theirs), {"body": "Piraté."})
    without_cookie = Client().post(edit_url(mine), {"body": "Piraté."})
    forged = Client()
    forged.cookies[EDIT_COOKIE] = comment_edit_token(mine)[:-2] + "xx"
    with_forged_cookie = forged.post(edit_url(mine, "delete"))

    for response in (with_my_cookie, without_cookie, with_forged_cookie):
        assert response.status_code == 403
        assert "jeton" in response.content.decode()
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert (theirs.body, mine.body) == ("Pas à moi.", comment_data(post)["body"])


def test_an_edit_addressed_under_another_page_is_a_404(client, post):
    comment, _response = posted(client, post)
    other = PostFactory(slug="autre")

    response = client.post(reverse("comments:edit", args=[other.slug, comment.pk]), {"body": "Ailleurs."})

    assert response.status_code == 404


def test_an_empty_edit_is_a_400_and_changes_nothing(client, post):
    comment, _response = posted(client, post)

    response = client.post(edit_url(comment), {"body": "   "})

    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    comment.refresh_from_db()
    assert comment.edited_at is None


def test_the_writer_deletes_their_comment_and_the_cookie_goes(client, post):
    comment, _response = posted(client, post)

    response = client.post(edit_url(comment, "delete"))

    assert response.status_code == 302
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert response.cookies[EDIT_COOKIE]["max-age"] == 0
    assert response.cookies[EDIT_COOKIE]["path"] == "/un-article/"


def test_deleting_a_comment_with_a_reply_keeps_the_reply(client, post):
    comment, _response = posted(client, post)
    reply = CommentFactory(post=post, parent=comment, body="Une réponse.")

    client.post(edit_url(comment, "delete"))

    reply.refresh_from_db()
    assert reply.parent_id is None  # moved up a level, as any deletion does


def test_a_comment_trashed_by_a_moderator_can_no_longer_be_edited(client, post):
    comment, _response = posted(client, post)
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.TRASH)

    response = client.post(edit_url(comment), {"body": "Je reviens."})

    assert response.status_code == 403
    assert "retiré par la modération" in response.content.decode()


# The API ----------------------------------------------------------------------------------


def api_created(api_client, post, ip="203.0.113.57", **overrides):
    data = {key: value for key, value in comment_data(post, **overrides).items() if value is not None}
    response = api_client.post(f"/api/v1/posts/{post.slug}/comments/", data, REMOTE_ADDR=ip)
    assert response.status_code == 201, response.content
    return response.json()


def own(api_client, method, comment_id, token, data=None):
    return getattr(api_client, method)(
        f"/api/v1/comments/{comment_id}/", data, format="json", HTTP_X_COMMENT_EDIT_TOKEN=token
    )


def test_the_creation_answer_carries_an_edit_token_and_until_when(api_client, post):
    created = api_created(api_client, post)

    comment = Comment.objects.get(pk=created["id"])
    assert created["edit_token"] == comment_edit_token(comment)
    until = comment.created_at + timedelta(seconds=600)
    assert created["editable_until"].startswith(until.strftime("%Y-%m-%dT%H:%M"))


def test_the_api_edits_with_the_token(api_client, post, django_assert_max_num_queries):
    created = api_created(api_client, post)

    with django_assert_max_num_queries(12):
        response = own(api_client, "patch", created["id"], created["edit_token"], {"body": "Corrigé."})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "approved" and body["edited_at"]
    assert Comment.objects.get(pk=created["id"]).body == "Corrigé."
    assert api_client.get(f"/api/v1/posts/{post.slug}/comments/").json()["results"][0]["edited_at"]


def test_an_api_edit_adding_links_goes_back_to_moderation_and_says_why(api_client, post):
    created = api_created(api_client, post)

    response = own(api_client, "patch", created["id"], created["edit_token"], {"body": THREE_LINKS})

    assert response.status_code == 200
    assert response.json()["status"] == "pending"
    assert "Contient 3 liens" in response.json()["message"]
    assert Comment.objects.get(pk=created["id"]).status == Comment.Status.PENDING


def test_the_api_refuses_a_wrong_token_and_an_expired_one_with_403(api_client, post):
    first = api_created(api_client, post)
    second = api_created(api_client, post, ip="198.51.100.8", body="Un second.", author_email="b@example.net")

    wrong = own(api_client, "patch", first["id"], second["edit_token"], {"body": "Piraté."})
    missing = own(api_client, "delete", first["id"], "")
    with later(3600):
        expired = own(api_client, "patch", first["id"], first["edit_token"], {"body": "Trop tard."})

    assert (wrong.status_code, wrong.json()["code"]) == (403, "comment_edit_token_invalid")
    assert (missing.status_code, missing.json()["code"]) == (403, "comment_edit_token_invalid")
    assert (expired.status_code, expired.json()["code"]) == (403, "comment_edit_window_over")
    assert expired.json()["detail"] == str(CommentEditRefused("window_over", window=600).message)
    assert Comment.objects.get(pk=first["id"]).body == comment_data(post)["body"]


def test_the_api_deletes_with_the_token(api_client, post):
    created = api_created(api_client, post)

    response = own(api_client, "delete", created["id"], created["edit_token"])

    assert response.status_code == 204
    assert not Comment.objects.filter(pk=created["id"]).exists()


def test_bad_edit_input_is_a_400_with_field_messages(api_client, post):
    created = api_created(api_client, post)

    for data in ({}, {"body": ""}, {"body": "x" * 10001}, {"body": ["une", "liste"]}):
        response = own(api_client, "patch", created["id"], created["edit_token"], data)
        assert response.status_code == 400, data
        assert "body" in response.json()["errors"]


def test_an_unknown_comment_is_a_404(api_client, post):
    assert own(api_client, "patch", 999999, "1.2:x", {"body": "Rien."}).status_code == 404


def test_edits_are_off_with_a_zero_window(api_client, post, settings):
    settings.COMMENTS_EDIT_WINDOW = 0
    created = api_created(api_client, post)

    assert created["edit_token"] is None
    token = comment_edit_token(Comment.objects.get(pk=created["id"]))
    assert own(api_client, "patch", created["id"], token, {"body": "Non."}).status_code == 403
