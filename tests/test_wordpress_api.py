"""
The WordPress-compatible read API (/wp-json/wp/v2/): WordPress's shapes, ids,
parameters, pagination headers and errors, public content only, in a fixed
number of queries.
"""

from datetime import UTC, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog.models import Status
from comments.models import Comment
from wordpress.wp_api.ids import NATIVE_OFFSETS

from .factories import AuthorFactory, CategoryFactory, CommentFactory, PageFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db

API = "/wp-json/wp/v2"


def native(kind, obj):
    return NATIVE_OFFSETS[kind] + obj.pk


def get(client, path, status=200, **params):
    """GET in English: messages are asserted in their source language (French is tested apart)."""
    response = client.get(f"{API}/{path}", params, headers={"accept-language": "en"})
    assert response.status_code == status, response.content
    return response


def test_a_post_answers_in_wordpress_shape(client):
    category, tag = CategoryFactory(), TagFactory()
    post = PostFactory(title="Fish & <Chips>", categories=[category], tags=[tag], sticky=True)

    data = get(client, f"posts/{native('post', post)}").json()

    assert data["id"] == native("post", post)
    assert data["type"] == "post" and data["status"] == "publish" and data["slug"] == post.slug
    assert data["title"] == {"rendered": "Fish &amp; &lt;Chips&gt;"}
    assert data["content"] == {"rendered": post.body_html, "protected": False}
    assert data["excerpt"]["rendered"] == f"<p>{post.summary}</p>\n"
    assert data["link"] == f"http://testserver{post.get_absolute_url()}" == data["guid"]["rendered"]
    gmt = post.published_at.astimezone(UTC).replace(tzinfo=None, microsecond=0).isoformat()
    assert data["date_gmt"] == gmt
    local = timezone.localtime(post.published_at).replace(tzinfo=None, microsecond=0).isoformat()
    assert data["date"] == local
    assert data["modified_gmt"] and data["modified"]
    assert data["author"] == native("user", post.author)
    assert data["categories"] == [native("category", category)]
    assert data["tags"] == [native("tag", tag)]
    assert data["sticky"] is True and data["comment_status"] == "open" and data["featured_media"] == 0
    assert data["_links"]["self"] == [{"href": f"http://testserver{API}/posts/{data['id']}"}]
    assert data["_links"]["author"][0]["embeddable"] is True
    assert [link["taxonomy"] for link in data["_links"]["wp:term"]] == ["category", "post_tag"]


def test_imported_content_answers_with_its_wordpress_ids(client):
    author = AuthorFactory(wordpress_id=7)
    category, tag = CategoryFactory(wordpress_id=12), TagFactory(wordpress_id=34)
    post = PostFactory(wordpress_id=1241, author=author, categories=[category], tags=[tag])
    CommentFactory(post=post, wordpress_id=88)
    page = PageFactory(wordpress_id=2)

    data = get(client, "posts/1241").json()
    assert (data["id"], data["author"], data["categories"], data["tags"]) == (1241, 7, [12], [34])
    assert get(client, "pages/2").json()["slug"] == page.slug
    assert get(client, "categories/12").json()["slug"] == category.slug
    assert get(client, "tags/34").json()["slug"] == tag.slug
    assert get(client, "users/7").json()["slug"] == author.slug
    comment = get(client, "comments/88").json()
    assert (comment["id"], comment["post"]) == (88, 1241)
    # An imported object answers with its WordPress id only, not with a native one too.
    get(client, f"posts/{native('post', post)}", status=404)


def test_native_ids_never_collide_between_kinds(client):
    post, page = PostFactory(), PageFactory()
    assert get(client, f"posts/{native('post', post)}").json()["type"] == "post"
    assert get(client, f"pages/{native('page', page)}").json()["type"] == "page"
    assert native("post", post) != native("page", page)
    assert get(client, f"pages/{native('post', post)}", status=404).json()["code"] == "rest_post_invalid_id"


def test_only_public_content_is_read_even_by_staff(client, editor):
    public = PostFactory()
    draft, scheduled = PostFactory(draft=True), PostFactory(scheduled=True)
    draft_page = PageFactory(status=Status.DRAFT, published_at=None)
    CommentFactory(post=public, status=Comment.Status.PENDING)
    CommentFactory(post=public, status=Comment.Status.SPAM)
    CommentFactory(post=draft)
    client.force_login(editor)

    assert [item["id"] for item in get(client, "posts").json()] == [native("post", public)]
    for hidden in (draft, scheduled):
        error = get(client, f"posts/{native('post', hidden)}", status=404).json()
        assert error == {
            "code": "rest_post_invalid_id",
            "message": "Invalid post ID.",
            "data": {"status": 404},
        }
    get(client, f"pages/{native('page', draft_page)}", status=404)
    assert get(client, "comments").json() == []
    assert get(client, "search", search="Article").headers["X-WP-Total"] == "1"


def test_comments_never_show_an_email_or_an_ip(client):
    post = PostFactory()
    parent = CommentFactory(post=post, author_email="secret@example.net", ip_address="192.0.2.0")
    CommentFactory(post=post, parent=parent, author_email="other@example.net")

    answer = get(client, "comments", post=native("post", post), order="asc")
    assert b"@example.net" not in answer.content and b"192.0.2" not in answer.content
    first, reply = answer.json()
    assert "author_email" not in first and "author_ip" not in first
    assert (first["parent"], reply["parent"]) == (0, first["id"])
    assert reply["_links"]["in-reply-to"][0]["href"].endswith(f"/comments/{first['id']}")
    assert first["status"] == "approved" and first["link"].endswith(f"#comment-{parent.pk}")
    assert [c["id"] for c in get(client, "comments", parent=0).json()] == [first["id"]]
    assert get(client, "comments", parent=first["id"], parent_exclude=first["id"]).json() == []


def test_lists_page_with_wordpress_headers(client):
    posts = [PostFactory(published_at=timezone.now() - timedelta(hours=n)) for n in range(5)]

    first = get(client, "posts", per_page=2)
    assert (first["X-WP-Total"], first["X-WP-TotalPages"]) == ("5", "3")
    assert first["Link"] == f'<http://testserver{API}/posts?per_page=2&page=2>; rel="next"'
    middle = get(client, "posts", per_page=2, page=2)
    assert 'page=1>; rel="prev"' in middle["Link"] and 'page=3>; rel="next"' in middle["Link"]
    last = get(client, "posts", per_page=2, page=3)
    assert [item["id"] for item in last.json()] == [native("post", posts[4])]
    assert "next" not in last["Link"]
    assert [item["id"] for item in get(client, "posts", per_page=2, offset=1).json()] == [
        native("post", posts[1]),
        native("post", posts[2]),
    ]
    error = get(client, "posts", status=400, per_page=2, page=4).json()
    assert error["code"] == "rest_post_invalid_page_number"


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"per_page": "0"}, "per_page"),
        ({"per_page": "101"}, "per_page"),
        ({"page": "abc"}, "page"),
        ({"orderby": "random"}, "orderby"),
        ({"order": "up"}, "order"),
        ({"categories": "one"}, "categories"),
        ({"include[]": "x"}, "include"),
        ({"sticky": "maybe"}, "sticky"),
        ({"after": "yesterday"}, "after"),
    ],
)
def test_a_bad_parameter_is_a_rest_invalid_param(client, params, name):
    error = get(client, "posts", status=400, **params).json()
    assert error["code"] == "rest_invalid_param"
    assert error["data"]["status"] == 400
    assert list(error["data"]["params"]) == [name]


def test_the_edit_context_is_refused_as_wordpress_refuses_a_visitor(client):
    assert get(client, "posts", status=401, context="edit").json()["code"] == "rest_forbidden_context"


def test_orderby_relevance_needs_a_search_and_include_an_include(client):
    code = get(client, "posts", status=400, orderby="relevance").json()["code"]
    assert code == "rest_no_search_term_defined"
    code = get(client, "posts", status=400, orderby="include").json()["code"]
    assert code == "rest_orderby_include_missing_include"


def test_posts_filter_and_order_as_wordpress_does(client):
    news, other = CategoryFactory(wordpress_id=3), CategoryFactory()
    tag = TagFactory()
    author = AuthorFactory(wordpress_id=5)
    apple = PostFactory(title="Apple", categories=[news], author=author, sticky=True)
    banana = PostFactory(title="Banana", categories=[news, other], tags=[tag])
    cherry = PostFactory(title="Cherry Gutenberg", tags=[tag])

    def ids(**params):
        return [item["id"] for item in get(client, "posts", **params).json()]

    a, b, c = (native("post", post) for post in (apple, banana, cherry))
    assert ids(orderby="title", order="asc") == [a, b, c]
    assert ids(categories=3, orderby="title", order="asc") == [a, b]
    assert ids(**{"categories[]": [3, native("category", other)]}, orderby="title", order="asc") == [a, b]
    assert ids(categories_exclude=3) == [c]
    assert ids(categories=3, categories_exclude=native("category", other)) == [a]
    assert ids(categories=3, tags=native("tag", tag)) == [b]
    assert ids(tags=native("tag", tag), orderby="title", order="asc") == [b, c]
    assert ids(author=5) == [a]
    assert ids(slug=f"{banana.slug},{cherry.slug}", orderby="title") == [c, b]
    assert ids(include=f"{c},{a}", orderby="include") == [c, a]
    assert ids(exclude=a, orderby="title", order="asc") == [b, c]
    assert ids(search="Gutenberg") == [c]
    assert ids(sticky="true") == [a]
    assert ids(orderby="id", order="asc") == [a, b, c]


def test_embed_and_fields(client):
    category = CategoryFactory()
    post = PostFactory(categories=[category], featured_image_url="https://old.example/photo.webp")
    CommentFactory(post=post, body="Bravo")

    data = get(client, f"posts/{native('post', post)}", _embed="1").json()
    embedded = data["_embedded"]
    assert embedded["author"][0]["name"] == post.author.display_name
    assert embedded["wp:term"][0][0]["slug"] == category.slug and embedded["wp:term"][1] == []
    assert embedded["replies"][0][0]["content"]["rendered"] == "<p>Bravo</p>"
    assert embedded["wp:featuredmedia"][0]["source_url"] == "https://old.example/photo.webp"
    assert embedded["wp:featuredmedia"][0]["mime_type"] == "image/webp"
    only_author = get(client, f"posts/{native('post', post)}", _embed="author").json()["_embedded"]
    assert list(only_author) == ["author"]

    fields = get(client, "posts", _fields="id,title.rendered,_links").json()[0]
    assert fields["id"] == native("post", post) and fields["title"] == {"rendered": post.title}
    assert set(fields) == {"id", "title", "_links"}
    assert set(get(client, "posts", _fields="slug").json()[0]) == {"slug"}


def test_comments_take_fields_and_embed_too(client):
    post = PostFactory()
    writer = post.author
    CommentFactory(post=post, user=writer.user, author_name="Ada", author_email="ada@x.fr", body="Bravo")

    [comment] = get(
        client, "comments", post=native("post", post), _fields="id,content.rendered,author"
    ).json()
    assert set(comment) == {"id", "content", "author"}
    assert comment["content"] == {"rendered": "<p>Bravo</p>"}
    [embedded] = get(client, "comments", post=native("post", post), _embed="author").json()
    assert embedded["_embedded"]["author"][0]["name"] == writer.display_name
    assert "ada@x.fr" not in str(embedded)


def test_terms_users_media_and_pages(client):
    parent = CategoryFactory(name="Parent")
    child = CategoryFactory(name="Child", parent=parent)
    empty = TagFactory()
    writer, silent = AuthorFactory(), AuthorFactory()
    post = PostFactory(author=writer, categories=[child], featured_image_url="https://old.example/a.jpg")
    PostFactory(author=silent, draft=True)
    page = PageFactory(menu_order=3)

    categories = get(client, "categories").json()
    assert [(c["name"], c["count"], c["parent"]) for c in categories] == [
        ("Child", 1, native("category", parent)),
        ("Parent", 0, 0),
    ]
    assert [c["name"] for c in get(client, "categories", hide_empty="true").json()] == ["Child"]
    assert [c["name"] for c in get(client, "categories", parent=0).json()] == ["Parent"]
    assert [c["id"] for c in get(client, "categories", post=native("post", post)).json()] == [
        native("category", child)
    ]
    assert [t["slug"] for t in get(client, "tags").json()] == [empty.slug]
    assert get(client, "tags/999", status=404).json()["code"] == "rest_term_invalid"

    users = get(client, "users").json()
    assert [u["slug"] for u in users] == [writer.slug]  # nobody without published content
    assert set(users[0]) >= {"id", "name", "slug", "description", "link", "avatar_urls"}
    assert "email" not in users[0] and "username" not in users[0]
    assert get(client, f"users/{native('user', silent)}", status=404).json()["code"] == "rest_user_invalid_id"

    media = get(client, "media").json()
    assert [m["id"] for m in media] == [native("media", post)]
    assert media[0]["post"] == native("post", post) and media[0]["media_type"] == "image"
    assert get(client, f"media/{native('media', post)}").json()["source_url"] == "https://old.example/a.jpg"

    pages = get(client, "pages").json()
    assert [(p["slug"], p["menu_order"], p["type"]) for p in pages] == [(page.slug, 3, "page")]


def test_search_lists_posts_and_pages_together(client):
    post = PostFactory(title="Le climat change")
    page = PageFactory(title="Climat : notre charte")
    PostFactory(title="Autre chose")

    results = get(client, "search", search="climat").json()
    assert {(r["id"], r["subtype"], r["type"]) for r in results} == {
        (native("post", post), "post", "post"),
        (native("page", page), "page", "post"),
    }
    assert results[0]["url"].startswith("http://testserver/")
    only_pages = get(client, "search", search="climat", subtype="page").json()
    assert [r["id"] for r in only_pages] == [native("page", page)]
    assert get(client, "search", status=400, subtype="video").json()["code"] == "rest_invalid_param"


def test_the_index_describes_the_routes_as_wordpress_does(client):
    index = client.get("/wp-json/", headers={"accept-language": "en"}).json()
    assert index["namespaces"] == ["wp/v2"]
    assert {"name", "description", "url", "home", "gmt_offset", "timezone_string", "routes"} <= set(index)
    routes = index["routes"]
    for route in ("posts", "pages", "categories", "tags", "users", "comments", "media"):
        assert routes[f"/wp/v2/{route}"]["methods"] == ["GET"]
        assert f"/wp/v2/{route}/(?P<id>[\\d]+)" in routes
    assert "/wp/v2/search" in routes
    args = routes["/wp/v2/posts"]["endpoints"][0]["args"]
    assert args["per_page"] == {
        "description": "Maximum number of items to be returned in result set.",
        "type": "integer",
        "default": 10,
        "minimum": 1,
        "maximum": 100,
        "required": False,
    }
    assert routes["/wp/v2/posts"]["_links"]["self"] == [{"href": "http://testserver/wp-json/wp/v2/posts"}]
    assert client.get("/wp-json/wp/v2").json()["namespace"] == "wp/v2"


def test_messages_are_in_the_readers_language_french_first(client):
    error = client.get(f"{API}/posts/5").json()
    assert error["message"] == "Identifiant d’article invalide."
    error = client.get(f"{API}/posts", {"per_page": "0"}).json()
    assert error["data"]["params"]["per_page"] == "per_page doit être compris entre 1 et 100 (inclus)"


def test_unknown_routes_and_writes_answer_rest_no_route(client):
    for response in (
        client.get("/wp-json/wp/v2/settings"),
        client.post(f"{API}/posts", {"title": "x"}),
        client.delete(f"{API}/posts/1"),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "rest_no_route"


def test_pages_announce_the_api_as_wordpress_does(client):
    response = client.get("/")
    assert response["Link"] == '<http://testserver/wp-json/>; rel="https://api.w.org/"'


@pytest.mark.usefixtures("shared_cache")  # as with Redis: a cached answer then runs no query
def test_a_cached_answer_keeps_its_pagination_headers(client):
    for _ in range(3):
        PostFactory()
    first = get(client, "posts", per_page=1)
    with CaptureQueriesContext(connection) as queries:
        again = get(client, "posts", per_page=1)
    assert len(queries) == 0
    assert again.content == first.content
    assert (again["X-WP-Total"], again["X-WP-TotalPages"], again["Link"]) == (
        first["X-WP-Total"],
        first["X-WP-TotalPages"],
        first["Link"],
    )


def _query_count(client, path, params):
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        get(client, path, **params)
    return len(queries)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("posts", {"_embed": "1"}),
        ("posts", {}),
        ("pages", {"_embed": "1"}),
        ("categories", {}),
        ("tags", {}),
        ("users", {}),
        ("comments", {"_embed": "1"}),
        ("media", {"_embed": "1"}),
        ("search", {"search": "Article"}),
    ],
)
def test_a_list_runs_the_same_few_queries_whatever_its_size(client, path, params):
    def grow(n):
        for _ in range(n):
            # Categories with parents, threads three deep, commenters with author profiles:
            # everything the answers (and their embeds) show of related rows.
            post = PostFactory(
                categories=[CategoryFactory(parent=CategoryFactory())],
                tags=[TagFactory()],
                featured_image_url="https://x.example/a.png",
            )
            first = CommentFactory(post=post, user=AuthorFactory().user)
            second = CommentFactory(post=post, parent=first, user=AuthorFactory().user)
            CommentFactory(post=post, parent=second)
            PageFactory(author=post.author)

    grow(2)
    small = _query_count(client, path, {**params, "per_page": 100})
    grow(8)
    large = _query_count(client, path, {**params, "per_page": 100})
    assert small == large
    assert large <= 9


def test_a_detail_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    post = PostFactory(categories=[CategoryFactory()], tags=[TagFactory()])
    for _ in range(5):
        CommentFactory(post=post)
    with django_assert_max_num_queries(8):
        get(client, f"posts/{native('post', post)}", _embed="1")
