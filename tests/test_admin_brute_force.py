"""The admin login is protected against password guessing (django-axes)."""

import pytest
from django.test import override_settings

from .factories import UserFactory


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_admin_login_locks_out_after_repeated_failures(client):
    UserFactory(username="simone", is_staff=True)
    for _attempt in range(3):
        response = client.post("/admin/login/", {"username": "simone", "password": "wrong"})
    assert response.status_code == 429
    # Even the right password is refused while locked out.
    response = client.post("/admin/login/", {"username": "simone", "password": "motdepasse-solide-42"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_a_correct_login_under_the_limit_still_works(client):
    UserFactory(username="simone", is_staff=True)
    client.post("/admin/login/", {"username": "simone", "password": "wrong"})
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "simone", "password": "motdepasse-solide-42"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
