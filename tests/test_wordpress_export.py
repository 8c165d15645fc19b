"""
Leaving is as easy as arriving: `export_wordpress` writes a WXR 1.2 file that
WordPress's importer could read and that Plume's brings back whole.
"""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from defusedxml import ElementTree
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.redirects.models import Redirect
from django.core.management import CommandError, call_command
from django.utils import translation

from authors.models import Author
from blog.models import Category, Page, Post, Status, Tag
from comments.models import Comment
from wordpress.exporter import wordpress_export
from wordpress.importer import wordpress_import

from .factories import AuthorFactory, CategoryFactory, CommentFactory, PageFactory, PostFactory, TagFactory

THEME_UNIT_TEST = Path(settings.BASE_DIR).parent / "shared" / "data" / "wordpress-theme-unit-test.xml"
WP = "{http://wordpress.org/export/1.2/}"
ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in their source language."""
    with translation.override("en"):
        yield


def export(path, **options):
    call_command("export_wordpress", str(path), stdout=io.StringIO(), **options)
    return path.read_text(encoding="utf-8")


def snapshot():
    """Everything a round trip must keep, by natural keys (ids and primary keys may differ)."""

    def seconds(value):
        return value.replace(microsecond=0) if value else None  # WXR dates are to the second

    def content(obj):
        author = obj.author.display_name if obj.author else ""
        return (obj.title, obj.status, seconds(obj.published_at), obj.body, author)

    def comment_key(comment):
        return (comment.content.slug, comment.author_name, seconds(comment.created_at))

    return {
        "authors": sorted((a.user.username, a.display_name, a.user.email) for a in Author.objects.all()),
        "categories": sorted(
            (c.slug, c.name, c.description, c.parent.slug if c.parent else "") for c in Category.objects.all()
        ),
        "tags": sorted((t.slug, t.name) for t in Tag.objects.all()),
        "posts": {
            post.slug: (
                *content(post),
                post.excerpt,
                post.sticky,
                post.allow_comments,
                post.featured_image_url,
                sorted(post.categories.values_list("slug", flat=True)),
                sorted(post.tags.values_list("slug", flat=True)),
            )
            for post in Post.objects.all()
        },
        "pages": {
            page.slug: (*content(page), page.menu_order, page.allow_comments) for page in Page.objects.all()
        },
        "comments": sorted(
            (
                *comment_key(comment),
                comment.body,
                comment.status,
                comment.kind,
                comment.author_email,
                comment.author_url,
                comment_key(comment.parent) if comment.parent else None,
            )
            for comment in Comment.objects.select_related("post", "page", "parent__post", "parent__page")
        ),
        "redirects": sorted(Redirect.objects.values_list("old_path", "new_path")),
    }


def empty_the_site():
    Comment.objects.all().delete()
    Post.objects.all().delete()
    Page.objects.all().delete()
    Category.objects.filter(parent__isnull=False).update(parent=None)
    Category.objects.all().delete()
    Tag.objects.all().delete()
    Author.objects.all().delete()
    get_user_model().objects.all().delete()
    Redirect.objects.all().delete()


@pytest.mark.skipif(not THEME_UNIT_TEST.exists(), reason="../shared/data/ is not beside the repository")
def test_the_theme_unit_test_survives_an_export_and_an_import_into_an_empty_site(tmp_path):
    wordpress_import(path=THEME_UNIT_TEST)
    before = snapshot()
    assert before["posts"] and before["comments"] and before["redirects"]
    assert Comment.objects.filter(page__isnull=False).count() == 5  # the file's page comments
    exported = tmp_path / "site.xml"
    export(exported, include_emails=True)

    empty_the_site()
    report = wordpress_import(path=exported)

    after = snapshot()
    for kind in before:
        assert after[kind] == before[kind], kind
    assert not [w for w in report.warnings if "not in the file" in w]


def test_plume_content_round_trips_with_its_markdown_statuses_and_threads(tmp_path):
    author = AuthorFactory(display_name="Simone")
    parent = CategoryFactory(name="Tech", description="Machines")
    child = CategoryFactory(name="IA", parent=parent)
    tag = TagFactory(name="Climat")
    published = PostFactory(
        author=author,
        body="## Titre\n\nDu *Markdown* avec `code` et ]]> dedans.\n",
        categories=[child],
        tags=[tag],
        sticky=True,
        seo_title="Pour les moteurs",
        featured_image_url="https://old.example/photo.jpg",
        featured_image_alt="Une photo",
    )
    PostFactory(author=author, draft=True, title="Brouillon")
    PostFactory(author=author, scheduled=True, title="Plus tard")
    PageFactory(title="À propos", menu_order=2, author=author)
    guestbook = PageFactory(title="Livre d’or", author=author, allow_comments=True)
    signed = CommentFactory(post=None, page=guestbook, body="Bravo pour le site")
    CommentFactory(post=None, page=guestbook, parent=signed, status=Comment.Status.PENDING, body="Merci !")
    first = CommentFactory(post=published, body="Premier **avis**", author_email="ada@example.net")
    CommentFactory(post=published, parent=first, status=Comment.Status.PENDING)
    CommentFactory(post=published, status=Comment.Status.SPAM)
    Redirect.objects.create(
        site_id=settings.SITE_ID, old_path="/2019/ancien/", new_path=published.get_absolute_url()
    )
    before = snapshot()
    exported = tmp_path / "site.xml"
    xml = export(exported, include_emails=True)

    assert "<wp:status><![CDATA[future]]></wp:status>" in xml
    assert "<wp:status><![CDATA[draft]]></wp:status>" in xml
    assert "<wp:is_sticky>1</wp:is_sticky>" in xml
    assert "]]]]><![CDATA[>" in xml  # a "]]>" in the text cannot end the CDATA section
    empty_the_site()
    wordpress_import(path=exported)

    after = snapshot()
    # The importer adds WordPress's short addresses (/?p=ID) to the redirects it brings back.
    assert set(before.pop("redirects")) <= set(after.pop("redirects"))
    assert after == before
    assert Post.objects.get(slug=published.slug).seo_title == "Pour les moteurs"
    reply = Comment.objects.get(body="Merci !")
    assert (reply.page.slug, reply.parent.body, reply.status) == (
        guestbook.slug,
        "Bravo pour le site",
        "pending",
    )


def test_the_file_has_wordpress_elements_and_namespaces(tmp_path):
    post = PostFactory(categories=[CategoryFactory()], tags=[TagFactory()])
    CommentFactory(post=post)
    xml = export(tmp_path / "site.xml")

    for namespace in (
        'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"',
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"',
        'xmlns:wfw="http://wellformedweb.org/CommentAPI/"',
        'xmlns:dc="http://purl.org/dc/elements/1.1/"',
        'xmlns:wp="http://wordpress.org/export/1.2/"',
    ):
        assert namespace in xml
    channel = ElementTree.fromstring(xml.encode()).find("channel")
    assert channel.findtext(WP + "wxr_version") == "1.2"
    assert len(channel.findall(WP + "author")) == 1
    assert len(channel.findall(WP + "category")) == len(channel.findall(WP + "tag")) == 1
    (item,) = channel.findall("item")
    assert item.findtext(WP + "post_type") == "post"
    assert item.findtext(WP + "post_id") == str(10**9 + post.pk)  # the id /wp-json/ answers with
    assert item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded") == post.body_html
    assert {c.get("domain") for c in item.findall("category")} == {"category", "post_tag"}
    meta = {m.findtext(WP + "meta_key"): m.findtext(WP + "meta_value") for m in item.findall(WP + "postmeta")}
    assert meta["_plume_markdown"] == post.body
    assert len(item.findall(WP + "comment")) == 1


def test_commenters_emails_and_ips_are_left_out_unless_asked(tmp_path):
    post = PostFactory(author=AuthorFactory(user__email="simone@example.org"))
    CommentFactory(post=post, author_email="reader@example.net", ip_address="192.0.2.0")

    without = export(tmp_path / "a.xml")
    assert "reader@example.net" not in without and "192.0.2.0" not in without
    assert "simone@example.org" in without  # an author's account keeps its address
    with_emails = export(tmp_path / "b.xml", include_emails=True)
    assert "reader@example.net" in with_emails and "192.0.2.0" in with_emails


def test_an_unwritable_destination_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_wordpress", str(tmp_path / "missing" / "site.xml"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="is a directory"):
        call_command("export_wordpress", str(tmp_path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("export_wordpress", "/proc/plume-export.xml", stdout=io.StringIO())
    assert list(tmp_path.iterdir()) == []  # no half-written file left behind


def test_the_command_exits_1_with_a_message_for_an_unwritable_path(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "export_wordpress", str(tmp_path / "no" / "site.xml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "plume.test_settings", "LANGUAGE_CODE": "en"},
        check=False,
    )
    assert result.returncode == 1
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_the_export_function_writes_to_any_text_stream():
    PostFactory(status=Status.PUBLISHED)
    out = io.StringIO()
    counts = wordpress_export(out=out)
    assert counts["posts"] == 1 and out.getvalue().rstrip().endswith("</rss>")


def test_a_site_moved_to_another_plume_answers_with_the_same_api_ids(tmp_path, client):
    post = PostFactory()
    api_id = 10**9 + post.pk
    export(tmp_path / "site.xml")
    empty_the_site()
    PostFactory(title="Écrit avant le déménagement")  # takes a new primary key
    wordpress_import(path=tmp_path / "site.xml")

    assert client.get(f"/wp-json/wp/v2/posts/{api_id}").json()["slug"] == post.slug
