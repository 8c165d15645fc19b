"""
Listings read only the columns they show: never a post's Markdown, rendered body, table of
contents or search vector, nor the author's account (its password hash least of all); the post
page and the API detail leave out the Markdown source and the search vector.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import CategoryFactory, CommentFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db

NEVER_IN_A_LISTING = ("body", "body_html", "toc", "search_vector", "bio", "password", "email")
NEVER_ON_THE_POST_PAGE = ("body", "search_vector", "password")


@pytest.fixture
def post():
    post = PostFactory(categories=[CategoryFactory()], tags=[TagFactory()], body="# Un\n\nTexte.")
    CommentFactory(post=post)
    PostFactory()
    return post


def selected_columns(queries):
    """Every column read by a SELECT of `queries`, as "table.column"."""
    columns = set()
    for query in queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        selected = re.split(r"\bFROM\b", sql, maxsplit=1)[0]
        # Correlated subqueries (the comment count) are read in their own SELECT list: skip them.
        selected = re.sub(r"\(SELECT.*", "", selected)
        # Columns read as they are, not those an expression only looks at (a search's rank).
        plain = re.findall(r'(?:SELECT|,)\s*"(\w+)"\."(\w+)"\s*(?=,|$)', selected.strip())
        columns |= {f"{table}.{column}" for table, column in plain}
    return columns


def post_columns(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    columns = selected_columns(queries.captured_queries)
    assert "blog_post.title" in columns
    return {
        column.split(".", 1)[1]
        for column in columns
        if column.split(".")[0] in ("blog_post", "authors_author", "auth_user")
    }, columns


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/category/{category}/",
        "/tag/{tag}/",
        "/author/{author}/",
        "/search/?q=Article",
        "/feed/",
        "/api/v1/posts/",
    ],
)
def test_listings_fetch_only_the_columns_they_show(client, post, url):
    address = url.format(
        category=post.categories.get().slug, tag=post.tags.get().slug, author=post.author.slug
    )
    names, columns = post_columns(client, address)
    assert not names & set(NEVER_IN_A_LISTING), sorted(names & set(NEVER_IN_A_LISTING))
    assert not any(column.startswith("auth_user.") for column in columns)


@pytest.mark.parametrize("url", ["/{slug}/", "/api/v1/posts/{slug}/"])
def test_the_post_page_and_api_detail_leave_out_the_source_and_the_search_vector(client, post, url):
    names, columns = post_columns(client, url.format(slug=post.slug))
    assert "body_html" in names
    assert not names & set(NEVER_ON_THE_POST_PAGE)
    assert not any(column.startswith("auth_user.") for column in columns)


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_a_feed_reads_its_posts_categories_but_not_their_tags(client, post, url):
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).content.decode()
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"blog_category"."name"' in sql and post.categories.get().name in body
    assert '"blog_tag"' not in sql
