"""Dirty WordPress data is imported, normalized, with a warning: never a crash, never a silent loss."""

import pytest

from blog.models import Category, Post
from comments.models import Comment
from wordpress.importer import wordpress_import

from .factories import PostFactory
from .wxr_support import english, wxr_writer  # noqa: F401 (english: an autouse fixture)

pytestmark = pytest.mark.django_db

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.1/">
<channel><wp:wxr_version>1.1</wp:wxr_version>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login>anne</wp:author_login></wp:author>
"""


def post_item(wordpress_id, *, slug="", title="Titre", extra="", status="publish"):
    return f"""<item><title>{title}</title><link>https://old.example/?p={wordpress_id}</link>
<dc:creator>anne</dc:creator><content:encoded><![CDATA[Texte.]]></content:encoded>
<wp:post_id>{wordpress_id}</wp:post_id><wp:post_date_gmt>2024-01-01 10:00:00</wp:post_date_gmt>
<wp:post_name>{slug}</wp:post_name><wp:status>{status}</wp:status><wp:post_type>post</wp:post_type>
{extra}</item>
"""


@pytest.fixture
def wxr(tmp_path):
    return wxr_writer(tmp_path, HEAD)


def test_category_cycle_and_missing_parent_are_cut_with_warnings(wxr):
    report = wordpress_import(
        path=wxr(
            "<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>a</wp:category_nicename>"
            "<wp:category_parent>b</wp:category_parent><wp:cat_name>A</wp:cat_name></wp:category>"
            "<wp:category><wp:term_id>2</wp:term_id><wp:category_nicename>b</wp:category_nicename>"
            "<wp:category_parent>a</wp:category_parent><wp:cat_name>B</wp:cat_name></wp:category>"
            "<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>c</wp:category_nicename>"
            "<wp:category_parent>nowhere</wp:category_parent><wp:cat_name>C</wp:cat_name></wp:category>"
        )
    )
    a, b, c = (Category.objects.get(slug=slug) for slug in "abc")
    assert a.parent == b
    assert b.parent is None  # would have closed a cycle
    assert c.parent is None
    assert any("own ancestor" in warning for warning in report.warnings)
    assert any("“nowhere”" in warning for warning in report.warnings)


def test_slug_taken_by_an_existing_plume_post_is_made_unique(wxr):
    PostFactory(slug="bonjour")
    report = wordpress_import(path=wxr(post_item(5, slug="bonjour")))
    assert Post.objects.get(wordpress_id=5).slug == "bonjour-2"
    assert any("already taken" in warning for warning in report.warnings)


def test_percent_encoded_slug_is_decoded(wxr):
    wordpress_import(path=wxr(post_item(6, slug="%c3%a9t%c3%a9-2024")))
    assert Post.objects.get(wordpress_id=6).slug == "été-2024"


def test_html_in_titles_is_reduced_to_text(wxr):
    wordpress_import(path=wxr(post_item(7, title="<![CDATA[Titre <em>avec</em> balises &amp; entités]]>")))
    assert Post.objects.get(wordpress_id=7).title == "Titre avec balises & entités"


def test_unknown_status_becomes_a_draft_with_a_warning(wxr):
    report = wordpress_import(path=wxr(post_item(8, status="archived")))
    assert Post.objects.get(wordpress_id=8).status == "draft"
    assert any("“archived”" in warning for warning in report.warnings)


def test_trashed_posts_and_revisions_are_left_out_and_listed(wxr):
    report = wordpress_import(path=wxr(post_item(9, status="trash") + post_item(10, status="inherit")))
    assert not Post.objects.exists()
    assert report.ignored == {"post (trash)": 1, "post (inherit)": 1}


def test_comment_of_an_unknown_type_or_parent_is_handled_with_warnings(wxr):
    comments = """
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>X</wp:comment_author>
<wp:comment_content>Note de commande</wp:comment_content><wp:comment_approved>1</wp:comment_approved>
<wp:comment_type>order_note</wp:comment_type><wp:comment_parent>0</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_author></wp:comment_author>
<wp:comment_date_gmt>0000-00-00 00:00:00</wp:comment_date_gmt>
<wp:comment_content>Orphelin</wp:comment_content><wp:comment_approved>weird</wp:comment_approved>
<wp:comment_type></wp:comment_type><wp:comment_parent>99</wp:comment_parent></wp:comment>
"""
    report = wordpress_import(path=wxr(post_item(11, extra=comments)))
    orphan = Comment.objects.get()
    assert orphan.wordpress_id == 2
    assert orphan.parent is None
    assert orphan.status == Comment.Status.PENDING
    assert orphan.author_name == "Anonymous"
    assert orphan.created_at == Post.objects.get().published_at
    assert report.counts["comments"].skipped == 1
    assert any("order_note" in warning for warning in report.warnings)
    assert any("“weird”" in warning for warning in report.warnings)
    assert any("which is not there" in warning for warning in report.warnings)


def test_overlong_title_is_shortened_not_refused(wxr):
    wordpress_import(path=wxr(post_item(12, title="Très " * 100)))
    assert len(Post.objects.get(wordpress_id=12).title) == 255


def test_control_characters_that_make_the_file_invalid_xml_are_removed_with_a_warning(wxr):
    report = wordpress_import(path=wxr(post_item(13, title="Titre\x0bavec\x1b[0m un saut\x0c de page")))
    assert Post.objects.get(wordpress_id=13).title == "Titreavec[0m un saut de page"
    assert any("3 control character(s)" in warning for warning in report.warnings)
