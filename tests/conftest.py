import pytest

from authors import roles

from .factories import AuthorFactory, UserFactory

# The live gunicorn fixture (gunicorn_server) for the fuzzing, load and browser tests.
pytest_plugins = ["tests.servers"]


@pytest.fixture
def contributor(db):
    return AuthorFactory(user=UserFactory(username="contributor", role=roles.CONTRIBUTOR)).user


@pytest.fixture
def author_user(db):
    return AuthorFactory(user=UserFactory(username="author", role=roles.AUTHOR)).user


@pytest.fixture
def editor(db):
    return AuthorFactory(user=UserFactory(username="editor", role=roles.EDITOR)).user


@pytest.fixture
def superuser(db):
    user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    AuthorFactory(user=user)
    return user


@pytest.fixture
def reader(db):
    """A registered reader: an account with no role."""
    return UserFactory(username="reader")


@pytest.fixture(autouse=True)
def clear_cache():
    """Each test starts with an empty cache: cached API answers and throttle counters don't leak."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def users(contributor, author_user, editor, reader):
    """One user per role, by name; None is the anonymous visitor."""
    return {
        "anonymous": None,
        "reader": reader,
        "contributor": contributor,
        "author": author_user,
        "editor": editor,
    }
