"""
Submit for review: a contributor submits a draft, editors see the queue and are
told by e-mail, an editor publishes, schedules or sends it back with a note the
contributor sees; authors publish their own posts or submit them. The API has
the same transitions and rules; WordPress's "pending" imports as pending review.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from authors import roles
from blog.models import Post, Status
from blog.services import post_create, post_publish, post_send_back, post_submit, post_update

from .admin_support import post_form_data
from .factories import AuthorFactory, UserFactory
from .versions_support import if_match

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reviewers(editor):
    editor.email = "editor@example.org"
    editor.save()


def draft_of(user, **fields):
    return post_create(by=user, title=fields.pop("title", "À relire"), body="Un texte.", **fields)


# The services and the policy


def test_a_contributor_submits_a_draft_and_the_editors_are_told(
    contributor, django_capture_on_commit_callbacks
):
    post = draft_of(contributor)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        post_submit(post=post, by=contributor)

    post.refresh_from_db()
    assert post.status == Status.PENDING and post.submitted_at is not None
    assert not post.is_public
    assert [message.to for message in mail.outbox] == [["editor@example.org"]]
    assert post.title in mail.outbox[0].subject
    assert reverse("admin:blog_post_change", args=[post.pk]) in mail.outbox[0].body


def test_a_contributor_can_never_publish_a_post_awaiting_review(contributor):
    post = draft_of(contributor)
    post_submit(post=post, by=contributor)

    with pytest.raises(ValidationError):
        post_update(post=post, by=contributor, status=Status.PUBLISHED)
    with pytest.raises(PermissionDenied):
        post_publish(post=post, by=contributor)
    with pytest.raises(PermissionDenied):
        post_send_back(post=post, by=contributor, note="Moi-même")


def test_an_editor_sends_it_back_with_a_note_the_contributor_is_told_of(contributor, editor):
    contributor.email = "contrib@example.org"
    contributor.save()
    post = draft_of(contributor)
    post_submit(post=post, by=contributor)
    mail.outbox.clear()

    post_send_back(post=post, by=editor, note="Sourcez le deuxième paragraphe.")

    post.refresh_from_db()
    assert post.status == Status.DRAFT
    assert post.review_note == "Sourcez le deuxième paragraphe."
    assert [message.to for message in mail.outbox] == [["contrib@example.org"]]
    assert "Sourcez le deuxième paragraphe." in mail.outbox[0].body


def test_sending_back_needs_a_note(contributor, editor):
    post = draft_of(contributor)
    post_submit(post=post, by=contributor)

    with pytest.raises(ValidationError) as refused:
        post_send_back(post=post, by=editor, note="  ")
    assert list(refused.value.message_dict) == ["note"]


def test_an_editor_publishes_or_schedules_a_post_awaiting_review_and_the_note_goes(contributor, editor):
    post = draft_of(contributor)
    post_submit(post=post, by=contributor)
    post_send_back(post=post, by=editor, note="Un titre plus court.")
    post_submit(post=post, by=contributor)

    later = timezone.now() + timedelta(days=2)
    post_publish(post=post, by=editor, published_at=later)

    post.refresh_from_db()
    assert post.is_scheduled and post.review_note == ""


def test_an_author_publishes_directly_or_submits(author_user):
    published = post_create(by=author_user, title="Direct", body="Texte.", status=Status.PUBLISHED)
    submitted = draft_of(author_user)
    post_submit(post=submitted, by=author_user)

    assert published.is_public
    assert Post.objects.get(pk=submitted.pk).status == Status.PENDING


def test_only_a_draft_is_submitted(author_user):
    post = post_create(by=author_user, title="Déjà en ligne", body="Texte.", status=Status.PUBLISHED)
    with pytest.raises(PermissionDenied):
        post_submit(post=post, by=author_user)


def test_another_author_may_not_review(contributor):
    post = draft_of(contributor)
    post_submit(post=post, by=contributor)
    with pytest.raises(PermissionDenied):
        post_send_back(post=post, by=UserFactory(role=roles.AUTHOR), note="Non.")


def test_a_pending_post_is_not_public(client, contributor):
    post = draft_of(contributor)
    post_submit(post=post, by=contributor)

    assert client.get(post.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/posts/{post.slug}/").status_code == 404


# The admin


def test_the_contributor_submits_from_the_form(client, contributor):
    client.force_login(contributor)
    data = post_form_data(title="Depuis le formulaire")
    data["_submit_review"] = "1"

    response = client.post(reverse("admin:blog_post_add"), data)

    assert response.status_code == 302
    assert Post.objects.get().status == Status.PENDING


def test_the_draft_form_offers_submit_for_review(client, contributor):
    post = draft_of(contributor)
    client.force_login(contributor)

    content = client.get(reverse("admin:blog_post_change", args=[post.pk])).content.decode()

    assert 'name="_submit_review"' in content


def test_the_editor_sees_the_queue_badge_and_filter(client, contributor, editor):
    for n in range(3):
        post_submit(post=draft_of(contributor, title=f"En attente {n}"), by=contributor)
    draft_of(contributor, title="Pas soumis")
    client.force_login(editor)

    index = client.get(reverse("admin:index")).content.decode()
    assert 'class="module posts-awaiting-review"' in index
    assert "3" in index.split('class="module posts-awaiting-review"')[1].split("</div>")[0]

    queue = client.get(reverse("admin:blog_post_changelist"), {"status__exact": "pending"})
    content = queue.content.decode()
    assert "En attente 0" in content and "Pas soumis" not in content


def test_the_queue_runs_a_constant_number_of_queries(client, contributor, editor):
    client.force_login(editor)
    url = reverse("admin:blog_post_changelist") + "?status__exact=pending"
    post_submit(post=draft_of(contributor, title="Un"), by=contributor)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(10):
        writer = AuthorFactory(user=UserFactory(role=roles.CONTRIBUTOR)).user
        post_submit(post=draft_of(writer, title=f"Encore {n}"), by=writer)
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)


def test_a_contributor_sees_no_queue_badge(client, contributor):
    post_submit(post=draft_of(contributor), by=contributor)
    client.force_login(contributor)

    assert 'class="module posts-awaiting-review"' not in client.get(reverse("admin:index")).content.decode()


def test_the_editor_sends_back_from_the_admin_and_the_contributor_reads_the_note(client, contributor, editor):
    post = draft_of(contributor)
    post_submit(post=post, by=contributor)
    client.force_login(editor)
    change = client.get(reverse("admin:blog_post_change", args=[post.pk])).content.decode()
    assert reverse("admin:blog_post_send_back", args=[post.pk]) in change

    response = client.post(reverse("admin:blog_post_send_back", args=[post.pk]), {"note": "Plus de sources."})

    assert response.status_code == 302
    client.force_login(contributor)
    page = client.get(reverse("admin:blog_post_change", args=[post.pk])).content.decode()
    assert 'class="module review-note"' in page and "Plus de sources." in page


def test_the_send_back_page_is_404_to_a_contributor(client, contributor):
    post = draft_of(contributor)
    post_submit(post=post, by=contributor)
    client.force_login(contributor)

    assert client.get(reverse("admin:blog_post_send_back", args=[post.pk])).status_code == 404


# The API


def test_the_api_submits_and_sends_back_with_the_same_rules(api_client, contributor, editor):
    post = draft_of(contributor)
    api_client.force_authenticate(contributor)

    submitted = api_client.post(f"/api/v1/posts/{post.slug}/submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "pending"
    published = api_client.patch(f"/api/v1/posts/{post.slug}/", {"status": "published"}, **if_match(post))
    assert published.status_code == 400
    assert api_client.post(f"/api/v1/posts/{post.slug}/send-back/", {"note": "x"}).status_code == 403

    api_client.force_authenticate(editor)
    queue = api_client.get("/api/v1/posts/", {"status": "pending"})
    assert [item["slug"] for item in queue.json()["results"]] == [post.slug]
    assert api_client.post(f"/api/v1/posts/{post.slug}/send-back/", {}).status_code == 400
    sent_back = api_client.post(f"/api/v1/posts/{post.slug}/send-back/", {"note": "Revoir l’intro."})
    assert sent_back.status_code == 200
    assert sent_back.json()["status"] == "draft" and sent_back.json()["review_note"] == "Revoir l’intro."


def test_writing_status_pending_in_the_api_is_a_submission(
    api_client, contributor, django_capture_on_commit_callbacks
):
    post = draft_of(contributor)
    api_client.force_authenticate(contributor)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.patch(
            f"/api/v1/posts/{post.slug}/", {"status": "pending"}, format="json", **if_match(post)
        )

    assert response.status_code == 200
    assert len(mail.outbox) == 1


def test_the_api_refuses_another_users_draft(api_client, contributor):
    post = draft_of(contributor)
    api_client.force_authenticate(UserFactory(role=roles.CONTRIBUTOR))

    assert api_client.post(f"/api/v1/posts/{post.slug}/submit/").status_code == 404


# WordPress


def test_wordpress_pending_imports_as_pending_review():
    # The import's own tests prove it on a real file (test_wordpress_import.py, post 104).
    from wordpress.importer.content import ContentImport

    class Item:
        password, status, date = "", "pending", None

    assert ContentImport.status_for(object.__new__(ContentImport), Item(), "t") == (Status.PENDING, None)


def test_the_status_is_translated():
    from django.utils import translation

    with translation.override("fr"):
        assert str(Status.PENDING.label) == "En attente de relecture"
