"""Full-text search on PostgreSQL: accents ignored, French stems, ranked title > excerpt > body, indexed."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from blog.models import Post, Status
from blog.search import search

from .factories import AuthorFactory, PostFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"),
]


def found(api_client, words):
    response = api_client.get("/api/v1/posts/", {"search": words})
    assert response.status_code == 200
    return [post["slug"] for post in response.json()["results"]]


def test_search_ignores_accents(api_client):
    post = PostFactory(title="La compétition des géants")

    assert found(api_client, "competition") == [post.slug]
    assert found(api_client, "GEANTS") == [post.slug]


def test_search_matches_french_word_forms(api_client):
    post = PostFactory(title="Sans rapport", body="L’Europe prépare une régulation de l’IA.")

    assert found(api_client, "régulations") == [post.slug]
    assert found(api_client, "regulations") == [post.slug]


def test_search_ranks_title_above_excerpt_above_body(api_client):
    now = timezone.now()
    # Newest first would give the opposite order: only the ranking can put the title first.
    in_title = PostFactory(title="Mistral et la souveraineté", published_at=now - timedelta(days=3))
    in_excerpt = PostFactory(title="Un", excerpt="On parle de Mistral.", published_at=now - timedelta(days=2))
    in_body = PostFactory(
        title="Deux",
        body="Un premier paragraphe.\n\nQuelques mots sur Mistral.",
        published_at=now - timedelta(days=1),
    )
    PostFactory(title="Trois", body="Rien à voir.")

    assert found(api_client, "mistral") == [in_title.slug, in_excerpt.slug, in_body.slug]


def test_an_explicit_ordering_overrides_the_ranking(api_client):
    now = timezone.now()
    old = PostFactory(title="Mistral", published_at=now - timedelta(days=3))
    new = PostFactory(title="Autre", body="Mistral.", published_at=now - timedelta(days=1))

    response = api_client.get("/api/v1/posts/", {"search": "mistral", "ordering": "-published_at"})

    assert [post["slug"] for post in response.json()["results"]] == [new.slug, old.slug]


def test_search_syntax_never_errors(api_client):
    PostFactory(title="Mistral")

    for words in ['"mistral', "mistral -", "or or", "!!! & |", "a:b*"]:
        assert api_client.get("/api/v1/posts/", {"search": words}).status_code == 200


def test_the_search_query_is_served_by_the_gin_index():
    author = AuthorFactory()
    published_at = timezone.now() - timedelta(days=1)
    Post.objects.bulk_create(
        Post(
            title=f"Article {i}",
            slug=f"article-{i}",
            summary="Un résumé ordinaire.",
            body="Un texte banal sur le numérique. " * 5,
            author=author,
            status=Status.PUBLISHED,
            published_at=published_at,
        )
        for i in range(3000)
    )
    PostFactory(title="La compétition des géants")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE blog_post")

    plan = search(Post.objects.published(), "competition").explain()

    assert "blog_post_search_idx" in plan


def test_the_sites_search_page_uses_the_same_search(client):
    post = PostFactory(title="La compétition des géants")
    PostFactory(title="Autre chose")

    response = client.get("/search/", {"q": "competition"})

    assert response.status_code == 200
    assert [p.pk for p in response.context["page_obj"]] == [post.pk]


def test_the_stored_search_document_follows_every_kind_of_write(api_client):
    post = PostFactory(title="Un titre ordinaire", body="Rien à signaler.")
    Post.objects.filter(pk=post.pk).update(title="Souveraineté numérique")  # no save(), no signal
    [bulk] = Post.objects.bulk_create(
        [
            Post(
                title="Importé en masse",
                slug="importe-en-masse",
                body="La régulation des modèles.",
                author=post.author,
                status=Status.PUBLISHED,
                published_at=timezone.now() - timedelta(days=1),
            )
        ]
    )

    assert found(api_client, "souverainete") == [post.slug]
    assert found(api_client, "ordinaire") == []
    assert found(api_client, "regulations") == [bulk.slug]
