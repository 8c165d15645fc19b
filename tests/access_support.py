"""The roles of the access matrix, and a client logged in as each."""

import pytest

# Role -> the conftest fixture giving that user (None: not logged in).
ROLE_FIXTURES = {
    "anonymous": None,
    "reader": "reader",
    "contributor": "contributor",
    "author": "author_user",
    "editor": "editor",
    "superuser": "superuser",
    # The users today's drift hid: not staff, or staff without the right, or a role cut short.
    "author_not_staff": "author_not_staff",
    "staff_without_change_post": "staff_without_change_post",
    "editor_without_publish": "editor_without_publish",
    "superuser_not_staff": "superuser_not_staff",
}
# The six roles every matrix covers; ALL_ROLES adds the accounts that fit no role neatly.
ROLES = ["anonymous", "reader", "contributor", "author", "editor", "superuser"]
ALL_ROLES = list(ROLE_FIXTURES)
# Who may open the admin at all: its surfaces refuse everyone else, whatever their rights.
NOT_STAFF = {"anonymous", "reader", "author_not_staff", "superuser_not_staff"}


def user_for(request, role):
    fixture = ROLE_FIXTURES[role]
    return request.getfixturevalue(fixture) if fixture else None


def log_in(role, request, *clients):
    """Log each client in as `role` (nothing for anonymous); return the user."""
    user = user_for(request, role)
    if user is not None:
        for client in clients:
            client.force_login(user)
    return user


def matrix(table):
    """pytest parameters, one per (role, case), from {case: {role: expected}}."""
    return [
        pytest.param(role, case, expected, id=f"{role}-{case}")
        for case, by_role in table.items()
        for role, expected in by_role.items()
    ]
