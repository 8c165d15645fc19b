"""?fields= keeps only the fields asked for, ?expand= embeds related objects whole, on every read."""

import pytest
from django.core.cache import cache

from .factories import AuthorFactory, CategoryFactory, PageFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    parent = CategoryFactory(slug="parent")
    author = AuthorFactory(display_name="Ada", bio="Writes **code**.", website="https://ada.example")
    return PostFactory(
        slug="hello",
        author=author,
        categories=[CategoryFactory(slug="child", parent=parent, description="About things")],
        tags=[TagFactory(slug="t1")],
    )


def test_fields_keeps_only_the_named_fields_with_dotted_paths_into_nested_objects(api_client, post):
    answer = api_client.get("/api/v1/posts/", {"fields": "slug,title,author.name"}).json()
    assert answer["count"] == 1  # the pagination envelope stays
    assert answer["results"] == [{"slug": "hello", "title": post.title, "author": {"name": "Ada"}}]

    detail = api_client.get("/api/v1/posts/hello/", {"fields": "slug,categories.slug,body_html"}).json()
    assert set(detail) == {"slug", "categories", "body_html"}
    assert detail["categories"] == [{"slug": "child"}]


def test_a_whole_object_asked_for_stays_whole(api_client, post):
    answer = api_client.get("/api/v1/posts/hello/", {"fields": "author,author.name"}).json()
    assert set(answer) == {"author"}
    assert {"slug", "name", "url", "avatar_url"} <= set(answer["author"])


@pytest.mark.parametrize(
    ("url", "params", "unknown"),
    [
        ("/api/v1/posts/", {"fields": "slug,nope"}, "nope"),
        ("/api/v1/posts/hello/", {"fields": "author.nope"}, "author.nope"),
        ("/api/v1/posts/", {"fields": "title.rendered"}, "title.rendered"),
        ("/api/v1/tags/", {"fields": "post_count,colour"}, "colour"),
        ("/api/v1/authors/", {"fields": "email"}, "email"),
    ],
)
def test_an_unknown_field_is_a_400_naming_it_and_what_is_available(api_client, post, url, params, unknown):
    response = api_client.get(url, params)
    assert response.status_code == 400
    message = response.json()["errors"]["fields"][0]
    assert unknown in message
    assert "Available" in message or "Disponibles" in message


def test_an_unknown_expansion_is_a_400(api_client, post):
    response = api_client.get("/api/v1/posts/", {"expand": "author,comments"})
    assert response.status_code == 400
    assert "comments" in response.json()["errors"]["expand"][0]
    assert api_client.get("/api/v1/tags/", {"expand": "posts"}).status_code == 400


def test_by_default_related_objects_are_summaries(api_client, post):
    answer = api_client.get("/api/v1/posts/hello/").json()
    assert set(answer["author"]) == {"slug", "name", "role_title", "avatar_url", "avatar_renditions", "url"}
    assert set(answer["categories"][0]) == {"id", "slug", "name", "url"}


def test_expand_embeds_author_categories_and_tags_as_their_endpoints_give_them(api_client, post):
    for url in ("/api/v1/posts/", "/api/v1/posts/hello/"):
        answer = api_client.get(url, {"expand": "author,categories,tags"}).json()
        item = answer["results"][0] if "results" in answer else answer
        assert "<strong>code</strong>" in item["author"]["bio_html"]
        assert item["author"]["links"][0]["url"] == "https://ada.example"
        category = api_client.get("/api/v1/categories/child/").json()
        assert item["categories"] == [category]
        assert item["categories"][0]["parent"] == "parent"
        assert item["tags"] == [api_client.get("/api/v1/tags/t1/").json()]


def test_expand_and_fields_combine(api_client, post):
    answer = api_client.get("/api/v1/posts/", {"expand": "author", "fields": "slug,author.bio_html"}).json()
    assert answer["results"][0]["author"].keys() == {"bio_html"}
    # Without the expansion the summary has no biography.
    assert api_client.get("/api/v1/posts/", {"fields": "author.bio_html"}).status_code == 400


def test_pages_expand_their_author(api_client):
    PageFactory(slug="about", author=AuthorFactory(bio="Hi"))
    answer = api_client.get("/api/v1/pages/about/", {"expand": "author", "fields": "slug,author.bio_html"})
    assert answer.json()["author"]["bio_html"].strip()


def test_the_response_cache_keys_on_fields_and_expand(api_client, post):
    cache.clear()
    plain = api_client.get("/api/v1/posts/hello/").json()
    assert set(api_client.get("/api/v1/posts/hello/", {"fields": "slug"}).json()) == {"slug"}
    assert "bio_html" in api_client.get("/api/v1/posts/hello/", {"expand": "author"}).json()["author"]
    assert api_client.get("/api/v1/posts/hello/").json() == plain


def _list(client, **params):
    cache.clear()
    response = client.get("/api/v1/posts/", {"page_size": 100, **params})
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    "params",
    [{"expand": "author,categories,tags"}, {"fields": "slug,author.name,tags.slug"}],
    ids=["expand", "fields"],
)
def test_queries_stay_constant_with_fields_and_expand(api_client, django_assert_max_num_queries, params):
    for _ in range(30):
        PostFactory(
            author=AuthorFactory(),
            categories=[CategoryFactory(parent=CategoryFactory())],
            tags=TagFactory.create_batch(2),
        )
    with django_assert_max_num_queries(8):
        _list(api_client, **params)
    post = PostFactory(categories=CategoryFactory.create_batch(5), tags=TagFactory.create_batch(5))
    with django_assert_max_num_queries(10):
        cache.clear()
        assert api_client.get(f"/api/v1/posts/{post.slug}/", params).status_code == 200


def test_the_schema_documents_both_parameters_on_every_read(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/v1/posts/", "/api/v1/posts/{slug}/", "/api/v1/tags/", "/api/v1/pages/{slug}/"):
        names = {parameter["name"] for parameter in schema["paths"][path]["get"]["parameters"]}
        assert "fields" in names, path
    posts = {p["name"]: p for p in schema["paths"]["/api/v1/posts/"]["get"]["parameters"]}
    assert "author.name" in posts["fields"]["description"]
    assert "categories" in posts["expand"]["description"]


def test_a_serializers_fields_are_built_once_and_each_answer_shapes_its_own_copy(api_client, post, settings):
    from unittest import mock

    from rest_framework import serializers

    from blog.api.serializers import PostDetailSerializer

    settings.PLUME_RESPONSE_CACHE_SECONDS = 0  # every answer rendered, none from the cache
    full = api_client.get("/api/v1/posts/hello/").json()
    api_client.get("/api/v1/posts/hello/", {"expand": "author"})  # every class used once
    build = serializers.ModelSerializer.get_fields
    spy = mock.patch.object(serializers.ModelSerializer, "get_fields", autospec=True, side_effect=build)
    with spy as built:
        assert set(api_client.get("/api/v1/posts/hello/", {"fields": "slug"}).json()) == {"slug"}
        expanded = api_client.get("/api/v1/posts/hello/", {"expand": "author"}).json()
        again = api_client.get("/api/v1/posts/hello/").json()
    # Built when each class was first used, not for each answer.
    assert built.call_count == 0
    assert "bio_html" in expanded["author"] and "bio_html" not in again["author"]
    assert again == full
    first, second = PostDetailSerializer(post).fields, PostDetailSerializer(post).fields
    assert first["author"] is not second["author"] and first["author"].parent is not second["author"].parent
