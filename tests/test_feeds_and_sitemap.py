import feedparser
import pytest
import time_machine
from django.contrib.sites.models import Site
from django.urls import reverse

from .factories import AuthorFactory, CategoryFactory, PostFactory

pytestmark = pytest.mark.django_db

HOST = "blog.exemple.fr"


@pytest.fixture(autouse=True)
def allowed_host(settings):
    settings.ALLOWED_HOSTS = [HOST, "testserver"]


def get(client, url):
    return client.get(url, HTTP_HOST=HOST)


def test_rss_feed_lists_published_posts_with_absolute_links_on_the_request_host(client):
    assert Site.objects.get_current().domain == "example.com"  # the row nobody edited
    post = PostFactory(title="Un article en flux", excerpt="Le résumé du flux.")
    response = get(client, reverse("blog:feed"))
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert feed.feed.link == f"http://{HOST}/"
    [entry] = feed.entries
    assert entry.title == "Un article en flux"
    assert entry.link == f"http://{HOST}{post.get_absolute_url()}"
    assert entry.summary == "Le résumé du flux."
    assert "example.com" not in response.content.decode()


def test_atom_feed_is_valid_atom_with_author_and_categories(client):
    category = CategoryFactory(name="Modèles")
    post = PostFactory(author=AuthorFactory(display_name="Simone"), categories=[category])
    response = get(client, reverse("blog:feed-atom"))
    feed = feedparser.parse(response.content)
    assert feed.version == "atom10"
    [entry] = feed.entries
    assert entry.author == "Simone"
    assert entry.link == f"http://{HOST}{post.get_absolute_url()}"
    assert [tag.term for tag in entry.tags] == ["Modèles"]


def test_category_feed_includes_posts_of_child_categories(client):
    parent = CategoryFactory(slug="ia")
    child = CategoryFactory(slug="llm", parent=parent)
    in_child = PostFactory(categories=[child])
    elsewhere = PostFactory(categories=[CategoryFactory()])
    feed = feedparser.parse(get(client, reverse("blog:category-feed", kwargs={"slug": "ia"})).content)
    links = [entry.link for entry in feed.entries]
    assert links == [f"http://{HOST}{in_child.get_absolute_url()}"]
    assert elsewhere.slug not in str(links)


def test_author_feed_lists_only_that_authors_posts(client):
    simone = AuthorFactory(slug="simone")
    hers = PostFactory(author=simone)
    PostFactory()
    feed = feedparser.parse(get(client, reverse("blog:author-feed", kwargs={"slug": "simone"})).content)
    assert [entry.link for entry in feed.entries] == [f"http://{HOST}{hers.get_absolute_url()}"]


def test_feeds_of_unknown_category_or_author_are_404(client):
    assert get(client, reverse("blog:category-feed", kwargs={"slug": "nope"})).status_code == 404
    assert get(client, reverse("blog:author-feed", kwargs={"slug": "nope"})).status_code == 404


def test_sitemap_lists_published_posts_and_pages_on_the_request_host(client):
    from .factories import PageFactory

    post = PostFactory()
    page = PageFactory(slug="a-propos")
    draft = PostFactory(draft=True)
    content = get(client, reverse("blog:sitemap")).content.decode()
    assert f"<loc>http://{HOST}{post.get_absolute_url()}</loc>" in content
    assert f"<loc>http://{HOST}/a-propos/</loc>" in content
    assert draft.slug not in content
    assert "example.com" not in content
    assert page.slug in content


def test_sitemap_uses_https_when_the_request_is_secure(client):
    post = PostFactory()
    content = client.get(reverse("blog:sitemap"), HTTP_HOST=HOST, secure=True).content.decode()
    assert f"<loc>https://{HOST}{post.get_absolute_url()}</loc>" in content


def test_a_scheduled_post_enters_the_feed_and_sitemap_at_its_time_without_any_job(client):
    post = PostFactory(scheduled=True)
    assert post.slug not in get(client, reverse("blog:feed")).content.decode()
    with time_machine.travel(post.published_at):
        assert post.slug in get(client, reverse("blog:feed")).content.decode()
        assert post.slug in get(client, reverse("blog:sitemap")).content.decode()


def test_robots_txt_points_to_the_sitemap_on_the_request_host(client):
    response = get(client, reverse("blog:robots"))
    assert response["Content-Type"].startswith("text/plain")
    assert f"Sitemap: http://{HOST}/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()
