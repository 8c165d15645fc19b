"""
The harness's in-process query count (bench/probe.py) counts what
tests/test_comment_creation_queries.py counts: the request's own queries, with the row
the database task backend writes after the commit (the moderators' e-mail) counted apart.
"""

import pytest

from bench.probe import queries
from comments.models import Comment

from .factories import CommentFactory, PostFactory
from .test_comment_creation_queries import MAX_QUERIES

# Committed for real, as under gunicorn: the task row is written once the comment is.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def post(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    settings.COMMENTS_FLOOD_SECONDS = 0
    post = PostFactory()
    CommentFactory.create_batch(3, post=post)
    return post


def test_comment_creation_is_counted_as_the_test_counts_it_the_task_row_apart(post):
    spec = f"POST:/api/v1/posts/{post.slug}/comments/"
    counted = queries([spec])[spec]
    for run in (counted["first"], counted["repeat"]):
        assert run["status"] == 201
        assert run["queries"] <= MAX_QUERIES
        # The comments are held (new readers): each queues the moderators' e-mail.
        assert run["task_queries"] == 1
    assert Comment.objects.filter(status=Comment.Status.PENDING).count() == 2


def test_a_read_queues_nothing(post):
    spec = f"GET:{post.get_absolute_url()}"
    counted = queries([spec])[spec]
    assert counted["first"]["status"] == 200 and counted["first"]["queries"] > 0
    assert counted["first"]["task_queries"] == counted["repeat"]["task_queries"] == 0
