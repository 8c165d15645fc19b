"""
Bad input to the site (the comment form, search, addresses, the report button,
the admin): a clear 400 with a message, never a 500, nothing half-stored, and
what the reader typed given back. Legitimate text (right-to-left scripts,
zero-width characters, emoji) is stored as sent. Run on SQLite and PostgreSQL.
"""

import html
import io
import re

import feedparser
import pytest
from django.urls import reverse
from PIL import Image

from blog.models import Post
from comments.models import Comment, CommentReport

from .bad_input_support import LIVING_TEXT, NUL
from .comments_support import comment_data
from .factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, settings):
    client.raise_request_exception = False
    # The messages below are asserted in English: the site's language decides, not the browser's.
    settings.LANGUAGE_CODE = "en"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def post():
    return PostFactory(slug="un-article", title="Mistral 3")


def send(client, post, **overrides):
    data = {key: value for key, value in comment_data(post, **overrides).items() if value is not None}
    return client.post(reverse("comments:post", args=[post.pk]), data, REMOTE_ADDR="203.0.113.57")


def page_text(response):
    return html.unescape(response.content.decode())


# The comment form


@pytest.mark.parametrize("field", ["author_name", "author_email", "author_url", "body"])
def test_a_nul_character_in_any_comment_field_is_a_400_with_the_text_kept(client, post, field):
    value = {"author_email": f"zoe{NUL}@example.net", "author_url": f"https://zoe.example/{NUL}"}.get(
        field, NUL
    )
    kept = "Un long commentaire que je ne veux pas retaper."
    overrides = {field: value} if field == "body" else {field: value, "body": kept}

    response = send(client, post, **overrides)

    assert response.status_code == 400
    page = page_text(response)
    assert "Null characters are not allowed." in page
    assert post.title in page  # the post page again, with the form
    if field != "body":
        assert kept in page
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("author_name", "n" * 101, "Ensure this value has at most 100 characters (it has 101)."),
        ("author_email", "pas-un-email", "Enter a valid email address."),
        ("author_url", "javascript:alert(1)", "Enter a valid URL."),
        ("body", "x" * 10001, "Ensure this value has at most 10000 characters (it has 10001)."),
        ("body", "   ", "This field is required."),
        ("parent", "un", "Enter a whole number."),
    ],
)
def test_invalid_comment_fields_are_a_400_with_the_reason(client, post, field, value, message):
    response = send(client, post, **{field: value})

    assert response.status_code == 400
    assert message in page_text(response)
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("parent", ["987654", str(2**62)])
def test_a_reply_to_an_unknown_comment_is_a_400_and_can_be_sent_again(client, post, parent):
    response = send(client, post, parent=parent, body="Ma réponse")

    assert response.status_code == 400
    page = page_text(response)
    assert "does not exist on this post" in page
    assert "Ma réponse" in page
    assert Comment.objects.count() == 0


def test_a_reply_to_a_comment_of_another_post_is_a_400_and_nothing_is_stored(client, post):
    elsewhere = CommentFactory(post=PostFactory())

    response = send(client, post, parent=elsewhere.pk)

    assert response.status_code == 400
    assert "does not exist on this post" in page_text(response)
    assert Comment.objects.count() == 1


def test_right_to_left_zero_width_and_emoji_are_stored_and_shown_as_sent(client, post, settings):
    settings.COMMENTS_DEFAULT_STATUS = "approved"

    response = send(client, post, author_name="Zoé 🦊 זואי", body=LIVING_TEXT)

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.author_name, comment.body) == ("Zoé 🦊 זואי", LIVING_TEXT)
    page = page_text(client.get(post.get_absolute_url()))
    assert "Zoé 🦊 זואי" in page
    assert LIVING_TEXT in page


def test_a_form_body_over_the_size_limit_is_a_413_and_nothing_is_stored(client, post, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096

    response = send(client, post, body="x" * 5000)

    assert response.status_code == 413
    assert "too large" in page_text(response)
    assert Comment.objects.count() == 0


# Addresses and search


@pytest.mark.parametrize(
    "path",
    [
        "/a%00b/",
        "/category/a%00b/",
        "/category/a%00b/feed/",
        "/tag/a%00b/",
        "/author/a%00b/",
        "/author/a%00b/feed/",
        "/a%00b/comments/feed/",
        "/admin/blog/post/1%00/change/",
    ],
)
def test_a_nul_character_in_an_address_is_a_400_page_with_a_message(client, path):
    response = client.get(path)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "NUL character" in page_text(response)


@pytest.mark.parametrize("query", [NUL, "intelligence\x00", "\x00"])
def test_a_nul_character_in_the_search_box_is_a_400_page_not_a_500(client, post, query):
    response = client.get("/search/", {"q": query})

    assert response.status_code == 400
    assert "NUL character" in page_text(response)


def test_the_search_box_takes_right_to_left_text_and_emoji(client):
    PostFactory(title="שלום 👋 le monde")

    response = client.get("/search/", {"q": "👋 שלום"})

    assert response.status_code == 200
    assert "שלום 👋 le monde" in page_text(response)


@pytest.mark.parametrize(
    "query",
    ["mot " * 2000, "x" * 100_000, "!!! ||| &&& :* ( ) <-> \\ ' \"", '"sans fin', "-", "' OR 1=1 --"],
    ids=["2000-words", "100k-characters", "operators", "open-quote", "minus", "sql"],
)
def test_long_or_odd_search_queries_get_a_results_page(client, query):
    PostFactory(title="Mistral mot")

    response = client.get("/search/", {"q": query})

    assert response.status_code == 200


def test_a_nul_character_in_a_comment_form_address_stores_nothing(client, post):
    data = comment_data(post)
    data.pop("parent")
    response = client.post(f"/comments/post/{post.pk}/?next=%00", data)

    assert response.status_code == 400
    assert Comment.objects.count() == 0


# Reporting a comment


def test_a_report_reason_with_a_nul_character_is_refused_with_a_message(client, post):
    comment = CommentFactory(post=post)

    response = client.post(reverse("comments:report", args=[comment.pk]), {"reason": NUL}, follow=True)

    assert "Null characters are not allowed." in page_text(response)
    assert not CommentReport.objects.exists()


def test_an_over_long_report_reason_is_cut_not_refused(client, post):
    comment = CommentFactory(post=post)

    client.post(reverse("comments:report", args=[comment.pk]), {"reason": "r" * 600})

    assert CommentReport.objects.get().reason == "r" * 500


# The admin


def test_the_admin_refuses_a_nul_character_in_a_post_with_a_message(client, editor):
    client.force_login(editor)

    response = client.post(
        reverse("admin:blog_post_add"),
        {"title": NUL, "body": "Un texte.", "status": "draft", "author": editor.author.pk},
    )

    assert response.status_code == 200  # the admin shows its form again, with the errors
    assert "Null characters are not allowed." in page_text(response)
    assert not Post.objects.exists()


def test_the_admin_search_with_a_nul_character_is_a_400(client, editor):
    client.force_login(editor)

    response = client.get(reverse("admin:comments_comment_changelist"), {"q": NUL})

    assert response.status_code == 400


# The Markdown editor (django-markdownx)


def upload(name, content, content_type):
    file = io.BytesIO(content)
    file.name = name
    file.content_type = content_type
    return file


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "orange").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    "content",
    [b"not an image at all", b"\x89PNG\r\n\x1a\n truncated", b""],
    ids=["text", "broken-png", "empty"],
)
def test_an_editor_upload_that_is_not_an_image_is_a_400_and_nothing_is_saved(
    client, author_user, media_root, content
):
    client.force_login(author_user)

    response = client.post(
        reverse("markdownx_upload"),
        {"image": upload("photo.png", content, "image/png")},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )

    assert response.status_code == 400
    assert response.json()["image"]
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_an_editor_uploads_a_real_image(client, author_user, media_root):
    client.force_login(author_user)

    response = client.post(
        reverse("markdownx_upload"),
        {"image": upload("photo.png", png_bytes(), "image/png")},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )

    assert response.status_code == 200
    assert response.json()["image_code"].startswith("![](/media/uploads/")


def test_the_preview_without_content_is_empty_not_a_500(client, author_user):
    client.force_login(author_user)

    response = client.post(reverse("markdownx_markdownify"), {})

    assert (response.status_code, response.content) == (200, b"")


@pytest.mark.parametrize("name", ["markdownx_upload", "markdownx_markdownify"])
def test_the_editor_endpoints_are_not_open_to_strangers(client, reader, media_root, name):
    data = {"image": upload("photo.png", png_bytes(), "image/png"), "content": "# Titre"}
    anonymous = client.post(reverse(name), data, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    client.force_login(reader)
    registered = client.post(reverse(name), data, HTTP_X_REQUESTED_WITH="XMLHttpRequest")

    assert (anonymous.status_code, registered.status_code) == (403, 403)
    assert not [path for path in media_root.rglob("*") if path.is_file()]


# Feeds


def test_control_characters_in_titles_and_comments_do_not_break_the_feeds(client):
    post = PostFactory(slug="controle", title="Un\x0btitre\x12", body="Corps \x01 du texte.")
    CommentFactory(
        post=post, author_name="Zoé\x03", body="Un commentaire\x02 collé d’un traitement de texte."
    )

    for url in ("/feed/", "/feed/atom/", "/comments/feed/", "/controle/comments/feed/"):
        response = client.get(url)
        assert response.status_code == 200, url
        feed = feedparser.parse(response.content)
        assert not feed.bozo, (url, feed.get("bozo_exception"))
        assert feed.entries, url
    titles = [entry.title for entry in feedparser.parse(client.get("/feed/").content).entries]
    assert "Untitre" in titles
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", client.get("/comments/feed/").content.decode())
