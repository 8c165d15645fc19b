"""Drafts and scheduled posts stay out of every public listing; editors can preview them."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from .factories import AuthorFactory, CategoryFactory, PageFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def blog():
    category, tag, author = (
        CategoryFactory(slug="ia"),
        TagFactory(slug="europe"),
        AuthorFactory(slug="simone"),
    )
    common = {"author": author, "categories": [category], "tags": [tag], "body": "Texte commun aux trois."}
    return {
        "published": PostFactory(title="Publié visible", **common),
        "draft": PostFactory(title="Brouillon caché", draft=True, **common),
        "scheduled": PostFactory(title="Programmé caché", scheduled=True, **common),
    }


LISTINGS = [
    reverse("blog:home"),
    reverse("blog:category", kwargs={"slug": "ia"}),
    reverse("blog:tag", kwargs={"slug": "europe"}),
    reverse("blog:author", kwargs={"slug": "simone"}),
    reverse("blog:search") + "?q=commun",
    reverse("blog:feed"),
    reverse("blog:feed-atom"),
    reverse("blog:category-feed", kwargs={"slug": "ia"}),
    reverse("blog:author-feed", kwargs={"slug": "simone"}),
    reverse("blog:sitemap"),
]


@pytest.mark.parametrize("url", LISTINGS)
def test_public_listings_show_only_published_posts(client, blog, url):
    content = client.get(url).content.decode()
    assert blog["published"].slug in content
    assert blog["draft"].slug not in content
    assert blog["scheduled"].slug not in content


@pytest.mark.parametrize("url", LISTINGS)
def test_a_scheduled_post_appears_everywhere_once_its_time_has_come(client, blog, url):
    with time_machine.travel(blog["scheduled"].published_at + timedelta(minutes=1)):
        content = client.get(url).content.decode()
    assert blog["scheduled"].slug in content
    assert blog["draft"].slug not in content


def test_anonymous_readers_get_404_for_drafts_and_scheduled_posts(client, blog):
    for post in (blog["draft"], blog["scheduled"]):
        assert client.get(post.get_absolute_url()).status_code == 404


def test_a_registered_reader_without_a_role_cannot_preview(client, blog, reader):
    client.force_login(reader)
    assert client.get(blog["draft"].get_absolute_url()).status_code == 404


def test_an_editor_previews_any_draft_with_never_cache_headers(client, blog, editor):
    client.force_login(editor)
    response = client.get(blog["draft"].get_absolute_url())
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert "noindex" in response.content.decode()


def test_the_author_previews_their_own_scheduled_post(client, contributor):
    post = PostFactory(author=contributor.author, scheduled=True)
    client.force_login(contributor)
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_a_contributor_cannot_preview_someone_elses_draft(client, blog, contributor):
    client.force_login(contributor)
    assert client.get(blog["draft"].get_absolute_url()).status_code == 404


def test_a_published_post_is_cacheable(client, blog):
    response = client.get(blog["published"].get_absolute_url())
    assert response.status_code == 200
    assert "no-cache" not in response.get("Cache-Control", "")


def test_previous_and_next_skip_drafts_and_scheduled_posts(client):
    author = AuthorFactory()
    now = timezone.now()
    older = PostFactory(author=author, title="Le plus ancien", published_at=now - timedelta(days=5))
    PostFactory(author=author, title="Brouillon intercalé", draft=True)
    current = PostFactory(author=author, published_at=now - timedelta(days=3))
    PostFactory(author=author, title="Programmé plus tard", scheduled=True)
    response = client.get(current.get_absolute_url())
    assert response.context["previous_post"] == older
    assert response.context["next_post"] is None


def test_an_unpublished_page_is_hidden_from_readers_and_its_menu(client, editor):
    page = PageFactory(title="Page en travaux", status="draft", published_at=None)
    assert client.get(page.get_absolute_url()).status_code == 404
    assert "Page en travaux" not in client.get(reverse("blog:home")).content.decode()
    client.force_login(editor)
    assert client.get(page.get_absolute_url()).status_code == 200
