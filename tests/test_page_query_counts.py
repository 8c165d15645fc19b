"""Public pages run the same small number of queries with 1 post or 50."""

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.template.base import Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from .factories import AuthorFactory, CategoryFactory, CommentFactory, PageFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db

# home: posts (with comment counts), their count (once per content generation), categories,
# tags; menu pages come from the
# cache; and the content generation its Last-Modified gives (read from the database: the
# tests' cache is this process's own, core.caching)
HOME_QUERIES = 5
# post: the post (with comment count), categories, tags, the previous and the next post (one
# indexed LIMIT 1 each: cheaper to plan and run than both as subqueries of the post's query);
# the rendered comment thread comes from the cache, under the content generation the database
# gives (the tests' cache is this process's own: another process may have changed content)...
POST_QUERIES = 6
# ...except on the first request after a change: the new content generation (the next
# scheduled post and page, core.api.caching) and the comment thread
POST_QUERIES_AFTER_A_CHANGE = 8
LISTING_QUERIES = 7


@pytest.fixture(autouse=True)
def rendered_every_time(settings):
    """What a page costs to make: the response cache (core.caching) keeps none here."""
    settings.PLUME_RESPONSE_CACHE_SECONDS = 0


@pytest.fixture
def blog():
    authors = AuthorFactory.create_batch(3)
    categories = CategoryFactory.create_batch(3)
    tags = TagFactory.create_batch(4)
    PageFactory.create_batch(2)

    def add_posts(n):
        start = len(posts)
        for i in range(start, start + n):
            post = PostFactory(
                author=authors[i % 3], categories=categories[: 1 + i % 3], tags=tags[: 1 + i % 4]
            )
            CommentFactory.create_batch(2, post=post)
            posts.append(post)

    posts = []
    add_posts(1)
    return posts, add_posts


def count_queries(client, url):
    client.get(url)  # warm up: the Site row is cached after the first request
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_home_runs_a_constant_number_of_queries(client, blog, django_assert_max_num_queries):
    posts, add_posts = blog
    with_one = count_queries(client, reverse("blog:home"))
    add_posts(49)
    with django_assert_max_num_queries(HOME_QUERIES):
        response = client.get(reverse("blog:home"))
    assert len(response.context["page_obj"]) == 10
    assert count_queries(client, reverse("blog:home")) == with_one


def test_post_page_runs_a_constant_number_of_queries(client, blog, django_assert_max_num_queries):
    posts, add_posts = blog
    with_one = count_queries(client, posts[0].get_absolute_url())
    add_posts(49)
    middle = posts[25].get_absolute_url()
    with django_assert_max_num_queries(POST_QUERIES_AFTER_A_CHANGE):
        assert client.get(middle).status_code == 200
    with django_assert_max_num_queries(POST_QUERIES):
        assert client.get(middle).status_code == 200
    assert count_queries(client, middle) == with_one


@pytest.mark.parametrize(
    "url", ["/category/{category}/", "/tag/{tag}/", "/author/{author}/", "/search/?q=Article", "/feed/"]
)
def test_listings_and_feeds_run_a_constant_number_of_queries(
    client, blog, django_assert_max_num_queries, url
):
    posts, add_posts = blog
    post = posts[0]
    address = url.format(
        category=post.categories.first().slug, tag=post.tags.first().slug, author=post.author.slug
    )
    with_one = count_queries(client, address)
    add_posts(49)
    with django_assert_max_num_queries(LISTING_QUERIES):
        assert client.get(address).status_code == 200
    assert count_queries(client, address) == with_one


def test_a_new_page_shows_in_the_menu_at_once_although_the_menu_is_cached(client, blog):
    client.get(reverse("blog:home"))
    PageFactory(title="Nous contacter")
    assert "Nous contacter" in client.get(reverse("blog:home")).content.decode()


@contextmanager
def no_query_while_a_template_renders():
    """
    Fail on any query run while a template's nodes render: views (and context processors,
    which run before) hand templates evaluated data.
    """
    rendering = []
    render = Template._render

    def tracked(self, *args, **kwargs):
        rendering.append(self)
        try:
            return render(self, *args, **kwargs)
        finally:
            rendering.pop()

    def refuse(execute, sql, params, many, context):
        assert not rendering, f"a query ran inside {rendering[-1].name}: {sql}"
        return execute(sql, params, many, context)

    with mock.patch.object(Template, "_render", tracked), connection.execute_wrapper(refuse):
        yield


NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.mark.parametrize(
    "url",
    ["/", "/{post}/", "/category/{category}/", "/tag/{tag}/", "/author/{author}/", "/search/?q=Article"],
)
def test_no_query_runs_inside_a_template(client, blog, settings, url):
    settings.CACHES = NO_CACHE
    posts, add_posts = blog
    add_posts(3)
    post = posts[0]
    address = url.format(
        post=post.slug,
        category=post.categories.first().slug,
        tag=post.tags.first().slug,
        author=post.author.slug,
    )
    with no_query_while_a_template_renders():
        assert client.get(address).status_code == 200


def test_the_menu_and_site_settings_are_read_once_per_request_without_a_cache(client, blog, settings):
    settings.CACHES = NO_CACHE
    posts, _add_posts = blog
    with CaptureQueriesContext(connection) as queries:
        assert client.get(posts[0].get_absolute_url()).status_code == 200
    sql = [query["sql"] for query in queries.captured_queries]
    assert sum('"blog_page"."show_in_menu"' in query for query in sql) == 1
    # The site's settings likewise (the header, the footer and the schema.org data share them).
    assert sum('FROM "core_sitesettings"' in query for query in sql) <= 1


@pytest.mark.django_db(transaction=True)  # the content clock moves when a change commits
def test_a_listings_count_is_read_once_per_content_generation(client, blog, settings):
    settings.CACHES = NO_CACHE
    posts, add_posts = blog
    add_posts(10)
    first = count_queries(client, reverse("blog:home"))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("blog:home"))
    assert len(queries) == first  # warm: the count was read by the warm-up request only
    assert not any(query["sql"].startswith("SELECT COUNT(*)") for query in queries.captured_queries)
    assert response.context["page_obj"].paginator.count == 11

    add_posts(1)  # a change: counted again
    assert client.get(reverse("blog:home")).context["page_obj"].paginator.count == 12
    assert client.get(reverse("blog:home") + "?page=2").status_code == 200

    PostFactory(scheduled=True)
    with time_machine.travel(timezone.now() + timedelta(days=30)):  # it goes live, unsaved
        assert client.get(reverse("blog:home")).context["page_obj"].paginator.count == 13


def test_each_listing_and_search_has_its_own_count(client, blog, settings):
    settings.CACHES = NO_CACHE
    posts, add_posts = blog
    add_posts(3)
    category = posts[0].categories.first()
    home = client.get(reverse("blog:home")).context["page_obj"].paginator.count
    in_category = client.get(category.get_absolute_url()).context["page_obj"].paginator.count
    found = client.get("/search/?q=introuvable").context["page_obj"].paginator.count

    assert (home, in_category, found) == (4, category.posts.count(), 0)
