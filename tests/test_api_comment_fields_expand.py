"""
?fields= and ?expand= on the comment endpoints: the public thread (every comment at every
depth shaped alike, the envelope kept) and the moderators' queue; the submission never.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import Comment

from .comments_support import comment_data
from .factories import AuthorFactory, CategoryFactory, CommentFactory, PageFactory, PostFactory, TagFactory
from .test_api_comment_thread_paging import make_thread

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/moderation/comments/"


@pytest.fixture
def thread():
    """A post with a thread three deep; the reply is the post's author's, from their account."""
    author = AuthorFactory(display_name="Ada", bio="Écrit du **code**.", website="https://ada.example")
    post = PostFactory(slug="hello", author=author)
    root = CommentFactory(
        post=post, author_name="Zoé", author_email="zoe@example.net", ip_address="198.51.100.0"
    )
    reply = CommentFactory(
        post=post, parent=root, user=author.user, author_name="Ada", author_email="ada@x.fr"
    )
    CommentFactory(post=post, parent=reply, author_name="Léo")
    return post


def thread_url(post):
    return f"/api/v1/posts/{post.slug}/comments/"


def comments_in(results):
    for item in results:
        yield item
        yield from comments_in(item.get("replies", []))


def test_fields_shapes_every_comment_at_every_depth_and_keeps_the_envelope(api_client, thread):
    answer = api_client.get(thread_url(thread), {"fields": "id,author_name,replies"}).json()

    assert {"count", "threads", "page", "pages", "next", "previous", "comments_open"} <= set(answer)
    assert answer["count"] == 3
    shown = list(comments_in(answer["results"]))
    assert [item["author_name"] for item in shown] == ["Zoé", "Ada", "Léo"]
    assert all(set(item) == {"id", "author_name", "replies"} for item in shown)


def test_without_replies_only_the_top_level_comments_are_shown(api_client, thread):
    answer = api_client.get(thread_url(thread), {"fields": "id,body_html"}).json()
    assert [set(item) for item in answer["results"]] == [{"id", "body_html"}]


@pytest.mark.parametrize(
    ("params", "name", "unknown"),
    [
        ({"fields": "id,author_email"}, "fields", "author_email"),
        ({"fields": "ip_address"}, "fields", "ip_address"),
        ({"fields": "replies.id"}, "fields", "replies.id"),  # replies are the same comments: chosen whole
        ({"fields": "author.name"}, "fields", "author"),  # not without ?expand=author
        ({"expand": "post"}, "expand", "post"),
        ({"expand": "user"}, "expand", "user"),
    ],
)
def test_unknown_fields_and_expansions_are_a_400_naming_them_before_any_content_query(
    api_client, thread, django_assert_max_num_queries, params, name, unknown
):
    cache.clear()
    # At most the response cache's content version: neither the post nor its comments are read.
    with django_assert_max_num_queries(1):
        response = api_client.get(thread_url(thread), params)
    assert response.status_code == 400
    message = response.json()["errors"][name][0]
    assert unknown in message
    assert ("author_name" in message) if name == "fields" else ("author" in message)


def test_expand_author_embeds_a_writer_s_public_profile_and_null_for_readers(api_client, thread):
    answer = api_client.get(thread_url(thread), {"expand": "author"}).json()
    root, reply, last = comments_in(answer["results"])

    profile = api_client.get(f"/api/v1/authors/{thread.author.slug}/").json()
    assert reply["author"] == {key: value for key, value in profile.items() if key != "post_count"}
    assert "<strong>code</strong>" in reply["author"]["bio_html"]
    assert root["author"] is None and last["author"] is None
    # The account behind it never shows: no e-mail, address or user name anywhere.
    text = str(answer)
    assert "ada@x.fr" not in text and "zoe@example.net" not in text and "198.51.100" not in text
    assert thread.author.user.username not in {
        str(value) for item in (root, reply, last) for value in item.values()
    }


def test_expand_and_fields_combine_at_every_depth(api_client, thread):
    answer = api_client.get(
        thread_url(thread), {"expand": "author", "fields": "id,author.name,replies"}
    ).json()
    assert [item.get("author") for item in comments_in(answer["results"])] == [None, {"name": "Ada"}, None]


def test_a_page_s_thread_is_shaped_too(api_client):
    page = PageFactory(slug="livre-d-or", allow_comments=True)
    CommentFactory(post=None, page=page, author_name="Zoé")
    answer = api_client.get("/api/v1/pages/livre-d-or/comments/", {"fields": "author_name"}).json()
    assert answer["results"] == [{"author_name": "Zoé"}]
    assert api_client.get("/api/v1/pages/livre-d-or/comments/", {"expand": "page"}).status_code == 400


def test_the_response_cache_keys_on_fields_and_expand_beside_the_page(api_client, thread):
    cache.clear()
    url = thread_url(thread)
    whole = api_client.get(url).json()
    assert list(api_client.get(url, {"fields": "id"}).json()["results"][0]) == ["id"]
    assert "author" in api_client.get(url, {"expand": "author"}).json()["results"][0]
    assert api_client.get(url, {"fields": "id", "page_size": 1}).json()["results"] == [
        {"id": whole["results"][0]["id"]}
    ]
    assert api_client.get(url).json() == whole


def test_the_submission_is_never_shaped(api_client, thread):
    response = api_client.post(
        f"{thread_url(thread)}?fields=id&expand=author", comment_data(thread), REMOTE_ADDR="203.0.113.57"
    )
    assert response.status_code == 201, response.content
    assert {"id", "status", "message", "edit_token", "editable_until"} <= set(response.json())


def test_the_thread_s_queries_stay_constant_with_an_expansion_at_most_one_more(
    api_client, django_assert_num_queries, settings
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    post = PostFactory()
    make_thread(post, threads=60, replies_each=2, depth=2)
    writers = AuthorFactory.create_batch(5)
    for writer, comment in zip(writers * 20, Comment.objects.filter(post=post)[:100], strict=False):
        comment.user = writer.user
        comment.save(update_fields=["user"])
    api_client.get(thread_url(post))  # warm up
    for params in (
        {"fields": "id,author_name,replies"},
        {"expand": "author"},
        {"expand": "author", "page": 2},
    ):
        with django_assert_num_queries(4):  # as without: the profiles come with the comments
            response = api_client.get(thread_url(post), params)
        assert response.status_code == 200
    assert sum(item["author"] is not None for item in comments_in(response.json()["results"])) > 0


# Moderation


@pytest.fixture
def queue(editor):
    post = PostFactory(slug="billet", categories=[CategoryFactory(slug="cat")], tags=[TagFactory(slug="tag")])
    parent = CommentFactory(post=post, author_name="Zoé")
    CommentFactory(post=post, parent=parent, status="pending", author_name="Léo")
    CommentFactory(post=None, page=PageFactory(slug="a-propos", allow_comments=True), status="pending")
    return editor


def test_moderation_fields_select_and_unknown_ones_are_a_400(api_client, queue):
    api_client.force_authenticate(queue)
    answer = api_client.get(QUEUE, {"fields": "id,author_email,post.slug"}).json()
    assert answer["count"] == 3
    assert [set(item) for item in answer["results"]] == [{"id", "author_email", "post"}] * 3
    assert {item["post"]["slug"] if item["post"] else None for item in answer["results"]} == {"billet", None}
    response = api_client.get(QUEUE, {"fields": "id,password"})
    assert response.status_code == 400 and "password" in response.json()["errors"]["fields"][0]
    assert api_client.get(QUEUE, {"expand": "user"}).status_code == 400


def test_moderation_expands_post_page_and_parent(api_client, queue):
    api_client.force_authenticate(queue)
    answer = api_client.get(QUEUE, {"expand": "post,page,parent", "status": "pending"}).json()
    on_page, reply = answer["results"]  # newest first

    listed = api_client.get("/api/v1/posts/", {"fields": "slug,categories,tags,comment_count"}).json()
    post = reply["post"]
    assert {key: post[key] for key in ("slug", "categories", "tags", "comment_count")} == listed["results"][0]
    assert post["comment_count"] == 1 and "excerpt" in post and post["author"]["name"]
    assert reply["parent"]["author_name"] == "Zoé"
    assert reply["parent"]["open_reports"] == 0 and reply["parent"]["url"].endswith(
        f"#comment-{reply['parent']['id']}"
    )
    assert on_page["page"]["slug"] == "a-propos" and "menu_order" in on_page["page"]
    assert on_page["post"] is None and on_page["parent"] is None

    detail = api_client.get(f"{QUEUE}{reply['id']}/", {"expand": "parent", "fields": "id,parent.author_name"})
    assert detail.json() == {"id": reply["id"], "parent": {"author_name": "Zoé"}}


def test_moderation_actions_answer_unshaped(api_client, queue):
    api_client.force_authenticate(queue)
    pending = Comment.objects.filter(status="pending", post__isnull=False).get()
    response = api_client.post(f"{QUEUE}{pending.pk}/approve/?fields=id&expand=post")
    assert response.status_code == 200
    assert response.json()["status"] == "approved" and response.json()["post"].keys() == {
        "id",
        "slug",
        "title",
        "url",
    }


def moderation_queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(QUEUE, params).status_code == 200
    return len(queries)


def add_comments(number):
    for _ in range(number):
        post = PostFactory(categories=[CategoryFactory()], tags=TagFactory.create_batch(2))
        CommentFactory(post=post, parent=CommentFactory(post=post))
        CommentFactory(post=None, page=PageFactory(allow_comments=True))


def test_moderation_queries_stay_constant_with_expansions(api_client, editor):
    api_client.force_authenticate(editor)
    add_comments(2)
    plain, expanded = {}, {"expand": "post,page,parent"}
    moderation_queries(api_client, plain)  # the editor's permissions, read once
    small = [moderation_queries(api_client, params) for params in (plain, expanded)]
    add_comments(15)
    assert [moderation_queries(api_client, params) for params in (plain, expanded)] == small
    # The post, its categories, its tags, the page, the parent: one query each.
    assert small[1] == small[0] + 5


def test_the_schema_documents_both_on_the_thread_s_get_and_the_queue_not_on_the_submission(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()

    def parameters(path, method):
        return {p["name"]: p for p in schema["paths"][path][method].get("parameters", [])}

    for path in ("/api/v1/posts/{slug}/comments/", "/api/v1/pages/{slug}/comments/"):
        read = parameters(path, "get")
        assert {"page", "page_size", "fields", "expand"} <= set(read), path
        assert "author_name" in read["fields"]["description"]
        assert "replies.id" not in read["fields"]["description"]
        assert "author" in read["expand"]["description"]
        assert not {"fields", "expand"} & set(parameters(path, "post")), path
    for path in ("/api/v1/moderation/comments/", "/api/v1/moderation/comments/{id}/"):
        read = parameters(path, "get")
        assert "author_email" in read["fields"]["description"]
        assert "parent" in read["expand"]["description"] and "post" in read["expand"]["description"]
    assert "fields" not in parameters("/api/v1/moderation/comments/{id}/approve/", "post")
