"""The moderation admin: queue, bulk actions, reply, pending count, personal data actions."""

import json

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from comments.models import Comment, CommentReport
from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")


@pytest.fixture
def own_post(author_user):
    return PostFactory(author=author_user.author)


def act(client, action, comments):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [c.pk for c in comments]}, follow=True
    )


def test_changelist_shows_rule_reason_and_report_count(client, editor):
    comment = CommentFactory(
        status=Comment.Status.PENDING, moderation_rule="too_many_links", moderation_reason="Trop de liens"
    )
    CommentReport.objects.create(comment=comment, reporter_key="a", reason="pub")
    client.force_login(editor)
    response = client.get(CHANGELIST)
    page = response.content.decode()
    assert response.status_code == 200
    assert "too_many_links" in page and "Trop de liens" in page
    assert '<td class="field-report_count">1</td>' in page


def test_status_filter_lists_pending_first(client, editor):
    client.force_login(editor)
    page = client.get(CHANGELIST).content.decode()
    positions = [page.index(f"?status={status}") for status in ("pending", "approved", "spam", "trash")]
    assert positions == sorted(positions)


def test_bulk_actions_moderate_the_selection(client, editor):
    comments = CommentFactory.create_batch(2, status=Comment.Status.PENDING)
    client.force_login(editor)
    for action, status in [
        ("approve", "approved"),
        ("mark_spam", "spam"),
        ("trash", "trash"),
        ("restore", "pending"),
    ]:
        act(client, action, comments)
        assert set(Comment.objects.values_list("status", flat=True)) == {status}, action


def test_author_sees_and_moderates_only_their_posts_comments(client, author_user, own_post):
    mine = CommentFactory(post=own_post, status=Comment.Status.PENDING, body="Sur mon billet")
    theirs = CommentFactory(status=Comment.Status.PENDING, body="Sur un autre billet")
    client.force_login(author_user)
    page = client.get(CHANGELIST).content.decode()
    assert "Sur mon billet" in page and "Sur un autre billet" not in page
    act(client, "approve", [mine, theirs])
    assert Comment.objects.get(pk=mine.pk).status == Comment.Status.APPROVED
    assert Comment.objects.get(pk=theirs.pk).status == Comment.Status.PENDING
    assert client.get(reverse("admin:comments_comment_change", args=[theirs.pk])).status_code == 302


def test_contributor_has_no_comment_admin(client, contributor):
    client.force_login(contributor)
    assert client.get(CHANGELIST).status_code == 403


def test_reply_from_the_admin(client, editor):
    parent = CommentFactory(status=Comment.Status.PENDING)
    client.force_login(editor)
    url = reverse("admin:comments_comment_reply", args=[parent.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"body": "Merci pour votre retour !"})
    reply = Comment.objects.get(parent=parent)
    assert response.status_code == 302
    assert reply.status == Comment.Status.APPROVED and reply.user == editor
    assert Comment.objects.get(pk=parent.pk).status == Comment.Status.APPROVED


def test_author_cannot_reply_from_the_admin_to_another_post(client, author_user):
    parent = CommentFactory()
    client.force_login(author_user)
    response = client.post(reverse("admin:comments_comment_reply", args=[parent.pk]), {"body": "x"})
    assert response.status_code == 404
    assert not Comment.objects.filter(parent=parent).exists()


def test_changing_the_status_in_the_form_records_the_moderator(client, editor):
    comment = CommentFactory(status=Comment.Status.PENDING)
    client.force_login(editor)
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    data = {
        "author_name": comment.author_name,
        "author_email": comment.author_email,
        "author_url": "",
        "body": comment.body,
        "status": "approved",
        "reports-TOTAL_FORMS": "0",
        "reports-INITIAL_FORMS": "0",
    }
    assert client.post(url, data).status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.moderation_rule) == ("approved", "moderator")


def change_form_data(comment, **changes):
    return {
        "author_name": comment.author_name,
        "author_email": comment.author_email,
        "author_url": "",
        "body": comment.body,
        "status": comment.status,
        "reports-TOTAL_FORMS": "0",
        "reports-INITIAL_FORMS": "0",
        **changes,
    }


def test_approving_a_reported_comment_in_the_form_resolves_its_reports(client, editor):
    comment = CommentFactory(status=Comment.Status.PENDING, moderation_rule="reports")
    for key in ("a", "b"):
        CommentReport.objects.create(comment=comment, reporter_key=key, reason="hors sujet")
    client.force_login(editor)
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    response = client.post(url, change_form_data(comment, status="approved"))
    assert response.status_code == 302
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.APPROVED
    assert not CommentReport.objects.filter(comment=comment, resolved=False).exists()


def test_the_form_and_the_list_actions_record_the_same_reason(client, editor):
    by_form, by_action = CommentFactory.create_batch(2, status=Comment.Status.PENDING)
    client.force_login(editor)
    # A moderator reading the admin in English: the reason is stored in the site's language.
    client.post(
        reverse("admin:comments_comment_change", args=[by_form.pk]),
        change_form_data(by_form, status="spam"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    act(client, "mark_spam", [by_action])
    by_form.refresh_from_db()
    by_action.refresh_from_db()
    assert by_form.moderation_reason == by_action.moderation_reason
    assert (by_form.moderation_rule, by_form.status) == ("moderator", "spam")


def test_editing_the_text_alone_keeps_the_verdict(client, editor):
    comment = CommentFactory(
        status=Comment.Status.PENDING, moderation_rule="too_many_links", moderation_reason="Trop de liens"
    )
    client.force_login(editor)
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    assert client.post(url, change_form_data(comment, body="Texte corrigé")).status_code == 302
    comment.refresh_from_db()
    assert (comment.body, comment.moderation_rule, comment.status) == (
        "Texte corrigé",
        "too_many_links",
        "pending",
    )


def test_changelist_links_to_the_comment_on_the_site(client, editor):
    comment = CommentFactory()
    client.force_login(editor)
    assert f'href="{comment.get_absolute_url()}"' in client.get(CHANGELIST).content.decode()


def test_admin_index_shows_the_pending_count(client, editor, author_user, own_post):
    CommentFactory.create_batch(2, status=Comment.Status.PENDING)
    CommentFactory(post=own_post, status=Comment.Status.PENDING)
    client.force_login(editor)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="comments-pending"' in page
    assert f"{CHANGELIST}?status=pending" in page
    assert "3" in page.split('id="comments-pending"')[1].split("</div>")[0]
    client.force_login(author_user)
    author_page = client.get(reverse("admin:index")).content.decode()
    assert "1" in author_page.split('id="comments-pending"')[1].split("</div>")[0]


def test_export_and_erase_actions_for_editors(client, editor):
    comment = CommentFactory(author_email="zoe@example.net", author_name="Zoé", body="Gardé")
    CommentFactory(author_email="zoe@example.net")
    client.force_login(editor)
    response = client.post(CHANGELIST, {"action": "export_personal_data", "_selected_action": [comment.pk]})
    data = json.loads(response.content)
    assert data[0]["email"] == "zoe@example.net" and len(data[0]["comments"]) == 2
    act(client, "erase_personal_data", [comment])
    comment.refresh_from_db()
    assert comment.author_email == "" and comment.body == "Gardé"
    assert not Comment.objects.filter(author_email="zoe@example.net").exists()


def test_authors_do_not_get_the_personal_data_actions(client, author_user, own_post):
    CommentFactory(post=own_post)
    client.force_login(author_user)
    page = client.get(CHANGELIST).content.decode()
    assert "erase_personal_data" not in page
    assert gettext("Approve selected comments") in page


def test_moderation_words_are_editable_in_the_admin(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:comments_moderationword_add"), {"word": "casino", "action": "block"}
    )
    assert response.status_code == 302


def test_change_page_shows_the_reports_and_their_reasons(client, editor):
    comment = CommentFactory(body="Texte signalé")
    CommentReport.objects.create(comment=comment, reporter_key="k1", reason="Propos injurieux")
    client.force_login(editor)
    page = client.get(reverse("admin:comments_comment_change", args=[comment.pk])).content.decode()
    assert "Propos injurieux" in page
    assert reverse("admin:comments_comment_reply", args=[comment.pk]) in page
