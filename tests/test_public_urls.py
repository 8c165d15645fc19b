"""Every address of the URL contract answers as it should, 404 included."""

import json
import re

import pytest
from django.test import RequestFactory
from django.utils.timezone import localtime
from django.views.defaults import server_error

from .factories import AuthorFactory, CategoryFactory, CommentFactory, PageFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def blog():
    author = AuthorFactory(slug="simone", display_name="Simone", role_title="Rédactrice principale")
    post = PostFactory(
        slug="un-article",
        author=author,
        categories=[CategoryFactory(slug="ia")],
        tags=[TagFactory(slug="europe")],
    )
    PageFactory(slug="a-propos", title="À propos")
    return post


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/", 200),
        ("/?page=1", 200),
        ("/?page=2", 404),
        ("/?page=abc", 404),
        ("/un-article/", 200),
        ("/a-propos/", 200),
        ("/category/ia/", 200),
        ("/tag/europe/", 200),
        ("/author/simone/", 200),
        ("/search/?q=article", 200),
        ("/search/", 200),
        ("/feed/", 200),
        ("/feed/atom/", 200),
        ("/category/ia/feed/", 200),
        ("/author/simone/feed/", 200),
        ("/sitemap.xml", 200),
        ("/robots.txt", 200),
        ("/admin/", 302),
        ("/inconnu/", 404),
        ("/category/inconnue/", 404),
        ("/tag/inconnue/", 404),
        ("/author/inconnu/", 404),
        ("/un-article", 301),
    ],
)
def test_each_address_answers_with_the_expected_status(client, blog, url, status):
    assert client.get(url).status_code == status


def test_the_404_page_is_the_sites_own_translated_page(client, blog):
    response = client.get("/inconnu/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Page introuvable" in content
    assert 'action="/search/"' in content


def test_the_500_page_renders_without_database_or_context_processors(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert "<h1>" in response.content.decode()


def test_home_lists_sticky_posts_first_then_newest(client):
    old_sticky = PostFactory(title="Épinglé ancien", sticky=True)
    old_sticky.published_at = old_sticky.published_at.replace(year=2020)
    old_sticky.save()
    newest = PostFactory(title="Le plus récent")
    posts = list(client.get("/").context["page_obj"])
    assert posts[:2] == [old_sticky, newest]


def test_home_is_paginated_with_page_parameter(client, settings):
    settings.PLUME_POSTS_PER_PAGE = 2
    PostFactory.create_batch(5)
    response = client.get("/?page=3")
    assert response.context["page_obj"].number == 3
    assert len(response.context["page_obj"]) == 1
    assert 'href="?page=2"' in response.content.decode()


LISTINGS = ["/", "/category/ia/", "/tag/europe/", "/author/simone/", "/search/?q=article"]


@pytest.mark.parametrize("url", LISTINGS)
@pytest.mark.parametrize("page", ["999", "abc", "0", "-1", "2.5", "1e3"])
def test_a_listing_page_that_does_not_exist_is_a_404(client, blog, url, page):
    separator = "&" if "?" in url else "?"
    response = client.get(f"{url}{separator}page={page}", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.parametrize("url", LISTINGS)
def test_the_first_and_last_listing_pages_answer_200(client, blog, settings, url):
    settings.PLUME_POSTS_PER_PAGE = 1
    PostFactory(
        author=blog.author, categories=blog.categories.all(), tags=blog.tags.all(), title="Un article de plus"
    )
    separator = "&" if "?" in url else "?"
    for page in ("", "1", "2"):
        assert client.get(f"{url}{separator}page={page}").status_code == 200
    assert client.get(f"{url}{separator}page=3").status_code == 404


def test_listings_show_approved_comment_counts_only(client, blog):
    CommentFactory.create_batch(2, post=blog)
    CommentFactory(post=blog, status="pending")
    CommentFactory(post=blog, status="spam")
    content = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "2 commentaires" in content


def test_a_category_page_lists_posts_of_its_subcategories_once(client):
    parent = CategoryFactory(slug="ia")
    child = CategoryFactory(parent=parent)
    post = PostFactory(categories=[parent, child])
    CommentFactory(post=post)
    response = client.get("/category/ia/")
    posts = list(response.context["page_obj"])
    assert posts == [post]
    assert posts[0].comment_count == 1


def test_post_page_shows_date_reading_time_categories_tags_and_author_box(client, blog):
    content = client.get("/un-article/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # To the second: HTML's valid date strings take no microseconds.
    assert f'<time datetime="{localtime(blog.published_at).replace(microsecond=0).isoformat()}">' in content
    assert "1 min de lecture" in content
    assert 'href="/category/ia/"' in content
    assert 'href="/tag/europe/"' in content
    author_box = content[content.index('class="author-box"') :]
    assert "Simone" in author_box
    assert "Rédactrice principale" in author_box
    assert "<em>intelligence artificielle</em>" in author_box  # the bio, rendered from Markdown
    assert 'href="/author/simone/"' in author_box
    assert 'id="comments"' in content  # where the comments app plugs in


def test_post_page_has_canonical_open_graph_and_twitter_meta(client, blog):
    content = client.get("/un-article/").content.decode()
    assert '<link rel="canonical" href="http://testserver/un-article/">' in content
    assert '<meta property="og:type" content="article">' in content
    assert '<meta property="og:url" content="http://testserver/un-article/">' in content
    assert '<meta name="twitter:card" content="summary">' in content


def test_a_canonical_url_set_by_the_editor_wins(client):
    PostFactory(slug="repris", canonical_url="https://original.example/article")
    content = client.get("/repris/").content.decode()
    assert '<link rel="canonical" href="https://original.example/article">' in content


def test_json_ld_is_a_blogposting_and_cannot_break_out_of_its_script(client):
    PostFactory(slug="piege", title="</script><script>alert(1)</script>")
    content = client.get("/piege/").content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.DOTALL).group(1)
    data = json.loads(raw)
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "</script><script>alert(1)</script>"
    assert "<script>alert" not in content


def test_sommaire_is_shown_nested_for_two_headings_or_more(client, blog):
    PostFactory(
        slug="long",
        body="## La compétition des géants\n\n### Les forces en présence\n\n## Mistral AI\n\nTexte.",
    )
    content = client.get("/long/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    sommaire = content[
        content.index('class="sommaire"') : content.index("</nav>", content.index('class="sommaire"'))
    ]
    assert "Sommaire" in sommaire
    assert re.search(
        r'href="#la-competition-des-geants">La compétition des géants</a>\s*<ol>\s*'
        r'<li class="sommaire__level-3"><a href="#les-forces-en-presence">',
        sommaire,
    )
    assert 'href="#mistral-ai"' in sommaire


def test_no_sommaire_for_a_single_heading(client):
    PostFactory(slug="court", body="## Une seule partie\n\nTexte.")
    assert 'class="sommaire"' not in client.get("/court/").content.decode()


def test_a_page_renders_its_markdown_and_menu(client, blog):
    content = client.get("/a-propos/").content.decode()
    assert '<h1 class="post__title">À propos</h1>' in content
    assert 'href="/a-propos/"' in content


def test_search_finds_published_posts_by_word(client):
    PostFactory(title="Mistral et la souveraineté", slug="mistral")
    PostFactory(title="Autre sujet")
    response = client.get("/search/?q=souveraineté")
    assert [post.slug for post in response.context["page_obj"]] == ["mistral"]


def test_render_post_shows_the_post_again_with_extra_context_and_status(rf, blog):
    from django.contrib.auth.models import AnonymousUser

    from blog.rendering import render_post

    request = rf.post("/un-article/")
    request.user = AnonymousUser()
    response = render_post(request, blog, status=400, comment_form="formulaire lié")
    assert response.status_code == 400
    assert blog.title in response.content.decode()


def test_an_external_featured_image_is_shared_with_its_own_address(client):
    PostFactory(slug="avec-image", featured_image_url="https://images.example.org/une.jpg")
    content = client.get("/avec-image/").content.decode()
    assert '<meta property="og:image" content="https://images.example.org/une.jpg">' in content


def test_object_addresses_reversed_once_still_follow_the_slug_and_the_script_prefix(blog):
    from django.urls import reverse, set_script_prefix

    from core.links import slug_path

    assert blog.get_absolute_url() == "/un-article/" == slug_path("blog:detail", "un-article")
    blog.slug = "un-autre-titre"
    assert blog.get_absolute_url() == "/un-autre-titre/"
    assert blog.author.get_absolute_url() == reverse("blog:author", kwargs={"slug": "simone"})
    set_script_prefix("/site/")  # a deployment under a sub-path (SCRIPT_NAME)
    try:
        assert blog.get_absolute_url() == "/site/un-autre-titre/"
        assert blog.categories.get().get_absolute_url() == reverse("blog:category", kwargs={"slug": "ia"})
    finally:
        set_script_prefix("/")
    assert blog.get_absolute_url() == "/un-autre-titre/"
