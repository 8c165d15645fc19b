"""The API's role rules for writing posts."""

from rest_framework import permissions

from ..models import Status


def can_edit_others(user):
    return user.is_superuser or user.has_perm("blog.edit_others_posts")


def owns(user, post):
    return post.author.user_id == user.pk


class PostPermission(permissions.BasePermission):
    """The admin's role rules: the model permission, then ownership unless editing others' is allowed."""

    actions = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        action = self.actions.get(request.method)
        return bool(request.user.is_authenticated and action and request.user.has_perm(f"blog.{action}_post"))

    def has_object_permission(self, request, view, post):
        if request.method in permissions.SAFE_METHODS:
            return True
        user = request.user
        if post.status == Status.PUBLISHED and not user.has_perm("blog.publish_post"):
            return False  # a contributor's post, once an editor published it, is out of their hands
        return owns(user, post) or can_edit_others(user)
