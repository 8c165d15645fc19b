"""
The replica router and the read-your-writes middleware (plume/db_router.py),
decided in process; tests/test_scaling_out.py proves them on a real standby.
"""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from blog.models import Post
from plume import db_router
from plume.db_router import PRIMARY_COOKIE, PrimaryReplicaRouter, ReadYourWritesMiddleware

# Outside the test transaction, as a web request runs (a read inside a transaction stays on the primary).
pytestmark = pytest.mark.django_db(transaction=True)

router = PrimaryReplicaRouter()


@pytest.fixture
def one_replica(monkeypatch, settings):
    monkeypatch.setattr(db_router, "replicas", lambda: ["replica1"])
    settings.PLUME_READ_PRIMARY_SECONDS = 5


def serve(request, status=200):
    """The request through the middleware; returns (response, the database a read would use)."""
    seen = {}

    def view(request):
        seen["read"] = router.db_for_read(Post)
        return HttpResponse(status=status)

    response = ReadYourWritesMiddleware(view)(request)
    return response, seen["read"]


def test_without_replicas_everything_uses_the_primary_and_no_cookie_is_set():
    response, read = serve(RequestFactory().post("/api/v1/posts/"))
    assert read == "default"
    assert PRIMARY_COOKIE not in response.cookies
    assert serve(RequestFactory().get("/"))[1] == "default"


def test_a_reader_who_has_not_written_reads_from_a_replica(one_replica):
    response, read = serve(RequestFactory().get("/"))
    assert read == "replica1"
    assert response.cookies == {}


def test_writes_and_the_reads_of_a_write_request_use_the_primary(one_replica):
    assert router.db_for_write(Post) == "default"
    assert serve(RequestFactory().post("/api/v1/posts/"))[1] == "default"


def test_a_successful_write_pins_the_browser_to_the_primary_for_a_few_seconds(one_replica):
    response, _ = serve(RequestFactory().post("/comments/post/1/"), status=302)
    cookie = response.cookies[PRIMARY_COOKIE]
    assert cookie["max-age"] == 5
    assert cookie["httponly"]

    request = RequestFactory().get("/")
    request.COOKIES[PRIMARY_COOKIE] = cookie.value
    assert serve(request)[1] == "default"


def test_a_refused_write_does_not_pin(one_replica):
    response, _ = serve(RequestFactory().post("/comments/post/1/"), status=400)
    assert PRIMARY_COOKIE not in response.cookies


def test_an_api_client_that_wrote_reads_from_the_primary_by_its_token(one_replica):
    def as_client(method, key):
        return getattr(RequestFactory(), method)("/api/v1/posts/a/", HTTP_AUTHORIZATION=f"Token {key}")

    serve(as_client("patch", "author-key"))

    assert serve(as_client("get", "author-key"))[1] == "default"
    assert serve(as_client("get", "other-key"))[1] == "replica1"


def test_outside_a_request_reads_use_the_primary(one_replica):
    # Commands and task workers read what they are about to change.
    assert router.db_for_read(Post) == "default"


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "blog")
    assert not router.allow_migrate("replica1", "blog")
