"""
`manage.py export_json FILE`: the whole site as one JSON document for other tools
(authors, terms, posts and pages with every status, comments with their threads,
redirects); commenters' e-mails and IPs only with --include-emails.
"""

import io
import json

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from blog.models import Status
from blog.services import post_update

from .factories import AuthorFactory, CategoryFactory, CommentFactory, PageFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in their source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def site(author_user):
    parent = CategoryFactory(name="Sciences", slug="sciences")
    child = CategoryFactory(name="Physique", slug="physique", parent=parent)
    tag = TagFactory(name="IA", slug="ia")
    author = author_user.author
    published = PostFactory(
        author=author, title="Publié", slug="publie", categories=[child], body="## Un\n\nA."
    )
    published.tags.add(tag)
    PostFactory(author=author, title="Brouillon", slug="brouillon", draft=True)
    PostFactory(author=author, title="Plus tard", slug="plus-tard", scheduled=True)
    PostFactory(author=author, title="À relire", slug="a-relire", status=Status.PENDING, published_at=None)
    PageFactory(title="À propos", slug="a-propos", menu_order=3)
    root = CommentFactory(
        post=published, author_name="Alice", author_email="alice@example.net", ip_address="192.0.2.0"
    )
    reply = CommentFactory(post=published, parent=root, author_name="Bob")
    CommentFactory(post=published, parent=reply, author_name="Chloé", status="pending")
    CommentFactory(post=published, author_name="Spammeur", status="spam")
    post_update(post=published, by=author_user, slug="publie-enfin")
    return published


def export(tmp_path, *args):
    path = tmp_path / "site.json"
    out = io.StringIO()
    call_command("export_json", str(path), *args, stdout=out)
    return json.loads(path.read_text(encoding="utf-8")), out.getvalue()


def test_the_export_holds_everything(tmp_path, site, author_user):
    document, output = export(tmp_path)

    assert document["format"] == "plume-export" and document["version"] == 1
    assert [author["login"] for author in document["authors"]] == [author_user.username]
    assert [(c["slug"], c["parent"]) for c in document["categories"]] == [
        ("sciences", None),
        ("physique", "sciences"),
    ]
    assert [tag["slug"] for tag in document["tags"]] == ["ia"]
    posts = {post["slug"]: post for post in document["posts"]}
    assert {slug: post["status"] for slug, post in posts.items()} == {
        "publie-enfin": "published",
        "brouillon": "draft",
        "plus-tard": "scheduled",
        "a-relire": "pending",
    }
    post = posts["publie-enfin"]
    assert post["body"] == "## Un\n\nA." and '<h2 id="un">Un</h2>' in post["body_html"]
    assert post["toc"][0]["id"] == "un"
    assert post["categories"] == ["physique"] and post["tags"] == ["ia"]
    assert post["author"] == author_user.author.slug
    assert post["redirected_from"] == ["/publie/"]
    assert post["published_at"].endswith("Z")
    assert [page["slug"] for page in document["pages"]] == ["a-propos"]
    assert document["pages"][0]["menu_order"] == 3
    assert {"old_path": "/publie/", "new_path": "/publie-enfin/"} in document["redirects"]
    feed = {"old_path": "/publie/comments/feed/", "new_path": "/publie-enfin/comments/feed/"}
    assert feed in document["redirects"]
    assert "4 posts, 1 pages, 4 comments" in output


def test_comments_come_as_threads_with_every_status(tmp_path, site):
    document, _output = export(tmp_path)

    threads = next(post for post in document["posts"] if post["slug"] == "publie-enfin")["comments"]
    assert [(c["author_name"], c["status"]) for c in threads] == [("Alice", "approved"), ("Spammeur", "spam")]
    bob = threads[0]["replies"][0]
    assert bob["author_name"] == "Bob"
    assert [(c["author_name"], c["status"]) for c in bob["replies"]] == [("Chloé", "pending")]


def test_commenters_emails_and_ips_only_with_the_flag(tmp_path, site):
    without, output = export(tmp_path)
    text = json.dumps(without)
    assert "alice@example.net" not in text and "192.0.2.0" not in text
    assert "author_email" not in text and "ip_address" not in text
    assert "--include-emails" in output

    with_flag, _output = export(tmp_path, "--include-emails")
    alice = next(post for post in with_flag["posts"] if post["slug"] == "publie-enfin")["comments"][0]
    assert alice["author_email"] == "alice@example.net" and alice["ip_address"] == "192.0.2.0"
    assert "user_agent" not in json.dumps(with_flag)


def test_standard_output_and_bad_paths(tmp_path, site, capsys):
    out = io.StringIO()
    call_command("export_json", "-", stdout=out)
    assert json.loads(out.getvalue())["format"] == "plume-export"

    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_json", str(tmp_path / "missing" / "site.json"))
    with pytest.raises(CommandError, match="is a directory"):
        call_command("export_json", str(tmp_path))
    assert list(tmp_path.iterdir()) == []  # no half file left behind


def test_an_empty_site_exports(tmp_path):
    document, _output = export(tmp_path)

    assert document["posts"] == [] and document["authors"] == [] and document["redirects"] == []
    assert document["site"]["name"] == settings.PLUME_SITE_NAME


def test_the_export_reads_a_fixed_number_of_queries(tmp_path, site, django_assert_max_num_queries):
    for n in range(5):
        CommentFactory(post=PostFactory(author=AuthorFactory()), author_name=f"Lecteur {n}")
    with django_assert_max_num_queries(12):
        export(tmp_path)
