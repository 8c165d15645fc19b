"""Who may moderate what: editors and superusers all, authors their own posts, contributors nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from comments.models import Comment
from comments.moderation import can_moderate
from comments.services import comment_moderate, comment_reply
from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_comment(author_user):
    return CommentFactory(post=PostFactory(author=author_user.author), status=Comment.Status.PENDING)


@pytest.fixture
def other_comment():
    return CommentFactory(status=Comment.Status.PENDING)


def test_editor_and_superuser_moderate_every_comment(editor, superuser, own_comment, other_comment):
    for user in (editor, superuser):
        assert can_moderate(user)
        assert can_moderate(user, own_comment) and can_moderate(user, other_comment)
        assert set(Comment.objects.moderatable_by(user)) == {own_comment, other_comment}


def test_author_moderates_only_comments_on_their_own_posts(author_user, own_comment, other_comment):
    assert can_moderate(author_user, own_comment)
    assert not can_moderate(author_user, other_comment)
    assert list(Comment.objects.moderatable_by(author_user)) == [own_comment]


def test_contributor_and_reader_moderate_nothing(contributor, reader, own_comment):
    for user in (contributor, reader):
        assert not can_moderate(user)
        assert not can_moderate(user, own_comment)
        assert not Comment.objects.moderatable_by(user).exists()


def test_anonymous_and_inactive_users_moderate_nothing(editor, own_comment):
    from django.contrib.auth.models import AnonymousUser

    assert not can_moderate(AnonymousUser(), own_comment)
    editor.is_active = False
    assert not can_moderate(editor, own_comment)


@pytest.mark.parametrize(
    ("action", "status"),
    [("approve", "approved"), ("spam", "spam"), ("trash", "trash"), ("restore", "pending")],
)
def test_moderation_actions_set_the_status_and_say_who(editor, other_comment, action, status):
    comment_moderate(comment=other_comment, action=action, by=editor)
    other_comment.refresh_from_db()
    assert other_comment.status == status
    assert other_comment.moderation_rule == "moderator"
    assert "editor" in other_comment.moderation_reason


def test_author_cannot_moderate_another_authors_comment(author_user, other_comment):
    with pytest.raises(PermissionDenied):
        comment_moderate(comment=other_comment, action="approve", by=author_user)
    other_comment.refresh_from_db()
    assert other_comment.status == Comment.Status.PENDING


def test_contributor_cannot_moderate(contributor, own_comment):
    with pytest.raises(PermissionDenied):
        comment_moderate(comment=own_comment, action="spam", by=contributor)


def test_unknown_action_is_a_validation_error(editor, own_comment):
    with pytest.raises(ValidationError):
        comment_moderate(comment=own_comment, action="delete", by=editor)


def test_moderator_reply_is_approved_threaded_and_approves_its_parent(author_user, own_comment):
    reply = comment_reply(parent=own_comment, body="Merci, c’est corrigé.", by=author_user)
    own_comment.refresh_from_db()
    assert reply.status == Comment.Status.APPROVED
    assert reply.parent == own_comment
    assert reply.user == author_user
    assert reply.author_name == author_user.author.display_name
    assert own_comment.status == Comment.Status.APPROVED


def test_reply_respects_permissions(author_user, other_comment):
    with pytest.raises(PermissionDenied):
        comment_reply(parent=other_comment, body="Non.", by=author_user)
    assert not Comment.objects.filter(parent=other_comment).exists()


def test_reply_to_spam_is_refused(editor, other_comment):
    other_comment.status = Comment.Status.SPAM
    other_comment.save()
    with pytest.raises(ValidationError):
        comment_reply(parent=other_comment, body="Réponse", by=editor)


def test_empty_reply_is_refused(editor, other_comment):
    with pytest.raises(ValidationError):
        comment_reply(parent=other_comment, body="   ", by=editor)
