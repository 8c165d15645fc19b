"""
Reports through the API, under the site's rules: one per reader (account, else session, else
address), readers counted by distinct addresses and sessions alike, an hourly limit per address
(a 429 with Retry-After), the client address of core.clients; bad input is a 400 with field
messages.
"""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from comments.models import Comment, CommentReport

from .factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def three_readers_hide(settings):
    settings.COMMENTS_REPORTS_TO_HIDE = 3


def report(comment, *, address="203.0.113.57", client=None, forwarded=None, **data):
    client = client or APIClient()
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.post(
        f"/api/v1/comments/{comment.pk}/report/",
        {"reason": "Hors sujet", **data},
        REMOTE_ADDR=address,
        **headers,
    )


def status_of(comment):
    comment.refresh_from_db()
    return comment.status


def test_a_report_is_stored_with_its_reason_and_hashed_address(django_assert_max_num_queries):
    comment = CommentFactory()

    with django_assert_max_num_queries(10):
        response = report(comment)

    assert response.status_code == 201, response.content
    assert response.json()["message"] == "Merci : les modérateurs vont examiner ce commentaire."
    stored = CommentReport.objects.get()
    assert stored.reason == "Hors sujet"
    assert stored.address_key and "203.0.113" not in stored.address_key


def test_one_client_reporting_again_is_refused_as_on_the_site():
    comment = CommentFactory()
    report(comment)

    again = report(comment)

    assert again.status_code == 400
    assert again.json()["errors"] == {"comment": ["Vous avez déjà signalé ce commentaire."]}
    assert CommentReport.objects.count() == 1


def test_three_readers_on_three_connections_hide_the_comment():
    comment = CommentFactory()

    for address in ("203.0.113.57", "198.51.100.8", "192.0.2.9"):
        assert report(comment, address=address).status_code == 201

    assert status_of(comment) == Comment.Status.PENDING


def test_three_accounts_behind_one_connection_are_one_reader():
    comment = CommentFactory()

    for name in ("a", "b", "c"):
        client = APIClient()
        client.force_authenticate(UserFactory(username=f"lecteur-{name}"))
        assert report(comment, client=client).status_code == 201

    # Three accounts but one address (distinct addresses count as much as distinct readers).
    assert status_of(comment) == Comment.Status.APPROVED


def test_the_client_address_comes_from_core_clients(settings):
    settings.PLUME_TRUSTED_PROXIES = ["10.0.0.0/8"]
    comment = CommentFactory()

    for address in ("203.0.113.57", "198.51.100.8", "192.0.2.9"):
        response = report(comment, address="10.0.0.2", forwarded=address)
        assert response.status_code == 201, response.content

    assert status_of(comment) == Comment.Status.PENDING  # three clients, not one proxy


def test_a_forged_forwarded_for_does_not_make_one_client_three():
    comment = CommentFactory()  # no trusted proxies: the header is not read

    for address in ("203.0.113.57", "198.51.100.8", "192.0.2.9"):
        report(comment, address="203.0.113.99", forwarded=address)

    assert status_of(comment) == Comment.Status.APPROVED
    assert CommentReport.objects.count() == 1


def test_an_address_is_throttled_per_hour_with_a_429(settings):
    settings.COMMENTS_REPORTS_PER_HOUR = 2
    comments = CommentFactory.create_batch(3)

    answers = [report(comment).status_code for comment in comments]

    assert answers == [201, 201, 429]
    throttled = report(comments[2])
    assert throttled.json()["code"] == "report_throttled"
    assert 3500 <= int(throttled["Retry-After"]) <= 3600
    assert CommentReport.objects.count() == 2


def test_only_published_comments_on_published_posts_can_be_reported():
    pending = CommentFactory(status=Comment.Status.PENDING)
    on_draft = CommentFactory(post=PostFactory(draft=True))

    assert report(pending).status_code == 404
    assert report(on_draft).status_code == 404


@pytest.mark.parametrize(
    "data",
    [{"reason": "x" * 501}, {"reason": ["une", "liste"]}, {"reason": "nul\x00"}, {"reason": 12}],
)
def test_bad_input_is_a_400_with_field_messages(data):
    comment = CommentFactory()

    response = report(comment, **data)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["reason"]
    assert not CommentReport.objects.exists()


def test_a_reason_is_optional():
    comment = CommentFactory()
    cache.clear()

    response = APIClient().post(f"/api/v1/comments/{comment.pk}/report/", {}, REMOTE_ADDR="203.0.113.57")

    assert response.status_code == 201
    assert CommentReport.objects.get().reason == ""
