"""Public pages run the same small number of queries with 1 post or 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import AuthorFactory, CategoryFactory, CommentFactory, PageFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db

# home: posts (with comment counts), their count, categories, tags; menu pages come from the cache
HOME_QUERIES = 4
# post: the post (with comment count), categories, tags, the previous and the next post (one
# indexed LIMIT 1 each: cheaper to plan and run than both as subqueries of the post's query),
# the comment thread
POST_QUERIES = 6
LISTING_QUERIES = 7


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
