"""
The content state (core.caching.content_state), read on every uncached answer, is one
query compiled once per process: each run puts its own "now" in it, so a scheduled post
or page goes live in the state at its date, not at the time the query was compiled.
"""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import caching

from .factories import PageFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_compilation():
    caching.STATE_QUERY.forget()
    yield
    caching.STATE_QUERY.forget()


def test_the_state_is_compiled_once_and_read_in_one_query():
    PostFactory()
    caching.content_state()
    compile_ = SQLCompiler.as_sql
    with (
        mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=compile_) as compiled,
        CaptureQueriesContext(connection) as queries,
    ):
        state = caching.content_state()
    assert compiled.call_count == 0
    assert len(queries) == 1
    assert state["changed_at"] is not None


@pytest.mark.parametrize("factory", [PostFactory, PageFactory])
def test_the_compiled_state_reads_the_time_of_each_run(factory):
    live = factory(published_at=timezone.now() - timedelta(days=1))
    soon = factory(published_at=timezone.now() + timedelta(hours=1))
    later = factory(published_at=timezone.now() + timedelta(days=2))
    before = caching.content_state()  # compiles the query now
    assert before["ends_at"] == soon.published_at
    assert before["changed_at"] >= live.published_at
    assert before["changed_at"] < soon.published_at
    with time_machine.travel(soon.published_at + timedelta(seconds=1), tick=False):
        after = caching.content_state()
    assert after["changed_at"] == soon.published_at
    assert after["ends_at"] == later.published_at
