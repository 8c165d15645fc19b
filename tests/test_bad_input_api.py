"""
Bad input to the API: every refusal is a 400 (or 413, or 415) in the one error
shape, with a message, never a 500; nothing of a refused request is stored.
Legitimate text (right-to-left scripts, zero-width joiners, emoji) is stored
exactly as sent. Run on SQLite and PostgreSQL: the NUL cases matter on the latter.
"""

import socket
from urllib.parse import urlsplit

import pytest
from rest_framework.authtoken.models import Token

from blog.models import Post
from comments.models import Comment

from .bad_input_support import LIVING_TEXT, NUL
from .comments_support import aged_token
from .factories import CategoryFactory, CommentFactory, PostFactory, TagFactory
from .versions_support import if_match

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def post():
    return PostFactory(slug="un-article")


@pytest.fixture
def editor_auth(editor):
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=editor).key}"}


def comment_body(post, **fields):
    return {
        "author_name": "Zoé Martin",
        "author_email": "zoe@example.net",
        "author_url": "https://zoe.example.net/",
        "body": "Très bel article, merci !",
        **aged_token(post),
        **fields,
    }


def send_comment(client, post, **fields):
    return client.post(
        f"/api/v1/posts/{post.slug}/comments/", comment_body(post, **fields), content_type="application/json"
    )


def assert_refused(response, status=400, *, field=None, code="invalid"):
    """The one error shape, with a message (for `field` when given); never a 500."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"status", "code", "detail", "errors"}
    assert (body["status"], body["code"]) == (status, code)
    assert body["detail"]
    if field is not None:
        assert body["errors"][field] and all(body["errors"][field]), body
    return body


# Comments


@pytest.mark.parametrize("field", ["author_name", "author_email", "author_url", "body"])
def test_a_nul_character_in_any_comment_field_is_a_400_naming_the_field(client, post, field):
    value = "https://zoe.example.net/a\x00b" if field == "author_url" else f"zoe{NUL}@example.net"
    value = value if field in ("author_url", "author_email") else NUL

    body = assert_refused(send_comment(client, post, **{field: value}), field=field)

    assert "Null characters are not allowed." in body["errors"][field]
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("author_name", "n" * 101, "Ensure this field has no more than 100 characters."),
        ("author_email", "not-an-address", "Enter a valid email address."),
        ("author_url", "javascript:alert(1)", "Enter a valid URL."),
        (
            "author_url",
            "https://" + "u" * 500 + ".example",
            "Ensure this field has no more than 500 characters.",
        ),
        ("body", "x" * 10001, "Ensure this field has no more than 10000 characters."),
        ("body", "   ", "This field may not be blank."),
        ("parent", 0, "Ensure this value is greater than or equal to 1."),
        ("parent", "un", "A valid integer is required."),
    ],
)
def test_invalid_comment_fields_are_a_400_with_the_reason(client, post, field, value, message):
    body = assert_refused(send_comment(client, post, **{field: value}), field=field)

    assert message in body["errors"][field]
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("parent", [999_999, 2**62])
def test_a_reply_to_an_unknown_comment_is_a_400(client, post, parent):
    body = assert_refused(send_comment(client, post, parent=parent), field="parent")

    assert "does not exist on this post" in body["errors"]["parent"][0]
    assert Comment.objects.count() == 0


def test_a_reply_to_a_comment_of_another_post_is_a_400_and_nothing_is_stored(client, post):
    elsewhere = CommentFactory(post=PostFactory())

    assert_refused(send_comment(client, post, parent=elsewhere.pk), field="parent")

    assert Comment.objects.count() == 1


def test_text_fields_take_strings_only(client, post):
    body = assert_refused(send_comment(client, post, author_name=12345, body=["a", "list"]))

    assert set(body["errors"]) == {"author_name", "body"}
    assert Comment.objects.count() == 0


def test_length_limits_count_what_was_sent_not_what_is_left_after_trimming(client, post):
    assert_refused(send_comment(client, post, author_name=" " + "n" * 100), field="author_name")

    assert Comment.objects.count() == 0


def test_right_to_left_zero_width_and_emoji_are_stored_exactly_as_sent(client, post, settings):
    settings.COMMENTS_DEFAULT_STATUS = "approved"

    response = send_comment(client, post, author_name="Zoé 🦊 זואי", body=LIVING_TEXT)

    assert response.status_code == 201, response.content
    comment = Comment.objects.get()
    assert (comment.author_name, comment.body) == ("Zoé 🦊 זואי", LIVING_TEXT)
    assert LIVING_TEXT in comment.body_html
    thread = client.get(f"/api/v1/posts/{post.slug}/comments/").json()
    assert thread["results"][0]["author_name"] == "Zoé 🦊 זואי"
    assert LIVING_TEXT in thread["results"][0]["body_html"]


# Request bodies


@pytest.mark.parametrize(
    "raw", [b'{"body": "unfinished', b"{'single': 'quotes'}", b'{"body": "\xff\xfe"}', b"[1, 2"]
)
def test_malformed_json_is_a_400_parse_error(client, post, raw):
    response = client.post(f"/api/v1/posts/{post.slug}/comments/", raw, content_type="application/json")

    assert_refused(response, code="parse_error")
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("raw", [b"", b"[]", b'"a string"', b"42", b"null"])
def test_an_empty_body_or_json_that_is_not_an_object_is_a_400(client, post, raw):
    response = client.post(f"/api/v1/posts/{post.slug}/comments/", raw, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] in ("invalid", "parse_error")
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/xml", "multipart/form-data"],
)
def test_a_body_that_is_not_json_is_a_415_with_a_message(client, post, content_type):
    data = comment_body(post)
    if content_type == "multipart/form-data":
        response = client.post(f"/api/v1/posts/{post.slug}/comments/", data)
    else:
        response = client.post(f"/api/v1/posts/{post.slug}/comments/", "body=x", content_type=content_type)

    assert_refused(response, 415, code="unsupported_media_type")
    assert Comment.objects.count() == 0


def test_a_body_over_the_size_limit_is_a_413_and_nothing_is_stored(client, post, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096

    response = send_comment(client, post, body="x" * 5000)

    assert_refused(response, 413, code="request_too_large")
    assert Comment.objects.count() == 0


# Posts (an editor's token)


@pytest.mark.parametrize(
    "field", ["title", "body", "excerpt", "slug", "seo_title", "meta_description", "featured_image_alt"]
)
def test_a_nul_character_in_any_post_field_is_a_400_and_no_post_is_created(client, editor_auth, field):
    data = {"title": "Un titre", "body": "Un texte.", field: NUL}

    body = assert_refused(
        client.post("/api/v1/posts/", data, content_type="application/json", **editor_auth), field=field
    )

    assert "Null characters are not allowed." in body["errors"][field]
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("categories", [NUL]),
        ("tags", [NUL]),
        ("author", NUL),
        ("categories", [["nested"]]),
        ("tags", [{"slug": "x"}]),
        ("author", 42),
        ("categories", ["does-not-exist"]),
    ],
)
def test_slug_references_that_cannot_match_are_a_400(client, editor_auth, field, value):
    CategoryFactory(slug="ia")
    TagFactory(slug="mistral")

    response = client.post(
        "/api/v1/posts/", {"title": "Un titre", field: value}, content_type="application/json", **editor_auth
    )

    assert_refused(response, field=field)
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "t" * 256),
        ("title", 3.14),
        ("slug", "deux mots"),
        ("slug", "admin"),
        ("canonical_url", "pas une adresse"),
        ("featured_image_url", "javascript:alert(1)"),
        ("status", "archived"),
        ("published_at", "hier"),
        ("published_at", "0001-01-01T00:00:00+14:00"),
        ("allow_comments", "peut-être"),
    ],
)
def test_invalid_post_fields_are_a_400_and_no_post_is_created(client, editor_auth, field, value):
    data = {"title": "Un titre", field: value}

    assert_refused(
        client.post("/api/v1/posts/", data, content_type="application/json", **editor_auth), field=field
    )
    assert not Post.objects.exists()


def test_a_refused_change_leaves_the_post_as_it_was(client, editor_auth, post):
    before = Post.objects.values().get(pk=post.pk)

    response = client.patch(
        f"/api/v1/posts/{post.slug}/",
        {"title": "Nouveau", "body": NUL},
        content_type="application/json",
        **editor_auth,
        **if_match(post),
    )

    assert_refused(response, field="body")
    assert Post.objects.values().get(pk=post.pk) == before


def test_a_post_keeps_emoji_and_right_to_left_text_exactly(client, editor_auth):
    response = client.post(
        "/api/v1/posts/",
        {"title": "Shalom שלום 👋", "body": LIVING_TEXT},
        content_type="application/json",
        **editor_auth,
    )

    assert response.status_code == 201, response.content
    post = Post.objects.get()
    assert (post.title, post.body) == ("Shalom שלום 👋", LIVING_TEXT)
    assert response.json()["title"] == "Shalom שלום 👋"


def test_a_moderator_reply_with_a_nul_character_is_a_400(client, editor_auth, post):
    comment = CommentFactory(post=post)

    response = client.post(
        f"/api/v1/moderation/comments/{comment.pk}/reply/",
        {"body": NUL},
        content_type="application/json",
        **editor_auth,
        **if_match(post),
    )

    assert_refused(response, field="body")
    assert Comment.objects.count() == 1


# Addresses


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/posts/a%00b/",
        "/api/v1/posts/a%00b/comments/",
        "/api/v1/posts/a%00b/comments/token/",
        "/api/v1/categories/a%00b/",
        "/api/v1/tags/a%00b/",
        "/api/v1/pages/a%00b/",
        "/api/v1/authors/a%00b/",
        "/api/v1/moderation/comments/1%00/",
    ],
)
def test_a_nul_character_in_an_api_address_is_a_400(client, path):
    assert_refused(client.get(path), field="path")


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/posts/", "search"),
        ("/api/v1/posts/", "category"),
        ("/api/v1/posts/", "tag"),
        ("/api/v1/posts/", "author"),
        ("/api/v1/posts/", "ordering"),
        ("/api/v1/posts/", "page"),
        ("/api/v1/categories/", "parent"),
        ("/api/v1/moderation/comments/", "post"),
    ],
)
def test_a_nul_character_in_a_query_parameter_is_a_400_naming_it(client, editor_auth, path, parameter):
    body = assert_refused(client.get(path, {parameter: NUL}, **editor_auth), field=parameter)

    assert "NUL character" in body["errors"][parameter][0]


def test_a_nul_character_in_a_comment_submission_address_stores_nothing(client, post):
    response = client.post(
        "/api/v1/posts/un-article%00/comments/", comment_body(post), content_type="application/json"
    )

    assert_refused(response, field="path")
    assert Comment.objects.count() == 0


def test_a_nul_search_on_postgresql_is_refused_before_reaching_the_database(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/api/v1/posts/", {"search": f"intelligence{NUL}"})

    assert response.status_code == 400


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00", "9999-12-31T23:59:59-14:00"]
)
@pytest.mark.parametrize("parameter", ["published_after", "published_before"])
def test_a_date_filter_with_no_utc_equivalent_is_a_400_not_a_500(client, parameter, value):
    body = assert_refused(client.get("/api/v1/posts/", {parameter: value}), field=parameter)

    assert body["errors"][parameter] == ["Give a date-time between the years 1 and 9999."]


@pytest.mark.parametrize(
    "query",
    ["mot " * 2000, "x" * 100_000, "!!! ||| &&& :* ( ) <-> \\ ' \"", "' OR 1=1 --"],
    ids=["2000-words", "100k-characters", "operators", "sql"],
)
def test_long_or_odd_search_queries_get_a_list(client, query):
    PostFactory(title="Mistral mot")

    response = client.get("/api/v1/posts/", {"search": query})

    assert response.status_code == 200
    assert "results" in response.json()


def test_control_characters_in_the_user_agent_never_cost_a_comment(client, post):
    response = client.post(
        f"/api/v1/posts/{post.slug}/comments/",
        comment_body(post),
        content_type="application/json",
        HTTP_USER_AGENT="Mozilla/5.0\x00\x07 (X11)",
    )

    assert response.status_code == 201
    assert Comment.objects.get().user_agent == "Mozilla/5.0 (X11)"


def test_gunicorn_refuses_a_nul_character_in_a_header_before_django(gunicorn_server):
    address = urlsplit(gunicorn_server)
    request = (
        b"GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: a\x00b\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(request)
        answer = connection.recv(100)

    assert answer.startswith(b"HTTP/1.1 400 ")


def test_a_query_parameter_given_twice_is_a_400_naming_it(api_client):
    response = api_client.get(
        "/api/v1/tags/", {"page": ["1", "2"], "ordering": "name"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"page": ["Give this parameter once."]}


@pytest.mark.parametrize("page", ["", "abc", "-1", "1.5"])
def test_a_page_number_that_is_not_a_whole_number_is_a_400(client, page):
    response = client.get("/api/v1/authors/", {"page": page})
    assert response.status_code == 400
    assert "page" in response.json()["errors"]
