"""
The importer keeps a revision of every post and page it imports: their history starts
at the import, with the item as imported (terms and featured image included), written in
bulk, and importing the same file again adds none.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from bench.wxr import write_wxr
from blog.models import Page, Post, Revision
from blog.revisions import snapshot, summarize
from wordpress.importer import content, wordpress_import

pytestmark = pytest.mark.django_db

THEME_UNIT_TEST = Path(settings.BASE_DIR).parent / "shared" / "data" / "wordpress-theme-unit-test.xml"


@pytest.fixture
def generated(tmp_path):
    path = tmp_path / "generated.xml"
    with path.open("w", encoding="utf-8") as out:
        write_wxr(out, posts=40, authors=3, categories=4, tags=10, comments_per_post=1, bodies=3, words=120)
    return path


def test_every_imported_post_and_page_has_one_revision_of_what_was_imported(generated, monkeypatch):
    monkeypatch.setattr(content, "BATCH_SIZE", 9)

    wordpress_import(path=generated)

    posts = list(Post.objects.all())
    assert len(posts) >= 40
    for post in posts:
        (revision,) = post.revisions.all()
        assert revision.data == snapshot(post)  # as the services would have written it, terms included
        assert revision.user is None and revision.status == post.status
    assert any(revision.data["categories"] and revision.data["tags"] for revision in Revision.objects.all())
    for page in Page.objects.all():
        assert [revision.data for revision in page.revisions.all()] == [snapshot(page)]


def test_the_summary_says_imported_from_wordpress(generated):
    wordpress_import(path=generated)

    revision = Revision.objects.first()
    with translation.override("fr"):
        assert summarize(revision) == "Importé de WordPress"
    with translation.override("en"):
        assert summarize(revision) == "Imported from WordPress"


def test_revisions_are_inserted_in_bulk(generated, monkeypatch):
    monkeypatch.setattr(content, "BATCH_SIZE", 20)

    with CaptureQueriesContext(connection) as queries:
        wordpress_import(path=generated)

    revision_queries = [query["sql"] for query in queries if "blog_revision" in query["sql"]]
    batches = -(-(Post.objects.count() + Page.objects.count()) // 20)
    # One write per batch, none per post; nothing read back. On PostgreSQL the write is a
    # COPY (core.bulk), after the batch's ids are taken from the table's sequence.
    writes = [sql for sql in revision_queries if not sql.startswith("SELECT nextval(")]
    assert Revision.objects.count() == Post.objects.count() + Page.objects.count()
    assert len(writes) <= batches + 1
    assert len(revision_queries) - len(writes) <= (batches + 1 if connection.vendor == "postgresql" else 0)
    writing = "COPY" if connection.vendor == "postgresql" else "INSERT"
    assert all(sql.lstrip().upper().startswith(writing) for sql in writes)


def test_importing_the_same_file_again_adds_no_revision(generated):
    wordpress_import(path=generated)
    count = Revision.objects.count()

    wordpress_import(path=generated)

    assert Revision.objects.count() == count


def test_an_item_that_changed_gets_a_new_revision(generated, tmp_path):
    wordpress_import(path=generated)
    changed = tmp_path / "changed.xml"
    text = generated.read_text(encoding="utf-8")
    post = Post.objects.get(slug="article-1")
    changed.write_text(text.replace(f"<![CDATA[{post.title}]]>", "<![CDATA[Un titre nouveau]]>", 1))

    wordpress_import(path=changed)

    newest, first = post.revisions.all()
    assert newest.data["title"] == "Un titre nouveau" and first.data["title"] == post.title
    assert newest.data == snapshot(Post.objects.get(pk=post.pk))


@pytest.mark.skipif(not THEME_UNIT_TEST.exists(), reason="../shared/data/ is not beside the repository")
def test_the_revision_shows_the_featured_image_found_after_the_post():
    wordpress_import(path=THEME_UNIT_TEST)

    with_images = Post.objects.exclude(featured_image_url="")
    assert with_images.exists()
    for post in with_images:
        (revision,) = post.revisions.all()
        assert revision.data["featured_image_url"] == post.featured_image_url
        assert revision.data == snapshot(post)
