"""Every endpoint runs a fixed number of queries, whatever the amount of data."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import AuthorFactory, CategoryFactory, CommentFactory, PageFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db


def queries(client, url, **params):
    cache.clear()  # measure the database, not the response cache
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(context.captured_queries)


def make_posts(count, **kwargs):
    categories = CategoryFactory.create_batch(3)
    tags = TagFactory.create_batch(4)
    posts = [PostFactory(categories=categories, tags=tags, **kwargs) for _ in range(count)]
    for post in posts:
        CommentFactory.create_batch(2, post=post)
    return posts


@pytest.mark.parametrize(
    "params",
    [{}, {"category": "cat"}, {"tag": "tag"}, {"search": "Article"}, {"ordering": "-comment_count"}],
    ids=["plain", "category", "tag", "search", "ordering"],
)
def test_post_list_queries_do_not_grow_with_posts_tags_or_categories(api_client, params):
    cat, tag = CategoryFactory(slug="cat"), TagFactory(slug="tag")
    make_posts(1, author=AuthorFactory())[0].categories.add(cat)
    PostFactory(categories=[cat], tags=[tag])
    one = queries(api_client, "/api/v1/posts/", page_size=100, **params)

    for post in make_posts(50):
        post.categories.add(cat)
        post.tags.add(tag)
    many = queries(api_client, "/api/v1/posts/", page_size=100, **params)

    assert many == one
    # count, posts, categories, tags; category and descendants lookups; the content state (one query)
    assert many <= 8


def test_post_detail_queries_do_not_grow_with_tags_categories_or_comments(api_client):
    post = PostFactory()
    one = queries(api_client, f"/api/v1/posts/{post.slug}/")

    post.tags.add(*TagFactory.create_batch(20))
    post.categories.add(*CategoryFactory.create_batch(20))
    CommentFactory.create_batch(200, post=post)
    many = queries(api_client, f"/api/v1/posts/{post.slug}/")

    assert many == one
    assert many <= 7


@pytest.mark.parametrize(
    ("url", "factory"),
    [
        ("/api/v1/authors/", lambda: PostFactory().author),
        ("/api/v1/categories/", lambda: PostFactory(categories=[CategoryFactory(parent=CategoryFactory())])),
        ("/api/v1/tags/", lambda: PostFactory(tags=[TagFactory()])),
        ("/api/v1/pages/", lambda: PageFactory(author=AuthorFactory())),
    ],
)
def test_other_lists_run_a_fixed_number_of_queries(api_client, url, factory):
    factory()
    one = queries(api_client, url, page_size=100)

    for _ in range(30):
        factory()
    many = queries(api_client, url, page_size=100)

    assert many == one
    assert many <= 4


def test_authenticated_post_list_adds_only_the_authentication_queries(api_client, editor):
    make_posts(1)
    # A fresh user object each time, as in real requests: permissions are cached on it.
    api_client.force_authenticate(type(editor).objects.get(pk=editor.pk))
    one = queries(api_client, "/api/v1/posts/", status="all")

    make_posts(30)
    api_client.force_authenticate(type(editor).objects.get(pk=editor.pk))
    many = queries(api_client, "/api/v1/posts/", status="all")

    assert many == one
