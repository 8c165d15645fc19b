"""The post endpoints ask the blog's policy before reading the body: a refusal is a 403 whatever was sent."""

from rest_framework import permissions

from ..permissions import can_create, can_delete, can_edit


class PostPolicy(permissions.BasePermission):
    """`blog.permissions`, asked early; the services ask it again when they write."""

    def has_permission(self, request, view):
        if view.action == "create":
            return can_create(request.user)
        return True

    def has_object_permission(self, request, view, post):
        if request.method in permissions.SAFE_METHODS:
            return True
        if view.action == "destroy":
            return can_delete(request.user, post)
        return can_edit(request.user, post)
