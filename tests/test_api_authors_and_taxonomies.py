"""Authors, categories and tags endpoints: fields, counts, ordering."""

import pytest

from .factories import AuthorFactory, CategoryFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_author_list_and_detail_show_the_public_profile_and_published_post_count(api_client):
    simone = AuthorFactory(
        display_name="Simone",
        role_title="Rédactrice principale",
        bio="Elle écrit sur l’**IA**.",
        website="https://simone.example.org",
        mastodon_url="https://mastodon.example/@simone",
    )
    PostFactory.create_batch(2, author=simone)
    PostFactory(author=simone, draft=True)
    AuthorFactory(display_name="Albert")

    listing = api_client.get("/api/v1/authors/").json()
    detail = api_client.get("/api/v1/authors/simone/").json()

    assert [author["name"] for author in listing["results"]] == ["Albert", "Simone"]
    assert set(detail) == {
        "slug", "name", "role_title", "avatar_url", "avatar_renditions", "url", "bio_html", "links",
        "post_count",
    }  # fmt: skip
    assert detail["bio_html"] == "<p>Elle écrit sur l’<strong>IA</strong>.</p>"
    assert detail["post_count"] == 2
    assert detail["url"] == "http://testserver/author/simone/"
    assert [link["kind"] for link in detail["links"]] == ["website", "mastodon"]


def test_authors_can_be_ordered_by_post_count(api_client):
    busy = AuthorFactory(display_name="Zoé")
    PostFactory.create_batch(2, author=busy)
    AuthorFactory(display_name="Anne")

    results = api_client.get("/api/v1/authors/", {"ordering": "-post_count"}).json()["results"]

    assert [author["slug"] for author in results] == [busy.slug, "anne"]


def test_author_responses_never_include_the_account_email(api_client):
    author = AuthorFactory()

    for url in ("/api/v1/authors/", f"/api/v1/authors/{author.slug}/"):
        assert author.user.email not in api_client.get(url).content.decode()


def test_unknown_author_is_404(api_client):
    assert api_client.get("/api/v1/authors/personne/").status_code == 404


def test_categories_list_their_parent_and_published_post_count(api_client):
    ia = CategoryFactory(name="IA", description="Tout sur l’IA.")
    llm = CategoryFactory(name="LLM", parent=ia)
    PostFactory(categories=[llm])
    PostFactory(categories=[llm], draft=True)

    results = api_client.get("/api/v1/categories/").json()["results"]

    assert results == [
        {
            "id": ia.pk, "slug": "ia", "name": "IA", "url": "http://testserver/category/ia/",
            "description": "Tout sur l’IA.", "parent": None, "post_count": 0,
        },
        {
            "id": llm.pk, "slug": "llm", "name": "LLM", "url": "http://testserver/category/llm/",
            "description": "", "parent": "ia", "post_count": 1,
        },
    ]  # fmt: skip


def test_categories_filter_by_parent_and_detail_by_slug(api_client):
    ia = CategoryFactory(name="IA")
    CategoryFactory(name="LLM", parent=ia)
    CategoryFactory(name="Robots")

    children = api_client.get("/api/v1/categories/", {"parent": "ia"}).json()["results"]

    assert [category["slug"] for category in children] == ["llm"]
    assert api_client.get("/api/v1/categories/llm/").json()["parent"] == "ia"


def test_tags_list_with_counts_and_ordering(api_client):
    popular, rare = TagFactory(name="Mistral"), TagFactory(name="Apache")
    PostFactory.create_batch(2, tags=[popular])
    PostFactory(tags=[rare])

    by_name = api_client.get("/api/v1/tags/").json()["results"]
    by_count = api_client.get("/api/v1/tags/", {"ordering": "-post_count"}).json()["results"]

    assert [(tag["slug"], tag["post_count"]) for tag in by_name] == [("apache", 1), ("mistral", 2)]
    assert set(by_name[0]) == {"id", "slug", "name", "url", "post_count"}
    assert [tag["slug"] for tag in by_count] == ["mistral", "apache"]
    assert api_client.get("/api/v1/tags/mistral/").json()["post_count"] == 2
