"""
WordPress's own theme unit test export, imported whole and checked against the file.

What the file holds is counted here independently of the importer, straight
from the XML with defusedxml.
"""

from pathlib import Path

import pytest
from defusedxml import ElementTree
from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone, translation

from authors.models import Author
from blog.models import Category, Page, Post, Status, Tag
from comments.models import Comment
from wordpress.importer import wordpress_import

THEME_UNIT_TEST = Path(settings.BASE_DIR).parent / "shared" / "data" / "wordpress-theme-unit-test.xml"
WP = "{https://wordpress.org/export/1.2/}"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not THEME_UNIT_TEST.exists(), reason="../shared/data/ is not beside the repository"),
]


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in their source language, whatever the site's default."""
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def expected():
    """What the file contains, counted from the XML."""
    channel = ElementTree.parse(THEME_UNIT_TEST).getroot().find("channel")
    items = channel.findall("item")

    def text(element, name):
        return (element.findtext(WP + name) or "").strip()

    content = [item for item in items if text(item, "post_type") in ("post", "page")]
    posts = [item for item in content if text(item, "post_type") == "post"]
    pages = [item for item in content if text(item, "post_type") == "page"]
    categories = {text(c, "category_nicename") for c in channel.findall(WP + "category")}
    tags = {text(t, "tag_slug") for t in channel.findall(WP + "tag")}
    for item in posts:
        for term in item.findall("category"):
            if term.get("domain") == "category":
                categories.add(term.get("nicename"))
            elif term.get("domain") == "post_tag":
                tags.add(term.get("nicename"))
    attachments = {text(item, "post_id") for item in items if text(item, "post_type") == "attachment"}
    post_comments = [c for item in posts for c in item.findall(WP + "comment")]
    page_comments = [c for item in pages for c in item.findall(WP + "comment")]
    return {
        "authors": len(channel.findall(WP + "author")),
        "posts": len(posts),
        "pages": len(pages),
        "categories": len(categories),
        "tags": len(tags),
        "comments": len(post_comments),
        "page comments": len(page_comments),
        "page replies": sum(text(c, "comment_parent") not in ("", "0") for c in page_comments),
        "page pending": sum(text(c, "comment_approved") == "0" for c in page_comments),
        "pages open": {text(item, "post_name") for item in pages if text(item, "comment_status") == "open"},
        "replies": sum(text(c, "comment_parent") not in ("", "0") for c in post_comments),
        "pingbacks": sum(text(c, "comment_type") == "pingback" for c in post_comments),
        "pending": sum(text(c, "comment_approved") == "0" for c in post_comments),
        "sticky": sum(text(item, "is_sticky") == "1" for item in posts),
        "drafts": sum(
            text(item, "status") in ("draft", "private") or text(item, "post_password") != ""
            for item in posts
        ),
        "pending review": sum(
            text(item, "status") == "pending" and text(item, "post_password") == "" for item in posts
        ),
        "future": sum(text(item, "status") == "future" for item in posts),
        "featured": sum(
            any(
                text(meta, "meta_key") == "_thumbnail_id" and text(meta, "meta_value") in attachments
                for meta in item.findall(WP + "postmeta")
            )
            for item in posts
        ),
    }


@pytest.fixture
def report():
    return wordpress_import(path=THEME_UNIT_TEST)


def test_everything_the_file_holds_is_imported(report, expected):
    assert Author.objects.count() == expected["authors"]
    assert Post.objects.count() == expected["posts"]
    assert Page.objects.count() == expected["pages"]
    assert Category.objects.count() == expected["categories"]
    assert Tag.objects.count() == expected["tags"]
    assert Comment.objects.filter(post__isnull=False).count() == expected["comments"]
    # Page comments come in too (the file has 5: four on "Page with comments", one on "a Blog page").
    assert expected["page comments"] == 5
    assert Comment.objects.filter(page__isnull=False).count() == expected["page comments"]
    assert report.counts["comments"].created == expected["comments"] + expected["page comments"]
    assert report.counts["comments"].skipped == 0
    assert report.counts["posts"].created == expected["posts"]


def test_statuses_threads_and_flags_match_the_file(report, expected):
    assert Post.objects.filter(status=Status.DRAFT).count() == expected["drafts"]
    assert Post.objects.filter(status=Status.PENDING).count() == expected["pending review"]
    assert (
        Post.objects.filter(status=Status.PUBLISHED, published_at__gt=timezone.now()).count()
        == expected["future"]
    )
    assert Post.objects.filter(sticky=True).count() == expected["sticky"]
    assert Post.objects.exclude(featured_image_url="").count() == expected["featured"]
    on_posts = Comment.objects.filter(post__isnull=False)
    assert on_posts.filter(parent__isnull=False).count() == expected["replies"]
    assert on_posts.filter(kind=Comment.Kind.PINGBACK).count() == expected["pingbacks"]
    assert on_posts.filter(status=Comment.Status.PENDING).count() == expected["pending"]
    on_pages = Comment.objects.filter(page__isnull=False)
    assert on_pages.filter(parent__isnull=False).count() == expected["page replies"]
    assert on_pages.filter(status=Comment.Status.PENDING).count() == expected["page pending"]
    assert len(report.drafted) == 1  # the password-protected post


def test_page_comments_keep_their_page_thread_and_status(report, expected, client):
    page = Page.objects.get(wordpress_id=155)  # "Page with comments"
    thread = {c.wordpress_id: c for c in Comment.objects.filter(page=page)}
    assert set(thread) == {167, 168, 169, 1017}
    assert thread[1017].parent == thread[168]
    assert thread[1017].status == Comment.Status.PENDING
    assert {thread[pk].status for pk in (167, 168, 169)} == {Comment.Status.APPROVED}
    assert Comment.objects.get(wordpress_id=1016).page.wordpress_id == 703
    # Pages take comments where WordPress said their comment_status was open, and only there.
    assert (
        set(Page.objects.filter(allow_comments=True).values_list("slug", flat=True)) == expected["pages open"]
    )
    shown = client.get(page.get_absolute_url()).content.decode()
    assert "tellyworthtest2" in shown and 'id="commentform"' in shown
    assert "themereviewteam" not in shown  # held for moderation


def test_importing_it_again_changes_nothing(report):
    again = wordpress_import(path=THEME_UNIT_TEST)
    for kind, counts in again.counts.items():
        assert (counts.created, counts.updated) == (0, 0), kind


def test_post_with_headings_has_its_table_of_contents_and_its_old_address(report, client):
    post = Post.objects.get(slug="markup-html-tags-and-formatting")
    titles = []
    stack = list(post.toc)
    while stack:
        entry = stack.pop(0)
        titles.append(entry["title"])
        stack[:0] = entry["children"]
    assert titles[:4] == ["Header one", "Header two", "Header three", "Header four"]
    assert "Blockquotes" in titles
    assert '<h2 id="blockquotes">Blockquotes</h2>' in post.body_html
    response = client.get("/2013/01/11/markup-html-tags-and-formatting/")
    assert response.status_code == 301
    assert response["Location"] == "/markup-html-tags-and-formatting/"


def test_post_page_shows_the_sommaire(report, client):
    try:
        get_template("blog/post_detail.html")
    except TemplateDoesNotExist:
        pytest.skip("the post page template is not in this branch")
    page = client.get("/markup-html-tags-and-formatting/", headers={"accept-language": "fr"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sommaire" in html
    assert 'href="#blockquotes"' in html
