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
}
ROLES = list(ROLE_FIXTURES)


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
