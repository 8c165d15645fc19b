from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from blog.models import Post, Status

from .factories import AuthorFactory, PageFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_slug_is_made_from_the_title_with_accents_folded():
    post = PostFactory(title="L’émergence des modèles européens")
    assert post.slug == "lemergence-des-modeles-europeens"


def test_slug_keeps_non_latin_scripts_readable():
    post = PostFactory(title="Ελληνικά νέα")
    assert post.slug == "ελληνικά-νέα"


def test_two_posts_with_the_same_title_get_distinct_slugs():
    first = PostFactory(title="Mistral et les autres")
    second = PostFactory(title="Mistral et les autres")
    assert first.slug == "mistral-et-les-autres"
    assert second.slug == "mistral-et-les-autres-2"


def test_slug_made_from_a_title_never_takes_a_reserved_address():
    post = PostFactory(title="Search")
    assert post.slug == "search-2"


@pytest.mark.parametrize("slug", ["admin", "feed", "category", "sitemap.xml", "api", "Search"])
def test_a_reserved_slug_typed_by_hand_is_refused(slug):
    post = PostFactory.build(slug=slug, author=AuthorFactory())
    with pytest.raises(ValidationError) as error:
        post.full_clean()
    assert "slug" in error.value.message_dict


def test_a_page_cannot_take_a_reserved_slug_either():
    page = PageFactory.build(slug="tag")
    with pytest.raises(ValidationError):
        page.full_clean()


def test_a_duplicate_slug_is_refused_by_validation():
    PostFactory(slug="deja-pris")
    post = PostFactory.build(slug="deja-pris", author=AuthorFactory())
    with pytest.raises(ValidationError) as error:
        post.full_clean()
    assert "slug" in error.value.message_dict


def test_publishing_without_a_date_publishes_now():
    post = PostFactory(status=Status.PUBLISHED, published_at=None)
    assert post.published_at is not None
    assert post.published_at <= timezone.now()
    assert post.is_public


def test_a_future_date_makes_the_post_scheduled_not_public():
    post = PostFactory(published_at=timezone.now() + timedelta(hours=2))
    assert post.is_scheduled
    assert not post.is_public
    assert post not in Post.objects.published()


def test_summary_comes_from_the_first_paragraph_when_the_excerpt_is_blank():
    post = PostFactory(excerpt="", body="## Titre\n\nPremier *paragraphe* ici.\n\nSecond paragraphe.")
    assert post.summary == "Premier paragraphe ici."


def test_an_excerpt_written_by_hand_wins_over_the_first_paragraph():
    post = PostFactory(excerpt="Mon résumé.", body="Premier paragraphe.")
    assert post.summary == "Mon résumé."


def test_body_is_rendered_and_measured_at_save():
    post = PostFactory(body="## Un\n\n" + "mot " * 460)
    assert '<h2 id="un">Un</h2>' in post.body_html
    assert post.word_count == 461
    assert post.reading_time == 3
    assert post.toc == [{"id": "un", "title": "Un", "level": 2, "children": []}]
