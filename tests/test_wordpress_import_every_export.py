"""
Every WordPress export comes in: the odd files WordPress's own importer copes
with (late declarations, pre-3.1 CDATA, WordPress.com authors) and the content
details a browser shows (unknown entities, hidden CDATA), each with a small
WXR of its own; nothing cut without a word; and /?p=ID reveals no hidden slug.
"""

import pytest

from authors.models import Author
from blog.models import Category, Post, Status, Tag
from comments.models import Comment
from wordpress.importer import wordpress_import

from .factories import PostFactory, UserFactory
from .wxr_support import english, wxr_writer  # noqa: F401 (english: an autouse fixture)

pytestmark = pytest.mark.django_db

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><wp:wxr_version>1.2</wp:wxr_version>
"""
AUTHOR = """<wp:author><wp:author_id>{id}</wp:author_id><wp:author_login><![CDATA[{login}]]></wp:author_login>
<wp:author_email><![CDATA[{login}@example.org]]></wp:author_email>
<wp:author_display_name><![CDATA[{name}]]></wp:author_display_name></wp:author>
"""


def item(wordpress_id, *, content="Texte.", creator="anne", status="publish", extra="", title="Titre"):
    return f"""<item><title>{title}</title><link>https://old.example/?p={wordpress_id}</link>
<dc:creator>{creator}</dc:creator><content:encoded><![CDATA[{content}]]></content:encoded>
<wp:post_id>{wordpress_id}</wp:post_id><wp:post_date_gmt>2024-01-01 10:00:00</wp:post_date_gmt>
<wp:post_name>post-{wordpress_id}</wp:post_name><wp:status>{status}</wp:status>
<wp:post_type>post</wp:post_type>{extra}</item>
"""


@pytest.fixture
def wxr(tmp_path):
    return wxr_writer(tmp_path, HEAD)


def test_authors_and_terms_declared_after_the_first_item_are_imported(wxr):
    terms = (
        '<category domain="category" nicename="news"><![CDATA[News]]></category>'
        '<category domain="post_tag" nicename="late-tag"><![CDATA[Late tag]]></category>'
    )
    report = wordpress_import(
        path=wxr(
            item(1, extra=terms)
            + AUTHOR.format(id=7, login="anne", name="Anne Dupont")
            + "<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>news</wp:category_nicename>"
            "<wp:category_parent>world</wp:category_parent><wp:cat_name>News</wp:cat_name>"
            "<wp:category_description>Daily news</wp:category_description></wp:category>"
            "<wp:category><wp:term_id>4</wp:term_id><wp:category_nicename>world</wp:category_nicename>"
            "<wp:cat_name>World</wp:cat_name></wp:category>"
            "<wp:tag><wp:term_id>5</wp:term_id><wp:tag_slug>late-tag</wp:tag_slug>"
            "<wp:tag_name>Late tag</wp:tag_name></wp:tag>"
            "<wp:tag><wp:term_id>6</wp:term_id><wp:tag_slug>unused</wp:tag_slug>"
            "<wp:tag_name>Unused</wp:tag_name></wp:tag>"
        )
    )
    author = Author.objects.get(user__username="anne")
    assert (author.display_name, author.user.email, author.wordpress_id) == (
        "Anne Dupont",
        "anne@example.org",
        7,
    )
    news = Category.objects.get(slug="news")
    assert (news.description, news.wordpress_id, news.parent.slug) == ("Daily news", 3, "world")
    assert Category.objects.get(slug="world").wordpress_id == 4
    assert set(Tag.objects.values_list("slug", "wordpress_id")) == {("late-tag", 5), ("unused", 6)}
    assert list(Post.objects.get(wordpress_id=1).tags.values_list("slug", flat=True)) == ["late-tag"]
    assert report.counts["authors"].created == 1


def test_an_unknown_entity_keeps_its_semicolon_as_a_browser_shows_it(wxr):
    wordpress_import(
        path=wxr(item(1, content="<p>The R&D; team</p><pre>int *p = &x;\nq &amp;&amp; r;</pre>"))
    )
    post = Post.objects.get(wordpress_id=1)
    assert "The R&amp;D; team" in post.body_html
    assert "int *p = &amp;x;\nq &amp;&amp; r;" in post.body_html


def test_cdata_inside_post_html_stays_hidden_as_in_a_browser(wxr):
    content = "<p>Visible <![CDATA[hidden words]]]]><![CDATA[> end</p>"
    wordpress_import(path=wxr(item(1, content=content)))
    post = Post.objects.get(wordpress_id=1)
    assert "hidden words" not in post.body_html
    assert "Visible" in post.body_html and "end" in post.body_html


def test_a_pre_31_export_with_an_unescaped_cdata_end_is_recovered_and_reported(wxr):
    snippet = '<script type="text/javascript">//<![CDATA[\nvar a = 1;\n//]]></script><p>After the script.</p>'
    path = wxr(
        AUTHOR.format(id=1, login="anne", name="Anne")
        + item(1, content=snippet, title="Old post")
        + item(2, content="<p>Clean post.</p>", title="Clean")
    )
    report = wordpress_import(path=path)

    assert Post.objects.count() == 2
    assert "After the script." in Post.objects.get(wordpress_id=1).body_html
    (warning,) = [w for w in report.warnings if "WordPress before 3.1" in w]
    assert "“Old post” (1)" in warning and "Clean" not in warning
    assert report.counts["posts"].created == 2  # the strict attempt left nothing behind


def test_a_file_that_is_broken_otherwise_is_still_refused(wxr):
    from wordpress.wxr import WxrError

    with pytest.raises(WxrError, match="Not a valid XML file"):
        wordpress_import(path=wxr(item(1, content="fine") + "<item><title>broken</item>"))


def test_a_wordpress_com_author_element_is_read_like_a_wordpress_one(wxr):
    body = (
        "<wp:wp_author><wp:author_id>9</wp:author_id><wp:author_login>bob</wp:author_login>"
        "<wp:author_email>bob@example.org</wp:author_email>"
        "<wp:author_display_name><![CDATA[Bob Martin]]></wp:author_display_name></wp:wp_author>"
    )
    report = wordpress_import(path=wxr(body + item(1, creator="bob")))
    author = Author.objects.get(user__username="bob")
    assert (author.display_name, author.user.email, author.wordpress_id) == (
        "Bob Martin",
        "bob@example.org",
        9,
    )
    assert not [w for w in report.warnings if "not among the file" in w]


def test_names_cut_to_fit_their_field_are_reported(wxr):
    long_name = "Commentateur " * 10  # 129 characters once stripped
    comment = f"""<wp:comment><wp:comment_id>5</wp:comment_id>
<wp:comment_author><![CDATA[{long_name}]]></wp:comment_author>
<wp:comment_content><![CDATA[Bonjour]]></wp:comment_content>
<wp:comment_approved>1</wp:comment_approved></wp:comment>"""
    report = wordpress_import(
        path=wxr(AUTHOR.format(id=1, login="anne", name="Anne") + item(1, extra=comment))
    )
    assert len(Comment.objects.get(wordpress_id=5).author_name) == 100
    (warning,) = [w for w in report.warnings if w.startswith("Cut to fit")]
    assert "comment 5" in warning and "129 characters" in warning


def test_the_short_address_of_a_hidden_post_is_a_404_not_a_redirect(wxr, client):
    wordpress_import(
        path=wxr(
            AUTHOR.format(id=1, login="anne", name="Anne")
            + item(10, status="private")
            + item(11, status="draft")
            + item(12, status="future").replace("2024-01-01", "2999-01-01")
            + item(13)
        )
    )
    for hidden in (10, 11, 12):
        response = client.get(f"/?p={hidden}")
        assert response.status_code == 404, hidden
        assert f"post-{hidden}" not in response.headers.get("Location", "")
    assert client.get("/?p=13")["Location"] == "/post-13/"
    editor = UserFactory(username="chief", is_superuser=True, is_staff=True)
    client.force_login(editor)
    assert client.get("/?p=11")["Location"] == "/post-11/"  # someone who may read it is sent there


def test_the_short_address_of_native_content_uses_its_api_id(client):
    post = PostFactory()
    assert client.get(f"/?p={10**9 + post.pk}")["Location"] == post.get_absolute_url()
    assert PostFactory(draft=True).status == Status.DRAFT
