"""Who may moderate what: editors and superusers all, authors their own posts, contributors nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from comments.models import Comment
from comments.permissions import can_moderate
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


# The users today's drift came from: the rule is asked of one comment, of the queue and of
# the recipients of the moderators' e-mail, and every answer must agree.


@pytest.fixture
def drift_users(db):
    from django.contrib.auth.models import Group, Permission

    from authors import roles
    from tests.factories import AuthorFactory, UserFactory

    lone_superuser = UserFactory(username="lone-admin", is_superuser=True)  # in no group, not staff
    granted = UserFactory(username="granted")  # the permission on the account, no group
    granted.user_permissions.add(Permission.objects.get(codename="moderate_others_comments"))
    stripped_editor = AuthorFactory(user=UserFactory(username="stripped-editor", role=roles.EDITOR)).user
    Group.objects.get(name=roles.EDITOR).permissions.remove(
        Permission.objects.get(codename="moderate_others_comments")
    )
    inactive_editor = UserFactory(username="inactive", role=roles.AUTHOR, is_active=False)
    inactive_editor.user_permissions.add(Permission.objects.get(codename="moderate_others_comments"))
    return {
        "lone superuser": (lone_superuser, True),
        "moderate_others_comments on the account": (granted, True),
        "editor whose group lost moderate_others_comments": (stripped_editor, False),
        "inactive user with the permission": (inactive_editor, False),
    }


def test_every_form_of_the_rule_agrees_for_the_users_of_the_drift(drift_users, other_comment):
    from comments.permissions import can_erase_personal_data, moderators

    comments = Comment.objects.filter(pk=other_comment.pk)
    for name, (user, may) in drift_users.items():
        user = type(user).objects.get(pk=user.pk)  # no permission cache from the fixture
        assert can_moderate(user, other_comment) is may, name
        assert can_erase_personal_data(user) is may, name
        assert Comment.objects.moderatable_by(user).filter(pk=other_comment.pk).exists() is may, name
        assert moderators(other_comment).filter(pk=user.pk).exists() is may, name
        assert comments.moderatable_by(user).exists() is may, name


def test_a_post_author_is_a_moderator_of_its_comments_only_with_the_author_role(contributor, author_user):
    from comments.permissions import moderators

    on_authors_post = CommentFactory(post=PostFactory(author=author_user.author))
    on_contributors_post = CommentFactory(post=PostFactory(author=contributor.author))
    assert author_user in moderators(on_authors_post)
    assert author_user not in moderators(on_contributors_post)
    assert contributor not in moderators(on_contributors_post)
    assert not can_moderate(contributor, on_contributors_post)


def test_erasing_personal_data_is_for_those_who_moderate_every_comment(users, superuser):
    from comments.permissions import can_erase_personal_data

    allowed = {
        name for name, user in {**users, "superuser": superuser}.items() if can_erase_personal_data(user)
    }
    # The matrix's extra accounts: an editor lacking only publish_post, and a superuser who is not staff.
    assert allowed == {"editor", "superuser", "editor_without_publish", "superuser_not_staff"}
