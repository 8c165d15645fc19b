"""
What the site tells browsers, search engines, feed readers and social networks: icons and
manifest, every feed in RSS and Atom and linked from its page, the sitemap with dates and
images, Open Graph, Twitter cards and schema.org JSON-LD on every page type.
"""

import json
import re

import feedparser
import pytest
from defusedxml import ElementTree as ET
from django.contrib.staticfiles import finders
from django.urls import reverse

from blog import sitemaps

from .factories import AuthorFactory, CategoryFactory, CommentFactory, PageFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db

HOST = "blog.exemple.fr"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
IMAGE = "{http://www.google.com/schemas/sitemap-image/1.1}"


@pytest.fixture(autouse=True)
def allowed_host(settings):
    settings.ALLOWED_HOSTS = [HOST, "testserver"]


@pytest.fixture
def blog():
    author = AuthorFactory(slug="simone", display_name="Simone", role_title="Rédactrice principale")
    category, tag = CategoryFactory(slug="ia", name="IA"), TagFactory(slug="europe", name="Europe")
    post = PostFactory(
        slug="un-article",
        author=author,
        categories=[category],
        tags=[tag],
        featured_image_url="https://images.exemple.fr/une.jpg",
        featured_image_alt="Une carte de l’Europe",
    )
    plain = PostFactory(slug="sans-image", author=author)
    CommentFactory(post=post)
    PageFactory(slug="a-propos", title="À propos")
    return {"post": post, "plain": plain}


def shipped(url):
    """Whether a /static/ address names a file the site ships (whitenoise serves it in production)."""
    return url.startswith("/static/") and finders.find(url.removeprefix("/static/")) is not None


def get(client, url, **headers):
    return client.get(url, HTTP_HOST=HOST, **headers)


def meta(content, attribute, name):
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', content)
    return found.group(1) if found else None


def json_ld(content):
    return [
        json.loads(raw)
        for raw in re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    ]


# Icons and manifest


def test_the_favicon_answers_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_pages_link_their_icons_and_manifest_and_the_manifest_names_existing_icons(client, blog):
    content = client.get("/").content.decode()
    assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in content
    touch = re.search(r'<link rel="apple-touch-icon" href="([^"]+)">', content).group(1)
    assert shipped(touch)
    manifest_url = re.search(r'<link rel="manifest" href="([^"]+)">', content).group(1)
    response = client.get(manifest_url)
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Plume" and manifest["start_url"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert shipped(icon["src"])


# Feeds


FEEDS = [
    ("blog:feed", {}),
    ("blog:feed-atom", {}),
    ("blog:category-feed", {"slug": "ia"}),
    ("blog:category-feed-atom", {"slug": "ia"}),
    ("blog:tag-feed", {"slug": "europe"}),
    ("blog:tag-feed-atom", {"slug": "europe"}),
    ("blog:author-feed", {"slug": "simone"}),
    ("blog:author-feed-atom", {"slug": "simone"}),
    ("comments:feed", {}),
    ("comments:feed-atom", {}),
    ("comments:post-feed", {"slug": "un-article"}),
    ("comments:post-feed-atom", {"slug": "un-article"}),
]


@pytest.mark.parametrize(("name", "kwargs"), FEEDS)
def test_every_feed_exists_in_rss_and_atom(client, blog, name, kwargs):
    response = get(client, reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    kind = "atom" if name.endswith("-atom") else "rss"
    assert response["Content-Type"].startswith(f"application/{kind}+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert feed.version.startswith(kind)
    assert feed.entries


def test_the_tag_feed_lists_only_the_posts_with_that_tag(client, blog):
    feed = feedparser.parse(get(client, reverse("blog:tag-feed", kwargs={"slug": "europe"})).content)
    assert [entry.link for entry in feed.entries] == [f"http://{HOST}/un-article/"]


@pytest.mark.parametrize(
    ("url", "feeds"),
    [
        ("/", ["/feed/", "/feed/atom/", "/comments/feed/", "/comments/feed/atom/"]),
        ("/category/ia/", ["/category/ia/feed/", "/category/ia/feed/atom/"]),
        ("/tag/europe/", ["/tag/europe/feed/", "/tag/europe/feed/atom/"]),
        ("/author/simone/", ["/author/simone/feed/", "/author/simone/feed/atom/"]),
        ("/un-article/", ["/un-article/comments/feed/", "/un-article/comments/feed/atom/"]),
    ],
)
def test_each_page_links_its_feeds_in_the_head_and_visibly(client, blog, url, feeds):
    content = client.get(url).content.decode()
    head, body = content.split("</head>", 1)
    for feed in feeds:
        assert re.search(
            rf'<link rel="alternate" type="application/(rss|atom)\+xml" title="[^"]+" href="{feed}">', head
        )
        assert f'href="{feed}"' in body, feed


# Sitemap


def sitemap_urls(client, url="/sitemap.xml"):
    root = ET.fromstring(get(client, url).content)
    return {
        node.find(f"{SITEMAP}loc").text: {
            "lastmod": getattr(node.find(f"{SITEMAP}lastmod"), "text", None),
            "image": getattr(node.find(f"{IMAGE}image/{IMAGE}loc"), "text", None),
        }
        for node in root.findall(f"{SITEMAP}url")
    }


def test_the_sitemap_lists_every_kind_of_page_with_its_last_change(client, blog):
    urls = sitemap_urls(client)
    for path in [
        "/",
        "/un-article/",
        "/sans-image/",
        "/a-propos/",
        "/category/ia/",
        "/tag/europe/",
        "/author/simone/",
    ]:
        assert f"http://{HOST}{path}" in urls, path
        assert urls[f"http://{HOST}{path}"]["lastmod"], path
    post = blog["post"]
    assert urls[f"http://{HOST}/category/ia/"]["lastmod"].startswith(post.updated_at.date().isoformat()[:4])


def test_the_sitemap_gives_the_featured_image_of_a_post(client, blog, settings, tmp_path):
    urls = sitemap_urls(client)
    assert urls[f"http://{HOST}/un-article/"]["image"] == "https://images.exemple.fr/une.jpg"
    assert urls[f"http://{HOST}/sans-image/"]["image"] is None


def test_empty_categories_and_tags_stay_out_of_the_sitemap(client, blog):
    CategoryFactory(slug="vide")
    TagFactory(slug="rien")
    urls = sitemap_urls(client)
    assert f"http://{HOST}/category/vide/" not in urls
    assert f"http://{HOST}/tag/rien/" not in urls


def test_past_the_limit_the_sitemap_is_an_index_of_section_files(client, blog, monkeypatch):
    monkeypatch.setattr(sitemaps, "SITEMAP_LIMIT", 1)
    root = ET.fromstring(get(client, "/sitemap.xml").content)
    assert root.tag == f"{SITEMAP}sitemapindex"
    locations = [node.find(f"{SITEMAP}loc").text for node in root.findall(f"{SITEMAP}sitemap")]
    assert f"http://{HOST}/sitemap-posts.xml" in locations
    assert f"http://{HOST}/sitemap-posts.xml?p=2" in locations  # two posts, one per file
    assert "example.com" not in "".join(locations)
    first, second = sitemap_urls(client, "/sitemap-posts.xml"), sitemap_urls(client, "/sitemap-posts.xml?p=2")
    assert len(first) == len(second) == 1 and first != second
    assert get(client, "/sitemap-inconnu.xml").status_code == 404


# Open Graph, Twitter, JSON-LD


PAGE_TYPES = [
    "/",
    "/un-article/",
    "/a-propos/",
    "/author/simone/",
    "/category/ia/",
    "/tag/europe/",
    "/search/?q=article",
]


@pytest.mark.parametrize("url", PAGE_TYPES)
def test_every_page_type_has_open_graph_and_twitter_cards_in_french(client, blog, url):
    content = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for name in ["og:title", "og:description", "og:type", "og:image", "og:site_name"]:
        assert meta(content, "property", name), name
    assert meta(content, "property", "og:locale") == "fr_FR"
    assert meta(content, "name", "twitter:card") in {"summary", "summary_large_image"}
    assert meta(content, "name", "twitter:image")
    assert meta(content, "property", "og:image").startswith("http://testserver/") or url == "/un-article/"


def test_a_post_is_shared_with_its_featured_image_and_others_with_the_sites(client, blog):
    post = client.get("/un-article/").content.decode()
    assert meta(post, "property", "og:image") == "https://images.exemple.fr/une.jpg"
    assert meta(post, "property", "og:image:alt") == "Une carte de l’Europe"
    assert meta(post, "name", "twitter:card") == "summary_large_image"
    plain = client.get("/sans-image/").content.decode()
    assert meta(plain, "property", "og:image") == "http://testserver/static/img/social-default.png"
    assert shipped("/static/img/social-default.png")


def test_the_search_page_is_not_indexed(client, blog):
    content = client.get("/search/?q=article").content.decode()
    assert '<meta name="robots" content="noindex">' in content
    assert 'rel="canonical"' not in content


def test_a_post_is_a_blogposting_with_image_publisher_logo_and_breadcrumbs(client, blog):
    posting, breadcrumbs = json_ld(client.get("/un-article/").content.decode())
    assert posting["@type"] == "BlogPosting"
    assert posting["image"] == "https://images.exemple.fr/une.jpg"
    assert posting["publisher"]["@type"] == "Organization"
    assert posting["publisher"]["logo"]["url"].startswith("http://testserver/static/")
    assert posting["inLanguage"] == "fr"
    assert breadcrumbs["@type"] == "BreadcrumbList"
    assert [item["item"] for item in breadcrumbs["itemListElement"]] == [
        "http://testserver/",
        "http://testserver/category/ia/",
        "http://testserver/un-article/",
    ]
    [no_image] = json_ld(client.get("/sans-image/").content.decode())[:1]
    assert no_image["image"] == "http://testserver/static/img/social-default.png"


def test_the_home_page_is_a_website_with_a_search_action(client, blog):
    [website] = json_ld(client.get("/").content.decode())
    assert website["@type"] == "WebSite"
    action = website["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://testserver/search/?q={search_term_string}"
    assert client.get("/search/?q=article").status_code == 200


def test_an_author_page_is_a_person(client, blog):
    [person] = json_ld(client.get("/author/simone/").content.decode())
    assert person["@type"] == "Person"
    assert (person["name"], person["jobTitle"]) == ("Simone", "Rédactrice principale")
    assert person["url"] == "http://testserver/author/simone/"
