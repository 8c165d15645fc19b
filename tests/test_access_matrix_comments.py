"""
Who moderates comments, and who sees a commenter's e-mail and IP: the role matrix
against the admin (list, form, bulk actions) and the API (public thread, moderation
endpoints), with the post page and the comment feeds. Authors moderate the comments
on their own posts; editors and superusers all comments; nobody else any. Personal
data is shown to a comment's moderators only, never on a public surface.
"""

import pytest
from django.urls import reverse

from comments.models import Comment

from .access_support import ROLES, log_in, matrix
from .factories import AuthorFactory, CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

EMAIL = "zoe.secrete@example.net"
IP = "198.51.100.0"
MODERATORS = {
    "own post": {"contributor": False, "author": True, "editor": True, "superuser": True},
    "others' post": {role: role in {"editor", "superuser"} for role in ROLES},
}

# Anonymous: authenticate; no moderation right: forbidden; an author and someone else's comment: not found.
REFUSAL_STATUS = {"anonymous": 401, "reader": 403, "contributor": 403, "author": 404}


def comment_on(user, whose, status=Comment.Status.PENDING):
    if whose == "own post":
        post = PostFactory(author=user.author)
    else:
        post = PostFactory(author=AuthorFactory(slug="simone"))
    return CommentFactory(post=post, status=status, author_email=EMAIL, ip_address=IP, body="Un avis.")


def approve_with_admin_action(client, api_client, comment):
    return client.post(
        reverse("admin:comments_comment_changelist"), {"action": "approve", "_selected_action": [comment.pk]}
    )


def approve_with_admin_form(client, api_client, comment):
    return client.post(
        reverse("admin:comments_comment_change", args=[comment.pk]),
        {
            "author_name": comment.author_name,
            "author_email": comment.author_email,
            "author_url": "",
            "body": comment.body,
            "status": Comment.Status.APPROVED,
            "reports-TOTAL_FORMS": "0",
            "reports-INITIAL_FORMS": "0",
        },
    )


def approve_through_api(client, api_client, comment):
    return api_client.post(reverse("api:v1:moderation-comment-approve", args=[comment.pk]))


APPROVE_WAYS = {
    "admin action": approve_with_admin_action,
    "admin form": approve_with_admin_form,
    "API approve": approve_through_api,
}


@pytest.mark.parametrize("way", list(APPROVE_WAYS))
@pytest.mark.parametrize(("role", "whose", "may_moderate"), matrix(MODERATORS))
def test_moderating_a_comment_follows_the_roles(client, api_client, request, role, whose, may_moderate, way):
    user = log_in(role, request, client, api_client)
    comment = comment_on(user, whose)
    response = APPROVE_WAYS[way](client, api_client, comment)
    assert response.status_code < 500
    comment.refresh_from_db()
    assert (comment.status == Comment.Status.APPROVED) is may_moderate


@pytest.mark.parametrize("action", ["spam", "trash"])
@pytest.mark.parametrize(("role", "whose", "may_moderate"), matrix(MODERATORS))
def test_moderation_api_actions_follow_the_roles(api_client, request, role, whose, may_moderate, action):
    user = log_in(role, request, api_client)
    comment = comment_on(user, whose)
    response = api_client.post(reverse(f"api:v1:moderation-comment-{action}", args=[comment.pk]))
    assert response.status_code == (200 if may_moderate else REFUSAL_STATUS[role])
    comment.refresh_from_db()
    assert (comment.status == action) is may_moderate


# Personal data


def shows_personal_data(response):
    content = response.content.decode()
    return response.status_code == 200 and (EMAIL in content or IP in content)


PUBLIC_SURFACES = {
    "post page": lambda client, api_client, comment: client.get(comment.post.get_absolute_url()),
    "comments feed": lambda client, api_client, comment: client.get(reverse("comments:feed")),
    "post comments feed": lambda client, api_client, comment: client.get(
        reverse("comments:post-feed", kwargs={"slug": comment.post.slug})
    ),
    "public API thread": lambda client, api_client, comment: api_client.get(
        reverse("api:v1:post-comments", kwargs={"slug": comment.post.slug})
    ),
}
MODERATION_SURFACES = {
    "moderation API list": lambda client, api_client, comment: api_client.get(
        reverse("api:v1:moderation-comment-list")
    ),
    "moderation API detail": lambda client, api_client, comment: api_client.get(
        reverse("api:v1:moderation-comment-detail", args=[comment.pk])
    ),
    "admin change form": lambda client, api_client, comment: client.get(
        reverse("admin:comments_comment_change", args=[comment.pk])
    ),
}


@pytest.mark.parametrize("surface", list(PUBLIC_SURFACES))
@pytest.mark.parametrize(("role", "whose", "_"), matrix(MODERATORS))
def test_public_surfaces_never_show_a_commenters_email_or_ip(
    client, api_client, request, role, whose, _, surface
):
    user = log_in(role, request, client, api_client)
    comment = comment_on(user, whose, status=Comment.Status.APPROVED)
    response = PUBLIC_SURFACES[surface](client, api_client, comment)
    assert response.status_code == 200
    assert comment.author_name in response.content.decode()  # the comment is there, its personal data not
    assert not shows_personal_data(response)


@pytest.mark.parametrize("surface", list(MODERATION_SURFACES))
@pytest.mark.parametrize(("role", "whose", "may_moderate"), matrix(MODERATORS))
def test_only_a_comments_moderators_see_its_email_and_ip(
    client, api_client, request, role, whose, may_moderate, surface
):
    user = log_in(role, request, client, api_client)
    comment = comment_on(user, whose)
    response = MODERATION_SURFACES[surface](client, api_client, comment)
    assert response.status_code < 500
    assert shows_personal_data(response) is may_moderate
