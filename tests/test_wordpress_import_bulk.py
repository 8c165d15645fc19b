"""
The importer's bulk path: posts inserted a batch at a time, each distinct body
converted and rendered once, search documents computed by the importer itself,
and what it keeps between batches light, whatever the file's size.
"""

import gc
import os

import pytest
from django.db import connection

from bench.wxr import write_wxr
from blog.models import Page, Post
from comments.models import Comment
from core import markdown
from wordpress import html
from wordpress.importer import content, conversion, wordpress_import

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="search documents are PostgreSQL's"
)


@pytest.fixture
def generated(tmp_path):
    """A generated export of 30 posts sharing 3 bodies, each with threaded comments."""
    path = tmp_path / "generated.xml"
    with path.open("w", encoding="utf-8") as out:
        write_wxr(out, posts=30, authors=3, categories=4, tags=10, comments_per_post=3, bodies=3, words=200)
    return path


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(content, "BATCH_SIZE", 7)


def test_every_item_comes_in_across_batches(generated, small_batches):
    report = wordpress_import(path=generated)

    assert Post.objects.count() == report.counts["posts"].created
    assert Post.objects.count() >= 30
    assert Comment.objects.count() == report.counts["comments"].created > 0
    assert Post.objects.filter(categories__isnull=False).distinct().count() > 0
    replies = Comment.objects.filter(parent__isnull=False)
    assert replies.exists()
    assert all(reply.parent.post_id == reply.post_id for reply in replies.select_related("parent"))


def test_importing_again_across_batches_creates_nothing(generated, small_batches):
    wordpress_import(path=generated)
    posts, comments = Post.objects.count(), Comment.objects.count()

    again = wordpress_import(path=generated)

    assert (Post.objects.count(), Comment.objects.count()) == (posts, comments)
    assert again.counts["posts"].created == 0
    assert again.counts["comments"].created == 0


def test_a_distinct_body_is_converted_and_rendered_once(generated, small_batches, monkeypatch):
    converted = []
    convert_body = conversion.convert_body

    def spy(content, markdown):
        converted.append((content, markdown))
        return convert_body(content, markdown)

    monkeypatch.setattr(conversion, "convert_body", spy)
    html.html_to_markdown.cache_clear()
    markdown._render_once.cache_clear()

    wordpress_import(path=generated)

    # 30 posts sharing 3 bodies, in batches of 7: each body converted once, in the first batch.
    assert len(converted) == len(set(converted)) == 3
    assert Post.objects.values("body").distinct().count() == 3
    assert html.html_to_markdown.cache_info().hits == 0


def test_rendered_results_are_not_shared_between_posts(generated):
    wordpress_import(path=generated)
    first, second = (
        Post.objects.filter(body=Post.objects.values("body")[:1])
        .order_by("pk")[:2]
        .values_list("pk", flat=True)
    )
    a, b = Post.objects.get(pk=first), Post.objects.get(pk=second)
    assert a.toc == b.toc
    a.toc[0]["title"] = "changed in memory"
    assert markdown.render(a.body).toc[0]["title"] != "changed in memory"


@postgresql_only
def test_search_documents_equal_what_the_trigger_computes(generated, small_batches):
    wordpress_import(path=generated)
    assert Post.objects.exists()
    for model in (Post, Page):
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, search_vector::text FROM {table} ORDER BY id")  # noqa: S608
            imported = cursor.fetchall()
            cursor.execute(f"UPDATE {table} SET title = title")  # noqa: S608 - the trigger recomputes
            cursor.execute(f"SELECT id, search_vector::text FROM {table} ORDER BY id")  # noqa: S608
            recomputed = cursor.fetchall()
        assert imported == recomputed


@postgresql_only
def test_after_an_import_saves_compute_their_search_document_again(generated):
    wordpress_import(path=generated)
    post = Post.objects.first()
    post.title = "Un titre introuvable ailleurs zygomatique"
    post.save()

    assert Post.objects.search("zygomatique").filter(pk=post.pk).exists()
    with connection.cursor() as cursor:
        indexes = ("blog_post_search_idx", "blog_page_search_idx")
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = ANY(%s)", [list(indexes)])
        assert all(options == ["fastupdate=off"] for (options,) in cursor.fetchall())


def test_between_batches_only_light_references_are_kept(generated, small_batches, monkeypatch):
    kept = {}
    flush = content.ContentImport.flush_batch

    def spy(self, **kwargs):
        flush(self, **kwargs)
        kept["posts"] = dict(self.posts)
        kept["comments"] = dict(self.comments)

    monkeypatch.setattr(content.ContentImport, "flush_batch", spy)
    wordpress_import(path=generated)

    assert kept["posts"] and all(isinstance(value, int) for value in kept["posts"].values())
    assert kept["comments"] and not any(isinstance(value, Comment) for value in kept["comments"].values())


def imported_rows():
    """What an import made, keyed by WordPress ids (primary keys differ between two imports)."""
    fields = (
        "title",
        "slug",
        "body",
        "body_html",
        "toc",
        "word_count",
        "reading_time",
        "status",
        "published_at",
    )
    posts = {
        row["wordpress_id"]: row
        for row in Post.objects.values("wordpress_id", "summary", "excerpt", "sticky", *fields)
    }
    pages = {row["wordpress_id"]: row for row in Page.objects.values("wordpress_id", *fields)}
    comments = {
        row["wordpress_id"]: row
        for row in Comment.objects.values(
            "wordpress_id", "post__wordpress_id", "parent__wordpress_id", "body", "body_html", "status"
        )
    }
    terms = sorted(Post.categories.through.objects.values_list("post__wordpress_id", "category__slug"))
    return posts, pages, comments, terms


def search_documents():
    if connection.vendor != "postgresql":
        return None
    return dict(Post.objects.values_list("wordpress_id", "search_vector"))


@pytest.fixture
def pool(settings):
    """The process pool for any file, with two workers."""
    settings.PLUME_IMPORT_WORKERS = 2
    settings.PLUME_IMPORT_POOL_MIN_BYTES = 0


def test_a_small_file_is_converted_without_a_pool(generated, monkeypatch):
    converters = []
    monkeypatch.setattr(conversion.Converter, "close", lambda self: converters.append(self))

    wordpress_import(path=generated)

    assert generated.stat().st_size < conversion.settings.PLUME_IMPORT_POOL_MIN_BYTES
    assert converters and converters[0].pool is None


def test_above_the_threshold_workers_convert_and_the_result_is_the_serial_one(
    generated, small_batches, pool, monkeypatch
):
    converters = []
    close = conversion.Converter.close

    def spy(self):
        converters.append(self)
        close(self)

    monkeypatch.setattr(conversion.Converter, "close", spy)
    monkeypatch.setattr(conversion.settings, "PLUME_IMPORT_WORKERS", 0)
    serial_report = wordpress_import(path=generated)
    serial, serial_search = imported_rows(), search_documents()
    assert converters[-1].pool is None
    Comment.objects.all().delete()
    Post.objects.all().delete()
    Page.objects.all().delete()

    monkeypatch.setattr(conversion.settings, "PLUME_IMPORT_WORKERS", 2)
    pooled_report = wordpress_import(path=generated)

    workers = converters[-1].worker_pids
    assert workers and os.getpid() not in workers
    assert converters[-1].pool is None  # shut down at the end
    assert imported_rows() == serial
    assert search_documents() == serial_search
    assert serial[0] and serial[2]
    for kind in ("posts", "pages", "comments"):
        assert pooled_report.counts[kind].created == serial_report.counts[kind].created
    assert pooled_report.warnings == serial_report.warnings


def test_a_dry_run_with_the_pool_saves_nothing(generated, pool):
    report = wordpress_import(path=generated, dry_run=True)

    assert report.counts["posts"].created >= 30
    assert not Post.objects.exists()


def test_the_workers_fork_from_a_frozen_heap_thawed_after_the_import(generated, pool, monkeypatch):
    # Frozen objects are left alone by the garbage collector, so the pages the workers share
    # with the importer stay shared (peak memory); the importer thaws them when done.
    frozen = []
    import_batch = content.ContentImport.import_batch

    def spy(self, *args):
        frozen.append(gc.get_freeze_count())
        return import_batch(self, *args)

    monkeypatch.setattr(content.ContentImport, "import_batch", spy)
    assert gc.get_freeze_count() == 0

    wordpress_import(path=generated)

    assert frozen and all(count > 10_000 for count in frozen)
    assert gc.get_freeze_count() == 0
