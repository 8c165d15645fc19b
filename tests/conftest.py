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


# The users today's drift hid (every role user above is staff, in one group):


@pytest.fixture
def author_not_staff(db):
    """An Author-group account that is not staff: it writes through the API only."""
    user = AuthorFactory(user=UserFactory(username="author-api", role=roles.AUTHOR)).user
    user.is_staff = False
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def staff_without_change_post(db):
    """Staff with an author profile but no right to change posts (a former writer, say)."""
    return AuthorFactory(user=UserFactory(username="staff-no-change", is_staff=True)).user


@pytest.fixture
def editor_without_publish(db):
    """Every Editor permission but `publish_post`, given to the account itself rather than by group."""
    from django.contrib.auth.models import Group

    user = AuthorFactory(user=UserFactory(username="editor-no-publish", is_staff=True)).user
    permissions = Group.objects.get(name=roles.EDITOR).permissions.exclude(codename="publish_post")
    user.user_permissions.add(*permissions)
    return user


@pytest.fixture
def superuser_not_staff(db):
    """A superuser outside every group and without staff status: the API gives them everything."""
    user = UserFactory(username="root-api", is_superuser=True)
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

    from blog.views import LISTING_COUNTS

    cache.clear()
    LISTING_COUNTS.clear()  # remembered per generation, which a frozen clock may repeat
    yield
    cache.clear()


@pytest.fixture
def shared_cache(settings):
    """The cache as a site with Redis has it: shared by every process (tests/cache_support.py)."""
    from django.core.cache import cache

    from .cache_support import SHARED_CACHE

    settings.CACHES = SHARED_CACHE
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def users(
    contributor,
    author_user,
    editor,
    reader,
    author_not_staff,
    staff_without_change_post,
    editor_without_publish,
    superuser_not_staff,
):
    """One user per role, by name; None is the anonymous visitor."""
    return {
        "anonymous": None,
        "reader": reader,
        "contributor": contributor,
        "author": author_user,
        "editor": editor,
        "author_not_staff": author_not_staff,
        "staff_without_change_post": staff_without_change_post,
        "editor_without_publish": editor_without_publish,
        "superuser_not_staff": superuser_not_staff,
    }


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads (and their renditions) in a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
