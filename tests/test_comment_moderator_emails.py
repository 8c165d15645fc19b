"""
Who is told of a comment waiting for moderation: exactly the active users with an
e-mail address who may moderate it (comments.permissions), minus its writer.
Before, the mail went to the Editor group and the post's author whatever their rights.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail

from authors import roles
from comments.models import Comment
from comments.permissions import can_moderate
from comments.services import moderator_recipients, notify_moderators
from tests.factories import AuthorFactory, CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def pending_on(author_user, **fields):
    return CommentFactory(
        post=PostFactory(author=author_user.author), status=Comment.Status.PENDING, **fields
    )


def mailed(comment):
    mail.outbox.clear()
    notify_moderators(comment=comment)
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_superuser_outside_every_group_is_mailed(author_user):
    lone = UserFactory(username="lone-admin", email="admin@example.org", is_superuser=True)
    assert lone.email in mailed(pending_on(author_user))


def test_a_contributor_is_not_mailed_even_for_a_comment_on_their_own_post(contributor, editor):
    assert mailed(pending_on(contributor)) == [editor.email]


def test_a_post_author_without_a_role_is_not_mailed(editor):
    plain = AuthorFactory(user=UserFactory(username="plain")).user
    assert mailed(pending_on(plain)) == [editor.email]


def test_the_author_of_the_post_and_the_editors_are_mailed(author_user, editor):
    assert mailed(pending_on(author_user)) == sorted([author_user.email, editor.email])


def test_an_editor_without_the_moderation_permission_is_not_mailed(author_user, editor):
    Group.objects.get(name=roles.EDITOR).permissions.remove(
        Permission.objects.get(codename="moderate_others_comments")
    )
    assert mailed(pending_on(author_user)) == [author_user.email]


def test_the_permission_given_to_an_account_outside_every_group_is_enough(author_user):
    granted = UserFactory(username="granted")
    granted.user_permissions.add(Permission.objects.get(codename="moderate_others_comments"))
    assert granted.email in mailed(pending_on(author_user))


def test_inactive_users_and_users_without_an_address_are_not_mailed(author_user, editor):
    UserFactory(username="gone", role=roles.EDITOR, is_active=False)
    UserFactory(username="silent", role=roles.EDITOR, email="")
    assert mailed(pending_on(author_user)) == sorted([author_user.email, editor.email])


def test_the_writer_of_the_comment_is_not_mailed(author_user, editor):
    assert mailed(pending_on(author_user, user=editor, author_email=editor.email)) == [author_user.email]


def test_recipients_are_exactly_who_may_moderate(contributor, author_user, editor, superuser, reader):
    UserFactory(username="lone-admin", is_superuser=True)
    everyone = type(editor).objects.all()
    for comment in (pending_on(author_user), pending_on(contributor), CommentFactory()):
        expected = sorted(
            user.email for user in everyone if user.is_active and user.email and can_moderate(user, comment)
        )
        assert moderator_recipients(comment) == expected
