"""core.bulk: bulk inserts as `bulk_create` makes them, through COPY on PostgreSQL."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import Post
from blog.search import search_vectors_deferred
from comments.models import Comment
from core.bulk import bulk_insert, bulk_insert_values
from core.markdown import render

from .factories import PostFactory, TagFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")


def comments(post, n, *, prefix):
    return [
        Comment(
            post=post,
            author_name=f"«{i}»\ttab\nnewline\\backslash",
            author_email=f"{prefix}{i}@example.org",
            body=f"Un commentaire {i}",
            body_html=render(f"Un commentaire {i}", comment=True),
            status=Comment.Status.APPROVED,
            ip_address="192.0.2.0" if i % 2 else None,
            created_at=datetime(2026, 1, 1, 10, i, tzinfo=UTC),
            wordpress_id=1000 * (prefix == "b") + i,
        )
        for i in range(n)
    ]


def stored(prefix):
    fields = [f.attname for f in Comment._meta.concrete_fields if f.attname not in ("id", "updated_at")]
    rows = Comment.objects.filter(author_email__startswith=prefix).order_by("wordpress_id").values(*fields)
    return [
        {**row, "author_email": row["author_email"][1:], "wordpress_id": row["wordpress_id"] % 1000}
        for row in rows
    ]


def test_rows_are_stored_as_bulk_create_stores_them_and_get_their_ids():
    post = PostFactory()
    mine = comments(post, 5, prefix="a")

    returned = bulk_insert(Comment, mine)
    Comment.objects.bulk_create(comments(post, 5, prefix="b"))

    assert returned == mine
    assert all(comment.pk and not comment._state.adding for comment in mine)
    assert sorted(c.pk for c in mine) == sorted(
        Comment.objects.filter(author_email__startswith="a").values_list("pk", flat=True)
    )
    assert stored("a") == stored("b")  # quotes, tabs, newlines, backslashes, NULLs, dates, choices
    reply = Comment(post=post, parent_id=mine[0].pk, author_name="R", body="r", created_at=mine[0].created_at)
    bulk_insert(Comment, [reply])
    assert Comment.objects.get(pk=reply.pk).parent_id == mine[0].pk  # ids usable by later rows


def test_links_are_inserted_from_plain_values():
    post, tags = PostFactory(), [TagFactory(), TagFactory()]
    bulk_insert_values(Post.tags.through, ["post_id", "tag_id"], [(post.pk, tag.pk) for tag in tags])
    assert sorted(post.tags.values_list("pk", flat=True)) == sorted(tag.pk for tag in tags)


@postgresql_only
def test_on_postgresql_rows_stream_through_copy():
    post = PostFactory()
    with CaptureQueriesContext(connection) as queries:
        bulk_insert(Comment, comments(post, 3, prefix="a"))
    statements = [query["sql"] for query in queries]
    assert len(statements) == 2  # the ids from the sequence, then the rows
    assert statements[0].startswith("SELECT nextval(")
    assert statements[1].startswith('COPY "comments_comment"')


@postgresql_only
def test_within_a_bulk_load_large_values_are_compressed_with_lz4_when_the_server_has_it():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        if not cursor.fetchone()[0]:
            pytest.skip("this PostgreSQL is built without lz4")
    body = " ".join(f"mot{i}" for i in range(5000))
    with search_vectors_deferred():
        loaded = PostFactory(body=body)
    outside = PostFactory(body=body + " encore")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, pg_column_compression(body) FROM blog_post WHERE id IN (%s, %s)",
            [loaded.pk, outside.pk],
        )
        methods = dict(cursor.fetchall())
    assert methods[loaded.pk] == "lz4"
    assert Post.objects.get(pk=loaded.pk).body == body
