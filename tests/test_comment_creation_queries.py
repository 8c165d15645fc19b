"""Sending a comment, from the form or the API, costs a few queries whatever the blog's size."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment

from .comments_support import comment_data
from .factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

# What the rules ask the database, in one query (Submission.facts: whether the form token
# was used already, whether the address is a staff member's, an earlier approved comment
# from this reader, the spam model's id); both word lists; the INSERT, in a savepoint (two
# more statements) so a token used twice at once is refused cleanly. The flood window is in
# the cache. The moderators of a pending comment are found and mailed by a task queued once
# the comment is committed (with the database task backend, one INSERT after the commit;
# none with Redis).
MAX_QUERIES = 5


@pytest.fixture
def post():
    post = PostFactory()
    CommentFactory.create_batch(5, post=post)
    return post


def send_form(client, post):
    data = {key: value for key, value in comment_data(post).items() if value is not None}
    response = client.post(reverse("comments:post", args=[post.pk]), data, REMOTE_ADDR="203.0.113.57")
    assert response.status_code == 302


def status_of_last_comment():
    return Comment.objects.latest("pk").status


def test_an_approved_comment_from_the_form_takes_a_fixed_few_queries(
    client, post, django_assert_max_num_queries
):
    CommentFactory(
        post=post, author_name="Zoé Martin", author_email="zoe@example.net", status=Comment.Status.APPROVED
    )
    with django_assert_max_num_queries(MAX_QUERIES):
        send_form(client, post)
    assert status_of_last_comment() == Comment.Status.APPROVED


def test_a_pending_comment_from_the_form_takes_a_fixed_few_queries_besides_the_readers_session(client, post):
    """The session remembers the reader's pending comment (so they see it): its write is apart."""
    with CaptureQueriesContext(connection) as queries:
        send_form(client, post)
    assert status_of_last_comment() == Comment.Status.PENDING
    sql = [query["sql"] for query in queries.captured_queries]
    session = [q for q in sql if "django_session" in q or "SAVEPOINT" in q]
    assert len(sql) - len(session) <= MAX_QUERIES, sql


def test_a_comment_from_the_api_takes_a_fixed_few_queries(api_client, post, django_assert_max_num_queries):
    url = f"/api/v1/posts/{post.slug}/comments/"
    token = api_client.get(f"{url}token/").json()
    data = {"author_name": "Zoé", "author_email": "zoe@example.net", "body": "Merci !", **token}
    later = timezone.now() + timedelta(seconds=10)
    with time_machine.travel(later), django_assert_max_num_queries(MAX_QUERIES):
        response = api_client.post(url, data, REMOTE_ADDR="203.0.113.57")
    assert response.status_code == 201, response.content
