"""
Hot small queries (core.prepared) are compiled once per process and run with each call's
values: a post's neighbours follow the post asked about and the time of the request, ties
on the date included; a stand-in the compiled SQL does not carry is refused.
"""

import datetime
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog.models import NEIGHBOURS, Post
from core.prepared import PreparedQuery

from .factories import PostFactory

pytestmark = pytest.mark.django_db


def fresh(post):
    return Post.objects.get(pk=post.pk)  # neighbours are remembered per instance


def test_neighbours_follow_the_post_asked_about_ties_on_the_date_included():
    date = timezone.now() - timedelta(days=2)
    first, second, third = (PostFactory(published_at=date) for _ in range(3))  # same date: by id
    older = PostFactory(published_at=date - timedelta(days=1))
    assert fresh(second).get_previous_published() == first
    assert fresh(second).get_next_published() == third
    assert fresh(first).get_previous_published() == older
    assert fresh(older).get_previous_published() is None
    assert fresh(third).get_next_published() is None


def test_neighbours_are_read_at_the_time_of_each_request():
    post = PostFactory(published_at=timezone.now() - timedelta(days=1))
    scheduled = PostFactory(scheduled=True)
    assert fresh(post).get_next_published() is None  # compiled now, the scheduled post not yet live
    with time_machine.travel(scheduled.published_at + timedelta(seconds=1), tick=False):
        assert fresh(post).get_next_published() == scheduled


def test_a_prepared_query_is_compiled_once_and_runs_as_one_query():
    post = PostFactory()
    neighbour = PostFactory(published_at=post.published_at + timedelta(seconds=1))
    assert fresh(post).get_next_published() == neighbour
    compile_ = SQLCompiler.as_sql
    with (
        mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=compile_) as compiled,
        CaptureQueriesContext(connection) as queries,
    ):
        found = NEIGHBOURS["next"].instances(date=post.published_at, pk=post.pk, now=timezone.now())
    assert [(other.pk, other.slug, other.title) for other in found] == [
        (neighbour.pk, neighbour.slug, neighbour.title)
    ]
    assert compiled.call_count == 0 and len(queries) == 1


def test_a_stand_in_the_sql_does_not_carry_is_refused():
    # `since` is never used by the queryset: it would be frozen at its first value.
    query = PreparedQuery(Post, lambda since: Post.objects.filter(pk__gt=0), since=datetime.datetime)
    with pytest.raises(ImproperlyConfigured, match="since"):
        query.rows(since=timezone.now())
