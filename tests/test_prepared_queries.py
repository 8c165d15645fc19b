"""
Hot small queries (core.prepared) are compiled once per process and run with each call's
values: a post's neighbours follow the post asked about and the time of the request, ties
on the date included; a page of posts' categories and tags are those Django's prefetch gives; a
stand-in the compiled SQL does not carry is refused.
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


@pytest.mark.parametrize("listing", [False, True])
def test_posts_taxonomies_come_through_the_prepared_queries_as_djangos_prefetch_gives_them(listing):
    from django.db.models import prefetch_related_objects

    from blog.models import taxonomy_prefetches

    from .factories import CategoryFactory, TagFactory

    shared = CategoryFactory(name="Marmotte")
    post = PostFactory(
        categories=[CategoryFactory(name=name) for name in ("Zèbre", "Abeille")] + [shared],
        tags=[TagFactory(name=name) for name in ("tortue", "âne", "loup")],
    )
    other = PostFactory(categories=[shared], tags=[])  # a post with no tag gets an empty list
    PostFactory(categories=[CategoryFactory()], tags=[TagFactory()])  # not asked for: not read
    wanted = [post.pk, other.pk]
    reference = list(Post.objects.filter(pk__in=wanted).order_by("pk"))
    prefetch_related_objects(reference, *taxonomy_prefetches())
    build = PreparedQuery._compile
    with (
        mock.patch.object(PreparedQuery, "_compile", autospec=True, side_effect=build) as prepared,
        CaptureQueriesContext(connection) as queries,
    ):
        posts = Post.objects.for_listing() if listing else Post.objects.for_detail()
        found = list(posts.filter(pk__in=wanted).order_by("pk")) if listing else [posts.get(pk=post.pk)]
        shown = [(list(p.categories.all()), list(p.tags.all())) for p in found]
    assert prepared.call_count == 2  # categories and tags, through the prepared queries
    assert len(queries) == 3  # the posts, their categories, their tags; none when they are read
    for (categories, tags), expected in zip(shown, reference, strict=False):
        assert [(c.pk, c.name, c.slug, c.parent_id) for c in categories] == [
            (c.pk, c.name, c.slug, c.parent_id) for c in expected.categories.all()
        ]
        assert [(t.pk, t.name) for t in tags] == [(t.pk, t.name) for t in expected.tags.all()]
    assert sorted(found[0].surrogate_keys()) == sorted(reference[0].surrogate_keys())


def test_more_posts_than_a_batch_get_their_taxonomies_from_djangos_prefetch(settings):
    from blog import models

    from .factories import TagFactory

    PostFactory(tags=[TagFactory()])
    PostFactory(tags=[TagFactory()])
    with (
        mock.patch.object(models, "TAXONOMY_BATCH", 1),
        mock.patch.object(PreparedQuery, "rows") as prepared,
    ):
        posts = list(Post.objects.for_listing())
    assert prepared.call_count == 0
    assert all(len(post.tags.all()) == 1 for post in posts)


def test_without_a_cache_the_menu_shows_a_scheduled_page_from_its_date(client, settings):
    from .factories import PageFactory

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.PLUME_RESPONSE_CACHE_SECONDS = 0
    PageFactory(title="Nous écrire", show_in_menu=True)
    later = timezone.now() + timedelta(hours=2)
    soon = PageFactory(title="Bientôt là", show_in_menu=True, published_at=later)
    home = client.get("/").content.decode()
    assert "Nous écrire" in home and "Bientôt là" not in home
    with time_machine.travel(soon.published_at + timedelta(seconds=1), tick=False):
        assert "Bientôt là" in client.get("/").content.decode()


def test_without_a_cache_the_site_settings_are_created_once_then_read(client, settings):
    from core.models import SiteSettings

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    SiteSettings.objects.all().delete()
    first = SiteSettings.objects.current()
    SiteSettings.objects.filter(pk=first.pk).update(site_name="Le Carnet")
    assert SiteSettings.objects.current().site_name == "Le Carnet"
    assert SiteSettings.objects.count() == 1


@pytest.mark.parametrize("address", ["/{slug}/", "/api/v1/posts/{slug}/"])
def test_a_readers_post_detail_is_read_through_the_prepared_query_published_posts_only(client, address):
    from blog.selectors import PUBLIC_DETAIL

    published = PostFactory()
    draft, scheduled = PostFactory(draft=True), PostFactory(scheduled=True)
    with mock.patch.object(PUBLIC_DETAIL, "instances", wraps=PUBLIC_DETAIL.instances) as prepared:
        assert client.get(address.format(slug=published.slug)).status_code == 200
        assert client.get(address.format(slug=draft.slug)).status_code == 404
        assert client.get(address.format(slug=scheduled.slug)).status_code == 404
        assert client.get(address.format(slug="nothing-here")).status_code == 404
    assert prepared.call_count == 4


def test_an_api_detail_with_filters_or_expansions_takes_the_viewsets_way(client):
    from blog.selectors import PUBLIC_DETAIL

    post = PostFactory()
    with mock.patch.object(PUBLIC_DETAIL, "instances", wraps=PUBLIC_DETAIL.instances) as prepared:
        expanded = client.get(f"/api/v1/posts/{post.slug}/", {"expand": "author"})
        shaped = client.get(f"/api/v1/posts/{post.slug}/", {"fields": "slug,categories"})
    assert expanded.status_code == 200 and "bio_html" in expanded.json()["author"]
    assert shaped.json() == {"slug": post.slug, "categories": []}
    assert prepared.call_count == 1  # ?fields= only shapes the answer: the fast way still


@pytest.mark.parametrize("address", ["/{slug}/", "/api/v1/posts/{slug}/"])
def test_a_writer_previewing_their_draft_reads_it_the_viewsets_way(client, author_user, address):
    from blog.selectors import PUBLIC_DETAIL

    draft = PostFactory(draft=True, author=author_user.author)
    client.force_login(author_user)
    with mock.patch.object(PUBLIC_DETAIL, "instances", wraps=PUBLIC_DETAIL.instances) as prepared:
        assert client.get(address.format(slug=draft.slug)).status_code == 200
    assert prepared.call_count == 0
