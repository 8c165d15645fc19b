"""
Which webhook events the site's changes send, and what they say: pages as posts,
`comment.approved` once per approval, `site.changed` for everything a static
frontend rebuilds for. The immediate task backend delivers each at once, after the
commit, to a real receiver on loopback.
"""

import json

import pytest
from django.db import transaction

from authors import roles
from blog.models import Page, Status
from blog.services import page_create, page_delete, page_update, post_create
from comments.models import Comment
from comments.services import comment_moderate
from core.models import SiteSettings
from webhooks.models import EVENTS, Delivery, Endpoint

from .factories import CategoryFactory, CommentFactory, PostFactory, TagFactory
from .webhook_support import Receiver

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def role_groups():
    roles.sync_role_groups()


@pytest.fixture(autouse=True)
def allow_loopback(settings):
    settings.PLUME_WEBHOOK_ALLOW_PRIVATE = True
    settings.PLUME_SITE_URL = "https://blog.example.fr"


@pytest.fixture
def receiver(editor):  # the users first: making them is no news for the endpoint
    with Receiver() as running:
        Endpoint.objects.create(url=running.url, events=list(EVENTS))
        yield running


def payloads(receiver, event):
    return [json.loads(body) for _, body in receiver.of(event)]


def test_pages_are_published_updated_unpublished_and_deleted(receiver, editor):
    page = page_create(by=editor, title="À propos", body="Qui nous sommes.", status=Status.PUBLISHED)
    page = page_update(page=page, by=editor, body="Qui nous sommes, vraiment.")
    page = page_update(page=page, by=editor, status=Status.DRAFT)
    page = page_update(page=page, by=editor, status=Status.PUBLISHED)
    page_delete(page=Page.objects.get(pk=page.pk), by=editor)

    assert [event for event in receiver.events() if event.startswith("page.")] == [
        "page.published",
        "page.updated",
        "page.unpublished",
        "page.published",
        "page.deleted",
    ]
    first = payloads(receiver, "page.published")[0]
    assert {key: first[key] for key in ("type", "id", "slug", "url", "status")} == {
        "type": "page",
        "id": page.pk,
        "slug": "a-propos",
        "url": "https://blog.example.fr/a-propos/",
        "status": "published",
    }
    assert receiver.events().count("site.changed") == 5


def test_a_draft_page_sends_nothing(receiver, editor):
    page = page_create(by=editor, title="Brouillon", body="…")
    page_update(page=page, by=editor, body="Encore.")
    page_delete(page=Page.objects.get(pk=page.pk), by=editor)

    assert receiver.events() == []


def test_a_comment_approved_by_a_moderator_is_one_event(receiver, editor):
    post = PostFactory(slug="un-billet")
    receiver.requests.clear()
    comment = CommentFactory(post=post, status=Comment.Status.PENDING)
    assert receiver.events() == []  # waiting for moderation: no news

    comment_moderate(comment=comment, action="approve", by=editor)
    comment_moderate(comment=Comment.objects.get(pk=comment.pk), action="approve", by=editor)  # again

    [payload] = payloads(receiver, "comment.approved")
    assert payload["id"] == comment.pk
    assert payload["url"].startswith("https://blog.example.fr/un-billet/")
    assert payload["post"] == {
        "id": post.pk,
        "slug": "un-billet",
        "url": "https://blog.example.fr/un-billet/",
    }
    assert "author_email" not in json.dumps(payload) and comment.author_email not in json.dumps(payload)


def test_a_comment_approved_on_arrival_is_an_event_too(receiver):
    post = PostFactory()
    receiver.requests.clear()
    comment = CommentFactory(post=post, status=Comment.Status.APPROVED)

    assert [payload["id"] for payload in payloads(receiver, "comment.approved")] == [comment.pk]


def test_terms_authors_and_site_settings_are_site_changes(receiver, editor):
    SiteSettings.objects.current()
    receiver.requests.clear()
    category = CategoryFactory()
    TagFactory()
    editor.author.display_name = "Rédaction"
    editor.author.save()
    SiteSettings.objects.current().save()
    category.delete()

    reasons = [payload["reason"] for payload in payloads(receiver, "site.changed")]
    assert reasons == ["category", "tag", "author", "sitesettings", "category"]


def test_one_transaction_of_many_changes_is_one_site_change(receiver, editor):
    with transaction.atomic():
        for _ in range(5):
            CategoryFactory()
            TagFactory()

    assert receiver.events() == ["site.changed"]


def test_publishing_a_post_filed_under_terms_is_one_event_of_each_kind(receiver, editor):
    categories, tags = [CategoryFactory() for _ in range(3)], [TagFactory() for _ in range(3)]
    receiver.requests.clear()

    post_create(
        by=editor,
        title="Tout ensemble",
        body="Texte.",
        status=Status.PUBLISHED,
        categories=categories,
        tags=tags,
    )

    assert sorted(receiver.events()) == ["post.published", "site.changed"]


def test_a_rolled_back_save_sends_nothing(receiver, editor):
    with pytest.raises(RuntimeError), transaction.atomic():
        post_create(by=editor, title="Annulé", body="Texte.", status=Status.PUBLISHED)
        raise RuntimeError

    assert receiver.events() == []
    assert not Delivery.objects.exists()


def test_a_change_after_a_rolled_back_savepoint_still_counts(receiver, editor):
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            CategoryFactory()
            raise RuntimeError  # its site change goes with it
        TagFactory()

    [payload] = payloads(receiver, "site.changed")
    assert payload["reason"] == "tag"
