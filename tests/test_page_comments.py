"""
Comments on pages (a guestbook, an "about" page): the same form, moderation, notifications,
API and feed as on posts, on the pages that allow them; a page comment is visible exactly
when its page is readable and the comment approved.
"""

from datetime import timedelta

import feedparser
import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from blog.models import Page, Status
from comments import services
from comments.exceptions import CommentsClosed
from comments.models import Comment, Subscription
from comments.permissions import can_moderate, moderatable_comments

from .comments_support import READER_META, comment_data, submit
from .factories import CommentFactory, PageFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def guestbook():
    return PageFactory(title="Livre d’or", slug="livre-dor", allow_comments=True)


def page_comment(page, **fields):
    return CommentFactory(post=None, page=page, **fields)


def send_form(client, page, ip="203.0.113.57", **overrides):
    data = {key: value for key, value in comment_data(page, **overrides).items() if value is not None}
    return client.post(reverse("comments:page", args=[page.pk]), data, REMOTE_ADDR=ip)


# The model


def test_a_comment_is_on_a_post_or_a_page_never_both_nor_neither(guestbook):
    post = PostFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentFactory(post=post, page=guestbook)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentFactory(post=None, page=None)
    comment = page_comment(guestbook)
    assert comment.content == guestbook
    assert comment.get_absolute_url() == f"{guestbook.get_absolute_url()}#comment-{comment.pk}"


def test_existing_and_new_pages_do_not_take_comments_until_allowed():
    page = PageFactory()
    assert page.allow_comments is False
    with pytest.raises(CommentsClosed):
        submit(page)
    assert not Comment.objects.exists()


# The site


def test_the_page_shows_the_form_and_a_reader_comments_through_it(client, guestbook):
    shown = client.get(guestbook.get_absolute_url()).content.decode()
    assert gettext("Leave a comment") in shown
    assert f'action="{reverse("comments:page", args=[guestbook.pk])}"' in shown

    response = send_form(client, guestbook, body="Un mot dans le livre d’or")

    comment = Comment.objects.get()
    assert (comment.page, comment.post, comment.status) == (guestbook, None, Comment.Status.PENDING)
    assert response.status_code == 302
    assert response["Location"] == f"{guestbook.get_absolute_url()}#comment-{comment.pk}"
    # Its writer sees it waiting; nobody else does until a moderator approves it.
    assert "Un mot dans le livre d’or" in client.get(guestbook.get_absolute_url()).content.decode()
    from django.test import Client

    assert "Un mot dans le livre d’or" not in Client().get(guestbook.get_absolute_url()).content.decode()


def test_approved_page_comments_show_threaded_on_the_page(client, guestbook):
    root = page_comment(guestbook, body="Premier message")
    page_comment(guestbook, parent=root, body="Une réponse")
    page_comment(guestbook, status="pending", body="Pas encore")
    shown = client.get(guestbook.get_absolute_url()).content.decode()
    assert "Premier message" in shown and "Une réponse" in shown
    assert 'class="children"' in shown
    assert "Pas encore" not in shown


def test_a_reply_must_be_on_the_same_page(client, guestbook):
    other = page_comment(PageFactory(allow_comments=True))
    on_a_post = CommentFactory()
    for parent in (other, on_a_post):
        with pytest.raises(Exception) as refused:
            submit(guestbook, parent=parent.pk)
        assert "parent" in refused.value.message_dict
    reply = submit(guestbook, parent=page_comment(guestbook).pk)
    assert reply.page == guestbook


def test_a_page_without_comments_shows_no_form_and_refuses_one(client):
    page = PageFactory(allow_comments=False)
    shown = client.get(page.get_absolute_url()).content.decode()
    assert gettext("Leave a comment") not in shown and 'id="comments"' not in shown
    response = send_form(client, page)
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_comments_on_an_unpublished_page_are_invisible_and_refused(client, guestbook):
    draft = PageFactory(allow_comments=True, status=Status.DRAFT, published_at=None)
    page_comment(draft, body="Sur un brouillon")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert send_form(client, draft).status_code == 404
    assert client.get(f"/api/v1/pages/{draft.slug}/comments/").status_code == 404
    assert client.get(f"/{draft.slug}/comments/feed/").status_code == 404
    assert "Sur un brouillon" not in client.get(reverse("comments:feed")).content.decode()
    assert Comment.objects.filter(page=draft).count() == 1


def test_a_page_scheduled_for_later_is_not_readable_yet(client):
    later = PageFactory(allow_comments=True, published_at=timezone.now() + timedelta(days=1))
    page_comment(later, body="Trop tôt")
    assert client.get(f"/api/v1/pages/{later.slug}/comments/").status_code == 404
    assert "Trop tôt" not in client.get(reverse("comments:feed")).content.decode()


def test_a_page_that_is_unpublished_hides_its_comments_again(client, guestbook):
    page_comment(guestbook, body="Visible tant que la page l’est")
    assert "Visible tant" in client.get(f"/api/v1/pages/{guestbook.slug}/comments/").content.decode()
    guestbook.status = Status.DRAFT
    guestbook.save()
    assert client.get(f"/api/v1/pages/{guestbook.slug}/comments/").status_code == 404
    assert "Visible tant" not in client.get(reverse("comments:feed")).content.decode()


# Moderation


def test_editors_moderate_page_comments_authors_do_not(guestbook, editor, author_user):
    comment = page_comment(guestbook, status="pending")
    assert can_moderate(editor, comment)
    assert not can_moderate(author_user, comment)
    assert list(moderatable_comments(editor, Comment.objects.all())) == [comment]
    assert not moderatable_comments(author_user, Comment.objects.all()).exists()
    services.comment_moderate(comment=comment, action="approve", by=editor)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_a_moderator_reply_stays_on_the_page(guestbook, editor):
    parent = page_comment(guestbook, status="pending")
    reply = services.comment_reply(parent=parent, body="Merci pour votre message", by=editor)
    assert (reply.page_id, reply.post_id, reply.parent_id) == (guestbook.pk, None, parent.pk)


def test_a_held_page_comment_is_announced_to_editors(guestbook, editor, django_capture_on_commit_callbacks):
    editor.email = "editrice@example.net"
    editor.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit(guestbook, body="À modérer")
    assert any("editrice@example.net" in message.to for message in mail.outbox)
    assert any("Livre d’or" in message.subject for message in mail.outbox)


def test_the_admin_lists_page_comments_for_editors(client, guestbook, editor):
    page_comment(guestbook, body="Dans l’admin")
    client.force_login(editor)
    listing = client.get(reverse("admin:comments_comment_changelist")).content.decode()
    assert "Livre d’or" in listing


# Following the discussion


def test_following_a_page_discussion_mails_its_replies(guestbook, editor, django_capture_on_commit_callbacks):
    first = submit(guestbook, author_email="suit@example.net", notify=True)
    subscription = Subscription.objects.get()
    assert (subscription.page, subscription.post) == (guestbook, None)
    services.subscription_confirm(subscription=subscription)
    services.comment_moderate(comment=first, action="approve", by=editor)
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        reply = submit(guestbook, parent=first.pk, author_email="autre@example.net", ip="198.51.100.9")
        services.comment_moderate(comment=reply, action="approve", by=editor)
    to_follower = [message for message in mail.outbox if "suit@example.net" in message.to]
    assert len(to_follower) == 1
    assert guestbook.get_absolute_url() in to_follower[0].body


# API


def test_the_api_gives_a_page_thread_and_takes_a_comment(api_client, guestbook):
    root = page_comment(guestbook)
    page_comment(guestbook, parent=root)
    url = f"/api/v1/pages/{guestbook.slug}/comments/"
    body = api_client.get(url).json()
    assert body["count"] == 2 and body["comments_open"] is True
    assert [reply["parent"] for reply in body["results"][0]["replies"]] == [root.pk]

    token = api_client.get(f"{url}token/").json()
    with time_machine.travel(timezone.now() + timedelta(seconds=10)):
        response = api_client.post(
            url,
            {"author_name": "Zoé", "author_email": "zoe@example.net", "body": "Bonjour !", **token},
            REMOTE_ADDR="203.0.113.57",
        )
    assert response.status_code == 201, response.content
    assert Comment.objects.get(pk=response.json()["id"]).page == guestbook


def test_the_api_refuses_a_comment_on_a_page_with_comments_off(api_client):
    page = PageFactory(allow_comments=False)
    url = f"/api/v1/pages/{page.slug}/comments/"
    assert api_client.get(url).json()["comments_open"] is False
    assert api_client.get(f"{url}token/").status_code == 403
    token = services.comment_form_token(post=page)
    response = api_client.post(
        url, {"author_name": "Zoé", "author_email": "z@example.net", "body": "x", **token}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "comments_closed"


def test_a_token_for_a_post_does_not_serve_for_the_page_with_the_same_id():
    from comments.tokens import token_nonce

    post = PostFactory()
    page = PageFactory(id=post.pk, allow_comments=True)

    assert token_nonce(post=page, token=services.comment_form_token(post=post)) is None
    assert token_nonce(post=page, token=services.comment_form_token(post=page)) is not None


def test_the_moderation_api_shows_and_filters_by_page(api_client, guestbook, editor):
    comment = page_comment(guestbook, status="pending")
    CommentFactory(status="pending")
    api_client.force_authenticate(editor)
    body = api_client.get(f"/api/v1/moderation/comments/?page_slug={guestbook.slug}").json()
    assert [item["id"] for item in body["results"]] == [comment.pk]
    assert body["results"][0]["page"]["slug"] == guestbook.slug
    assert body["results"][0]["post"] is None


def test_pages_in_the_api_say_whether_they_take_comments(api_client, guestbook):
    assert api_client.get(f"/api/v1/pages/{guestbook.slug}/").json()["allow_comments"] is True


# Feeds


def test_a_page_has_its_comment_feed_and_its_comments_are_in_the_site_feed(client, guestbook):
    page_comment(guestbook, author_name="Camille", body="Dans le flux")
    own = feedparser.parse(client.get(f"/{guestbook.slug}/comments/feed/").content)
    assert [entry.author for entry in own.entries] == ["Camille"]
    assert guestbook.get_absolute_url() in own.entries[0].link
    everything = feedparser.parse(client.get(reverse("comments:feed")).content)
    assert any("Livre d’or" in entry.title for entry in everything.entries)
    page = client.get(guestbook.get_absolute_url()).content.decode()
    assert f'href="/{guestbook.slug}/comments/feed/"' in page


def test_a_page_without_comments_has_no_comment_feed(client):
    page = PageFactory(allow_comments=False)
    assert client.get(f"/{page.slug}/comments/feed/").status_code == 404


# Personal data


def test_export_and_erase_cover_page_comments(guestbook):
    page_comment(guestbook, author_email="moi@example.net", body="Mon message")
    exported = services.personal_data_export(email="moi@example.net")
    assert exported["comments"][0]["post"] == "Livre d’or"
    assert services.personal_data_erase(email="moi@example.net") == 1
    assert Comment.objects.get().author_email == ""


def test_the_page_submission_keeps_the_reader_meta(guestbook):
    comment = services.comment_submit(post=guestbook, data=comment_data(guestbook), request_meta=READER_META)
    assert comment.ip_address == "203.0.113.0"


# The WordPress-compatible API


def test_wp_v2_comments_take_a_page_id_as_post_as_wordpress_does(client, guestbook):
    Page.objects.filter(pk=guestbook.pk).update(wordpress_id=146)
    on_page = page_comment(guestbook, body="Sur la page")
    on_post = CommentFactory(body="Sur un article")
    hidden = PageFactory(allow_comments=True, status=Status.DRAFT, published_at=None, wordpress_id=147)
    page_comment(hidden, body="Sur un brouillon")

    body = client.get("/wp-json/wp/v2/comments", {"post": 146}).json()
    assert [item["id"] for item in body] == [1_000_000_000 + on_page.pk]
    assert body[0]["post"] == 146
    assert client.get("/wp-json/wp/v2/comments", {"post": 147}).json() == []
    everything = client.get("/wp-json/wp/v2/comments", {"_embed": "up"}).json()
    assert sorted(item["post"] for item in everything) == [146, 1_000_000_000 + on_post.post_id]
    on_the_page = next(item for item in everything if item["post"] == 146)
    assert on_the_page["_links"]["up"][0]["href"].endswith("/wp/v2/pages/146")
    assert on_the_page["_embedded"]["up"][0]["type"] == "page"
    assert client.get("/wp-json/wp/v2/pages/146").json()["comment_status"] == "open"


# Cost


def test_a_page_with_comments_runs_the_same_queries_whatever_its_thread(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    small = PageFactory(allow_comments=True)
    large = PageFactory(allow_comments=True)
    page_comment(small)
    for _n in range(30):
        page_comment(large, parent=page_comment(large))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(small.get_absolute_url())  # warm up (the site's settings row, made on first read)
    counts = []
    for page in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page.get_absolute_url()).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
    without = PageFactory(allow_comments=False)
    with CaptureQueriesContext(connection) as queries:
        client.get(without.get_absolute_url())
    # The section costs its thread and the privacy page's link; a page without comments neither.
    assert len(queries.captured_queries) < counts[0]


def test_a_reader_edits_and_deletes_their_own_page_comment_from_the_same_browser(client, guestbook, settings):
    settings.COMMENTS_DEFAULT_STATUS = "approved"
    assert send_form(client, guestbook, body="Premier jet").status_code == 302
    comment = Comment.objects.get()
    shown = client.get(guestbook.get_absolute_url()).content.decode()
    edit = reverse("comments:edit", args=[guestbook.slug, comment.pk])
    assert f'action="{edit}"' in shown

    assert client.post(edit, {"body": "Version revue"}).status_code == 302
    comment.refresh_from_db()
    assert (comment.body, comment.page, comment.edited_at is not None) == ("Version revue", guestbook, True)
    from django.test import Client

    assert Client().post(edit, {"body": "Pas à moi"}).status_code == 403

    delete = reverse("comments:delete", args=[guestbook.slug, comment.pk])
    assert client.post(delete).status_code == 302
    assert not Comment.objects.exists()
