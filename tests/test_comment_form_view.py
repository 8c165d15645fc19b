"""The "Leave a comment" form through the post page: redirects, cookies, errors, refusals."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext

from comments.forms import AUTHOR_COOKIE
from comments.models import Comment
from tests.factories import CommentFactory, PostFactory

from .comments_support import comment_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    return PostFactory()


def send(client, post, ip="203.0.113.57", **overrides):
    data = {key: value for key, value in comment_data(post, **overrides).items() if value is not None}
    return client.post(reverse("comments:post", args=[post.pk]), data, REMOTE_ADDR=ip)


def test_a_comment_redirects_to_the_post_with_a_message(client, post):
    response = send(client, post)
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        gettext("Thank you: your comment is awaiting moderation.")
    ]


def test_own_pending_comment_is_shown_after_the_redirect_to_that_reader_only(client, post):
    send(client, post, body="Ma remarque à modérer")
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Ma remarque à modérer" in page
    assert gettext("Your comment is awaiting moderation.") in page
    assert gettext("Thank you: your comment is awaiting moderation.") in page
    from django.test import Client

    assert "Ma remarque à modérer" not in Client().get(post.get_absolute_url()).content.decode()


def test_cookie_is_set_only_with_consent(client, post):
    without = send(client, post)
    assert AUTHOR_COOKIE not in without.cookies
    with_consent = send(client, post, ip="198.51.100.7", consent="on")
    cookie = with_consent.cookies[AUTHOR_COOKIE]
    assert cookie.value and cookie["httponly"]
    page = client.get(post.get_absolute_url()).content.decode()
    assert 'value="zoe@example.net"' in page


def test_unticking_consent_forgets_the_cookie(client, post):
    send(client, post, consent="on")
    response = send(client, post, ip="198.51.100.7")
    assert response.cookies[AUTHOR_COOKIE].value == ""
    assert response.cookies[AUTHOR_COOKIE]["max-age"] == 0


def test_errors_rerender_the_page_with_every_field_kept(client, post):
    parent = CommentFactory(post=post)
    response = send(
        client,
        post,
        author_email="pas-un-email",
        body="Un long commentaire que je ne veux pas retaper.",
        parent=parent.pk,
        consent="on",
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert not Comment.objects.exclude(pk=parent.pk).exists()
    assert "Un long commentaire que je ne veux pas retaper." in page
    assert 'value="Zoé Martin"' in page
    assert 'value="pas-un-email"' in page
    assert 'value="https://zoe.example.net/"' in page
    assert f'name="parent" value="{parent.pk}"' in page
    assert re.search(r'name="consent"[^>]*checked', page)
    assert "errorlist" in page
    assert post.title in page  # the whole post page, not a bare form


def test_unknown_parent_is_reported_and_the_form_can_be_sent_again_as_a_new_comment(client, post):
    response = send(client, post, parent=987654, body="Ma réponse")
    page = response.content.decode()
    assert response.status_code == 400
    assert gettext("The comment you are replying to does not exist on this post.") in page
    assert "Ma réponse" in page
    assert 'name="parent" value="987654"' not in page


def test_flood_is_refused_with_429_and_nothing_stored(client, post, settings):
    settings.COMMENTS_FLOOD_SECONDS = 15
    send(client, post)
    response = send(client, post, body="Deuxième essai trop rapide")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 15
    assert Comment.objects.count() == 1
    assert "Deuxième essai trop rapide" in response.content.decode()


def test_closed_post_refuses_and_gives_the_text_back(client, post):
    post.allow_comments = False
    post.save()
    response = send(client, post, body="Trop tard pour ce billet")
    assert response.status_code == 403
    assert not Comment.objects.exists()
    page = response.content.decode()
    assert gettext("Comments are closed.") in page
    assert "Trop tard pour ce billet" in page


def test_comment_on_a_draft_is_not_found(client):
    draft = PostFactory(draft=True)
    assert send(client, draft).status_code == 404


def test_get_is_not_allowed(client, post):
    assert client.get(reverse("comments:post", args=[post.pk])).status_code == 405


def test_signed_in_reader_comments_without_name_and_email(client, post, reader):
    client.force_login(reader)
    response = send(client, post, author_name=None, author_email=None)
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.user, comment.author_email) == (reader, reader.email)


def test_email_is_not_in_the_page_and_markup_is_escaped(client, post):
    CommentFactory(
        post=post,
        author_name="<script>alert(1)</script>",
        author_email="cache@example.net",
        body="<b onmouseover=alert(1)>x</b>",
    )
    page = client.get(post.get_absolute_url()).content.decode()
    assert "cache@example.net" not in page
    assert "<script>alert(1)</script>" not in page
    assert "onmouseover=alert" not in page.replace("&lt;b onmouseover=alert(1)&gt;", "")


def test_post_page_query_count_is_the_same_for_1_and_200_comments(client, django_assert_max_num_queries):
    small, large = PostFactory(), PostFactory()
    CommentFactory(post=small)
    roots = Comment.objects.bulk_create(
        Comment(post=large, author_name=f"L{i}", body="Racine", status="approved") for i in range(100)
    )
    Comment.objects.bulk_create(
        Comment(post=large, parent=root, author_name="R", body="Réponse", status="approved") for root in roots
    )
    client.get(small.get_absolute_url())
    counts = []
    for post in (small, large):
        cache.clear()  # the uncached thread: the rendered one is kept per post
        with django_assert_max_num_queries(12) as captured:
            assert client.get(post.get_absolute_url()).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_fresh_forms_fields_are_rendered_once_with_the_markup_of_the_form_templates(language):
    from django.forms.boundfield import BoundField
    from django.utils import translation

    from comments.forms import CommentForm, FreshFieldGroup

    FreshFieldGroup.rendered.clear()
    with translation.override(language):
        names = ("author_name", "author_email", "author_url", "body", "honeypot")
        for _ in range(2):
            form = CommentForm(initial={"author_name": "Zoé"})
            for name in names:
                plain = BoundField(form, form.fields[name], name).as_field_group()
                assert form[name].as_field_group() == plain
        assert 'value="Zoé"' in form["author_name"].as_field_group()
    # One group per field shown empty: the remembered name was rendered as usual, never kept.
    assert len(FreshFieldGroup.rendered) == len(names) - 1


def test_the_post_page_labels_its_fields_in_the_sites_language(client, post, settings):
    french = client.get(post.get_absolute_url()).content.decode()
    settings.LANGUAGE_CODE = "en"  # the site's language (plume.language), after the French page
    english = client.get(post.get_absolute_url()).content.decode()
    assert "Nom *" in french and "Name *" in english and "Nom *" not in english
