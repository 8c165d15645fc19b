"""The posts endpoints: the contract a frontend relies on (fields, filters, pagination, ordering)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from authors.models import Author
from blog.models import Post, Status

from .factories import AuthorFactory, CategoryFactory, CommentFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db

LIST_FIELDS = {
    "id", "slug", "title", "status", "excerpt", "url", "published_at", "updated_at", "reading_time",
    "sticky", "author", "categories", "tags", "featured_image", "comment_count",
}  # fmt: skip
DETAIL_FIELDS = LIST_FIELDS | {
    "body_html", "toc", "word_count", "allow_comments", "seo_title", "meta_description",
    "canonical_url", "previous", "next", "review_note",
}  # fmt: skip


def slugs(response):
    assert response.status_code == 200, response.content
    return [post["slug"] for post in response.json()["results"]]


def test_post_list_shows_published_posts_with_the_documented_fields(api_client):
    category, tag = CategoryFactory(name="Intelligence artificielle"), TagFactory(name="Mistral")
    post = PostFactory(
        title="Mistral 3",
        excerpt="Le résumé.",
        categories=[category],
        tags=[tag],
        featured_image_url="https://cdn.example.org/mistral.jpg",
        featured_image_alt="Un mistral",
    )
    CommentFactory.create_batch(2, post=post)
    CommentFactory(post=post, status="pending")
    PostFactory(draft=True)
    PostFactory(scheduled=True)

    response = api_client.get("/api/v1/posts/")

    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    item = body["results"][0]
    assert set(item) == LIST_FIELDS
    assert item["slug"] == "mistral-3"
    assert item["excerpt"] == "Le résumé."
    assert item["url"] == "http://testserver/mistral-3/"
    assert item["author"] == {
        "slug": post.author.slug,
        "name": post.author.display_name,
        "role_title": "Rédactrice",
        "avatar_url": None,
        "avatar_renditions": [],
        "url": f"http://testserver/author/{post.author.slug}/",
    }
    assert [c["slug"] for c in item["categories"]] == [category.slug]
    assert [t["name"] for t in item["tags"]] == ["Mistral"]
    # An image hosted elsewhere: its address and alt text, no size known, no renditions.
    assert item["featured_image"] == {
        "url": "https://cdn.example.org/mistral.jpg",
        "alt": "Un mistral",
        "media": None,
        "width": None,
        "height": None,
        "renditions": [],
    }
    assert item["comment_count"] == 2


def test_post_detail_carries_the_rendered_body_toc_seo_and_neighbours(api_client):
    older = PostFactory(published_at=timezone.now() - timedelta(days=3))
    post = PostFactory(seo_title="Titre SEO", meta_description="Description.")
    newer = PostFactory(published_at=timezone.now() - timedelta(hours=1))

    response = api_client.get(f"/api/v1/posts/{post.slug}/")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == DETAIL_FIELDS
    assert '<h2 id="premiere-partie">Première partie</h2>' in body["body_html"]
    assert [entry["id"] for entry in body["toc"]] == ["premiere-partie", "seconde-partie"]
    assert body["seo_title"] == "Titre SEO"
    assert body["previous"]["slug"] == older.slug
    assert body["next"] == {
        "slug": newer.slug,
        "title": newer.title,
        "url": f"http://testserver/{newer.slug}/",
    }


def test_post_detail_finds_unicode_slugs(api_client):
    post = PostFactory(slug="été-2026")

    assert api_client.get(f"/api/v1/posts/{post.slug}/").json()["id"] == post.pk


def test_unknown_post_is_a_json_404(api_client):
    response = api_client.get("/api/v1/posts/nothing-here/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_filter_by_author_slug(api_client):
    simone = AuthorFactory(display_name="Simone")
    mine = PostFactory(author=simone)
    PostFactory()

    assert slugs(api_client.get("/api/v1/posts/", {"author": "simone"})) == [mine.slug]


def test_filter_by_category_includes_its_descendants(api_client):
    ia = CategoryFactory(name="IA")
    llm = CategoryFactory(name="LLM", parent=ia)
    open_models = CategoryFactory(name="Modèles ouverts", parent=llm)
    in_parent = PostFactory(categories=[ia], published_at=timezone.now() - timedelta(days=3))
    in_grandchild = PostFactory(
        categories=[open_models, llm], published_at=timezone.now() - timedelta(days=2)
    )
    PostFactory(categories=[CategoryFactory(name="Autre")])

    assert slugs(api_client.get("/api/v1/posts/", {"category": "ia"})) == [in_grandchild.slug, in_parent.slug]
    assert slugs(api_client.get("/api/v1/posts/", {"category": "llm"})) == [in_grandchild.slug]
    assert slugs(api_client.get("/api/v1/posts/", {"category": "unknown"})) == []


def test_category_filter_does_not_repeat_posts_or_inflate_comment_counts(api_client):
    ia = CategoryFactory(name="IA")
    post = PostFactory(categories=[ia, CategoryFactory(parent=ia), CategoryFactory(parent=ia)])
    CommentFactory.create_batch(2, post=post)

    results = api_client.get("/api/v1/posts/", {"category": "ia"}).json()["results"]

    assert [(item["slug"], item["comment_count"]) for item in results] == [(post.slug, 2)]


def test_filter_by_tag_slug(api_client):
    tag = TagFactory(name="Régulation")
    tagged = PostFactory(tags=[tag, TagFactory()])
    PostFactory(tags=[TagFactory()])

    assert slugs(api_client.get("/api/v1/posts/", {"tag": "regulation"})) == [tagged.slug]


def test_filter_by_publication_dates(api_client):
    now = timezone.now()
    old = PostFactory(published_at=now - timedelta(days=30))
    recent = PostFactory(published_at=now - timedelta(days=2))

    after = (now - timedelta(days=10)).isoformat()
    before = (now - timedelta(days=10)).isoformat()
    assert slugs(api_client.get("/api/v1/posts/", {"published_after": after})) == [recent.slug]
    assert slugs(api_client.get("/api/v1/posts/", {"published_before": before})) == [old.slug]


def test_a_malformed_date_filter_is_a_400_naming_the_parameter(api_client):
    response = api_client.get("/api/v1/posts/", {"published_after": "yesterday"})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == ["published_after"]


def test_search_finds_posts_by_title_and_body(api_client):
    in_title = PostFactory(title="La régulation européenne")
    in_body = PostFactory(title="Autre chose", body="Un mot sur la régulation européenne.")
    PostFactory(title="Sans rapport", body="Rien à voir.")

    found = slugs(api_client.get("/api/v1/posts/", {"search": "régulation européenne"}))

    assert found == [in_title.slug, in_body.slug]


def test_search_never_shows_drafts(api_client):
    PostFactory(draft=True, title="Brouillon sur la régulation")

    assert slugs(api_client.get("/api/v1/posts/", {"search": "régulation"})) == []


def test_pagination_pages_with_count_next_and_previous(api_client):
    for days in range(5):
        PostFactory(published_at=timezone.now() - timedelta(days=days + 1))

    first = api_client.get("/api/v1/posts/", {"page_size": 2}).json()
    second = api_client.get("/api/v1/posts/", {"page_size": 2, "page": 2}).json()

    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/posts/?page=2&page_size=2"
    assert second["previous"] is not None
    assert {p["slug"] for p in first["results"]}.isdisjoint({p["slug"] for p in second["results"]})


def test_page_size_is_capped_at_100(api_client):
    author = AuthorFactory()
    published_at = timezone.now() - timedelta(days=1)
    Post.objects.bulk_create(
        Post(
            title=f"Post {i}",
            slug=f"post-{i}",
            author=author,
            status=Status.PUBLISHED,
            published_at=published_at,
        )
        for i in range(101)
    )

    body = api_client.get("/api/v1/posts/", {"page_size": 500}).json()

    assert body["count"] == 101
    assert len(body["results"]) == 100


@pytest.mark.parametrize("size", ["zero", "0", "-1", "null"])
def test_a_malformed_page_size_is_a_400(api_client, size):
    response = api_client.get("/api/v1/posts/", {"page_size": size})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page_size"]


def test_a_page_past_the_end_is_a_json_404(api_client):
    PostFactory()

    response = api_client.get("/api/v1/posts/", {"page": 9})

    assert response.status_code == 404
    assert set(response.json()) == {"status", "code", "detail", "errors"}


def test_posts_are_newest_first_by_default_and_can_be_ordered(api_client):
    now = timezone.now()
    b = PostFactory(title="B", published_at=now - timedelta(days=3))
    a = PostFactory(title="A", published_at=now - timedelta(days=2))
    c = PostFactory(title="C", published_at=now - timedelta(days=1))
    CommentFactory.create_batch(3, post=b)
    CommentFactory(post=a)

    assert slugs(api_client.get("/api/v1/posts/")) == [c.slug, a.slug, b.slug]
    assert slugs(api_client.get("/api/v1/posts/", {"ordering": "title"})) == [a.slug, b.slug, c.slug]
    assert slugs(api_client.get("/api/v1/posts/", {"ordering": "published_at"})) == [b.slug, a.slug, c.slug]
    assert slugs(api_client.get("/api/v1/posts/", {"ordering": "-comment_count"})) == [b.slug, a.slug, c.slug]


def test_no_author_email_in_post_responses(api_client):
    post = PostFactory()
    CommentFactory(post=post, author_email="secret-reader@example.net", ip_address="192.0.2.0")
    email = Author.objects.get().user.email

    for url in ("/api/v1/posts/", f"/api/v1/posts/{post.slug}/"):
        content = api_client.get(url).content.decode()
        assert email not in content
        assert "secret-reader@example.net" not in content
        assert "192.0.2.0" not in content
