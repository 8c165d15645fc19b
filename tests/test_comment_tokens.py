"""
Comment form tokens (signed timestamp and nonce) live at most
COMMENTS_TOKEN_MAX_AGE (two hours) and serve once. An expired or used token
gets a clear 400 with a fresh token, and the reader's text is kept.
"""

import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from comments.exceptions import CommentFlood, CommentTokenRefused
from comments.models import Comment
from comments.moderation import comment_form_token, token_nonce
from comments.services.submission import TOKEN_FIELDS

from .comments_support import READER_META, aged_token, comment_data
from .factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    return PostFactory()


def submit_with(post, token, **fields):
    from comments.services import comment_submit

    return comment_submit(post=post, data={**comment_data(post, **fields), **token}, request_meta=READER_META)


# The rule, through the service


def test_a_token_older_than_two_hours_is_refused_and_nothing_is_stored(post):
    with pytest.raises(CommentTokenRefused) as caught:
        submit_with(post, aged_token(post, seconds=2 * 3600 + 60))

    assert caught.value.code == "comment_token_expired"
    assert not Comment.objects.exists()


def test_a_token_just_under_two_hours_old_is_accepted(post):
    assert submit_with(post, aged_token(post, seconds=2 * 3600 - 60)).pk


def test_a_token_serves_once(post):
    token = aged_token(post)
    submit_with(post, token)

    with pytest.raises(CommentTokenRefused) as caught:
        submit_with(post, token, body="Le même formulaire, renvoyé.")

    assert caught.value.code == "comment_token_used"
    assert Comment.objects.count() == 1


def test_two_submissions_racing_with_one_token_store_one_comment(post, settings):
    # Without the rule's early look, the unique column alone still refuses the second.
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_MODERATION_RULES = [
        rule for rule in settings.COMMENTS_MODERATION_RULES if not rule.endswith("expired_or_used_token")
    ]
    token = aged_token(post)
    submit_with(post, token)

    with pytest.raises(CommentTokenRefused):
        submit_with(post, token, body="En même temps.")

    assert Comment.objects.count() == 1


def test_forms_served_in_the_same_second_get_different_tokens(post):
    now = timezone.now()

    first, second = comment_form_token(post=post, now=now), comment_form_token(post=post, now=now)

    assert first["timestamp"] == second["timestamp"]
    assert token_nonce(post=post, token=first) != token_nonce(post=post, token=second)


def test_a_token_refused_for_a_flood_is_still_usable_after_the_wait(post, settings):
    settings.COMMENTS_FLOOD_SECONDS = 15
    submit_with(post, aged_token(post))
    token = aged_token(post)
    with pytest.raises(CommentFlood):
        submit_with(post, token, body="Trop tôt.")

    with time_machine.travel(timezone.now() + timedelta(seconds=16)):
        assert submit_with(post, token, body="Trop tôt.").pk


# The API


def comments_url(post):
    return f"/api/v1/posts/{post.slug}/comments/"


def api_comment(post, token, **fields):
    return {
        "author_name": "Zoé Martin",
        "author_email": "zoe@example.net",
        "body": "Mon texte, écrit avec soin.",
        **token,
        **fields,
    }


def test_the_api_answers_an_expired_token_with_a_400_and_a_fresh_token(api_client, post):
    response = api_client.post(comments_url(post), api_comment(post, aged_token(post, seconds=3 * 3600)))

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "comment_token_expired"
    assert body["detail"] and body["errors"]["security_hash"]
    assert set(body["token"]) == {"timestamp", "security_hash", "honeypot"}
    assert not Comment.objects.exists()

    with time_machine.travel(timezone.now() + timedelta(seconds=10)):
        again = api_client.post(comments_url(post), api_comment(post, body["token"]))
    assert again.status_code == 201
    assert Comment.objects.get().body == "Mon texte, écrit avec soin."


def test_the_api_answers_a_used_token_with_a_400_and_a_fresh_token(api_client, post):
    token = aged_token(post)
    assert api_client.post(comments_url(post), api_comment(post, token)).status_code == 201

    response = api_client.post(comments_url(post), api_comment(post, token, body="Encore"))

    assert response.status_code == 400
    assert response.json()["code"] == "comment_token_used"
    assert token_nonce(post=post, token=response.json()["token"]) not in (
        None,
        token_nonce(post=post, token=token),
    )
    assert Comment.objects.count() == 1


# The site's form


def form_data(post, token, **fields):
    return {
        "author_name": "Zoé Martin",
        "author_email": "zoe@example.net",
        "body": "Mon texte du formulaire.",
        **token,
        **fields,
    }


def test_the_form_sent_twice_is_shown_again_with_the_text_and_a_fresh_token(client, post):
    token = aged_token(post)
    url = f"/comments/post/{post.pk}/"
    assert client.post(url, form_data(post, token)).status_code == 302

    response = client.post(url, form_data(post, token, body="Un second avis, à ne pas perdre."))

    assert response.status_code == 400
    form = response.context["comment_form"]
    assert "already been used" in " ".join(form.non_field_errors()) or "déjà" in " ".join(
        form.non_field_errors()
    )
    assert "Un second avis, à ne pas perdre." in response.content.decode()
    fresh = {name: form[name].value() for name in ("timestamp", "security_hash", "honeypot")}
    assert token_nonce(post=post, token=fresh) not in (None, token_nonce(post=post, token=token))
    assert fresh["security_hash"] in response.content.decode()

    with time_machine.travel(timezone.now() + timedelta(seconds=20)):  # past the flood delay
        again = client.post(
            url, form_data(post, {**fresh, "honeypot": ""}, body="Un second avis, à ne pas perdre.")
        )
    assert again.status_code == 302
    assert Comment.objects.count() == 2


def test_an_expired_form_is_shown_again_with_the_text(client, post):
    response = client.post(
        f"/comments/post/{post.pk}/",
        form_data(post, aged_token(post, seconds=3 * 3600), body="Écrit lentement."),
    )

    assert response.status_code == 400
    assert "Écrit lentement." in response.content.decode()
    assert not Comment.objects.exists()


# A page kept by a shared cache hands one token to many readers


def test_readers_of_one_cached_page_each_use_its_token_once(client, post):
    page = client.get(post.get_absolute_url()).content.decode()
    token = {
        name: html.unescape(re.search(rf'name="{name}"(?: value="([^"]*)")?', page)[1] or "")
        for name in TOKEN_FIELDS
    }
    url = f"/comments/post/{post.pk}/"

    with time_machine.travel(timezone.now() + timedelta(seconds=10)):
        first = client.post(url, form_data(post, token), REMOTE_ADDR="203.0.113.57")
        other_reader = Client().post(
            url, form_data(post, token, body="Une autre lectrice."), REMOTE_ADDR="198.51.100.8"
        )
        replay = Client().post(url, form_data(post, token, body="Rejoué."), REMOTE_ADDR="203.0.113.57")

    assert (first.status_code, other_reader.status_code, replay.status_code) == (302, 302, 400)
    assert Comment.objects.count() == 2
    # What is kept of the token names nobody: the nonce and a short hash of stored fields.
    assert not [key for key in Comment.objects.values_list("form_token", flat=True) if "203.0.113" in key]
