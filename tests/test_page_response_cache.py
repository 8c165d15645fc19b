"""
One response cache for pages, feeds, sitemap and API (core/caching.py): an anonymous
repeated read runs no query, any change is seen at once, a reader with a private view
(signed in, a pending comment) is never served from it nor stored in it, and HTML and
feeds answer conditional GETs from the content's clock.
"""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from blog.models import Post
from comments.models import Comment
from comments.services.moderation import comment_moderate
from core.models import SiteSettings

from .comments_support import comment_data
from .factories import CommentFactory, PageFactory, PostFactory, TagFactory
from .page_set import public_feeds, public_pages, small_site

pytestmark = pytest.mark.django_db

PUBLIC = {"public", "max-age=0", "s-maxage=300", "stale-while-revalidate=30", "stale-if-error=86400"}
PRIVATE = {"private", "no-cache"}


@pytest.fixture
def site():
    return small_site()


def directives(response):
    return {d.strip() for d in response["Cache-Control"].split(",")}


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


# A repeated anonymous read -----------------------------------------------------------------


@pytest.mark.usefixtures("shared_cache")
def test_a_repeated_anonymous_read_of_any_page_or_feed_runs_no_query(
    client, site, django_assert_max_num_queries
):
    for url in [*public_pages(site), *public_feeds(site)]:
        first = client.get(url)
        assert first.status_code == 200, url
        with django_assert_max_num_queries(0):
            again = client.get(url)
        assert again.status_code == 200, url
        assert again.content == first.content, url
        assert again["Content-Type"] == first["Content-Type"], url
        assert again["ETag"] == first["ETag"], url
        # What the caches in front read is the same on the copy.
        assert again["xkey"] == first["xkey"], url
        assert directives(again) == directives(first) == PUBLIC, url
        assert not again.cookies, url


@pytest.mark.usefixtures("shared_cache")
def test_parameters_a_page_does_not_read_are_served_from_the_cache_and_those_it_reads_are_not(
    client, site, django_assert_max_num_queries, settings
):
    settings.PLUME_POSTS_PER_PAGE = 1
    home = client.get("/")
    with django_assert_max_num_queries(0):
        tracked = client.get("/", {"utm_source": "lettre", "x": uuid.uuid4().hex})
    assert tracked.content == home.content

    second = client.get("/", {"page": 2})
    assert "Un article plus ancien" in second.content.decode()
    assert "Un article plus ancien" not in home.content.decode()
    found = client.get("/search/", {"q": "ancien"})
    assert "Un article plus ancien" in found.content.decode()
    assert "Le dernier article" not in found.content.decode()


def test_with_each_process_its_own_cache_a_repeated_read_asks_the_database_only_the_contents_version(
    client, site, django_assert_num_queries
):
    # The tests' default cache is local memory, as each gunicorn worker has by default.
    url = site["post"].get_absolute_url()
    client.get(url)
    with django_assert_num_queries(1):  # the ContentClock row (and the next scheduled dates)
        assert client.get(url).status_code == 200


def worker(name):
    """One gunicorn worker's own local-memory cache, as the default settings give each process."""
    backend = "django.core.cache.backends.locmem.LocMemCache"
    return override_settings(CACHES={"default": {"BACKEND": backend, "LOCATION": f"{name}-{uuid.uuid4()}"}})


@pytest.mark.django_db(transaction=True)
def test_a_process_never_serves_its_own_copy_after_another_process_changed_the_content(client, site):
    post = site["post"]
    worker_a, worker_b = worker("a"), worker("b")
    with worker_b:
        assert "Le dernier article" in client.get("/").content.decode()
    with worker_a:
        post.title = "Titre corrigé ailleurs"
        post.save()
    with worker_b:
        # As Varnish fetches a purged page again: a plain read, not a revalidation.
        assert "Titre corrigé ailleurs" in client.get("/").content.decode()


# Invalidation ---------------------------------------------------------------------------------


def edit_post(site, editor):
    post = Post.objects.get(pk=site["post"].pk)
    post.title = "Un titre corrigé"
    post.save()
    return "Un titre corrigé"


def rename_category(site, editor):
    site["category"].name = "Rubrique renommée"
    site["category"].save()
    return "Rubrique renommée"


def new_menu_page(site, editor):
    PageFactory(title="Nous écrire", show_in_menu=True)
    return "Nous écrire"


def rename_site(site, editor):
    settings = SiteSettings.objects.current()
    settings.site_name = "Le Carnet de Zoé"
    settings.save()
    return "Le Carnet de Zoé"


def approve_comment(site, editor):
    comment = CommentFactory(post=site["post"], status=Comment.Status.PENDING, body="Enfin approuvé.")
    comment_moderate(comment=comment, action="approve", by=editor)
    return "Enfin approuvé."


def tag_a_post(site, editor):
    site["older"].tags.add(TagFactory(name="Étiquette ajoutée"))
    return "Étiquette ajoutée"


@pytest.mark.usefixtures("shared_cache")
@pytest.mark.parametrize(
    "change, where",
    [
        (edit_post, lambda site: "/"),
        (edit_post, lambda site: reverse("blog:feed")),
        (rename_category, lambda site: site["post"].get_absolute_url()),
        (new_menu_page, lambda site: site["category"].get_absolute_url()),
        (rename_site, lambda site: "/"),
        (rename_site, lambda site: reverse("blog:feed")),
        (approve_comment, lambda site: site["post"].get_absolute_url()),
        (approve_comment, lambda site: reverse("comments:feed")),
        (tag_a_post, lambda site: site["older"].get_absolute_url()),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_a_change_is_seen_on_the_next_read_of_a_cached_page(client, site, editor, change, where):
    url = where(site)
    client.get(url)

    text = change(site, editor)

    assert text in client.get(url).content.decode(), url


@pytest.mark.usefixtures("shared_cache")
def test_a_comment_held_for_moderation_keeps_the_cached_pages(client, site, django_assert_max_num_queries):
    url = site["post"].get_absolute_url()
    client.get(url)
    CommentFactory(post=site["post"], status=Comment.Status.PENDING)
    with django_assert_max_num_queries(0):
        client.get(url)


@pytest.mark.usefixtures("shared_cache")
def test_a_scheduled_post_appears_on_the_cached_home_page_when_its_time_comes(client, site):
    scheduled = PostFactory(scheduled=True, title="Publié plus tard")
    assert "Publié plus tard" not in client.get("/").content.decode()

    with time_machine.travel(scheduled.published_at + timedelta(seconds=1), tick=False):
        assert "Publié plus tard" in client.get("/").content.decode()
        assert "Publié plus tard" in client.get(reverse("blog:feed")).content.decode()


# Readers with a view of their own ---------------------------------------------------------------


@pytest.mark.usefixtures("shared_cache")
def test_a_signed_in_reader_is_never_served_the_shared_copy_nor_stored_in_it(
    client, site, reader, django_assert_max_num_queries
):
    url = site["post"].get_absolute_url()
    client.get(url)  # the anonymous copy, cached

    own = signed_in(reader).get(url)

    assert "Connecté en tant que" in own.content.decode()
    assert directives(own) == PRIVATE
    assert "Last-Modified" not in own
    # And the anonymous copy is still the anonymous one, from the cache.
    with django_assert_max_num_queries(0):
        anonymous = client.get(url)
    assert "Connecté en tant que" not in anonymous.content.decode()


@pytest.mark.usefixtures("shared_cache")
def test_a_signed_in_readers_page_is_not_kept_for_anyone(site, reader, django_assert_max_num_queries):
    url = reverse("blog:home")
    signed_in(reader).get(url)
    with django_assert_max_num_queries(50) as context:
        first_anonymous = Client().get(url)
    assert len(context.captured_queries) > 0  # rendered: nothing was stored for it
    assert directives(first_anonymous) == PUBLIC


@pytest.mark.usefixtures("shared_cache")
def test_a_reader_with_a_pending_comment_sees_it_and_nobody_else_is_served_it(client, site, settings):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    post = site["post"]
    url = post.get_absolute_url()
    client.get(url)  # cached for everyone

    writer = Client()
    data = comment_data(post, parent="", body="Mon avis, en attente.")
    assert writer.post(reverse("comments:post", kwargs={"pk": post.pk}), data).status_code == 302
    assert Comment.objects.get(body="Mon avis, en attente.").status == Comment.Status.PENDING

    theirs = writer.get(url)
    assert "Mon avis, en attente." in theirs.content.decode()
    assert directives(theirs) == PRIVATE
    everyone = Client().get(url)
    assert "Mon avis, en attente." not in everyone.content.decode()
    assert directives(everyone) == PUBLIC


@pytest.mark.usefixtures("shared_cache")
def test_a_remembered_commenter_gets_a_private_uncached_page(site, django_assert_max_num_queries):
    url = site["post"].get_absolute_url()
    Client().get(url)
    remembered = Client()
    remembered.cookies["comment_author"] = "anything"
    with django_assert_max_num_queries(50) as context:
        response = remembered.get(url)
    assert len(context.captured_queries) > 0
    assert directives(response) == PRIVATE


# Conditional GETs ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("shared_cache")
def test_html_pages_and_feeds_answer_if_none_match_with_304(client, site):
    for url in [*public_pages(site), *public_feeds(site)]:
        first = client.get(url)
        assert first["ETag"].startswith('"'), url
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304, url
        assert again.content == b"", url
        assert again["ETag"] == first["ETag"], url
        # A shared cache revalidating its copy hears that it may keep it.
        assert directives(again) == PUBLIC, url
        assert client.get(url, HTTP_IF_NONE_MATCH='"another"').status_code == 200, url


def test_html_and_feeds_carry_the_content_clocks_last_modified_and_answer_if_modified_since(client, site):
    changed = timezone.now().replace(microsecond=0) + timedelta(seconds=5)
    with time_machine.travel(changed, tick=False):
        post = Post.objects.get(pk=site["post"].pk)
        post.save()
    for url in ["/", site["post"].get_absolute_url(), reverse("blog:feed"), reverse("comments:feed")]:
        with time_machine.travel(changed + timedelta(minutes=5), tick=False):
            response = client.get(url)
            assert response["Last-Modified"] == http_date(changed.timestamp()), url
            since = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
            assert since.status_code == 304, url


def test_a_change_ends_the_304s(client, site):
    for later, url in enumerate(["/", reverse("blog:feed-atom")], start=1):
        first = client.get(url)
        # Later than the last change by more than HTTP dates' one second.
        with time_machine.travel(timezone.now() + timedelta(seconds=5 * later), tick=False):
            PostFactory(title="Tout nouveau")
            by_etag = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
            by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert by_etag.status_code == by_date.status_code == 200, url
        assert "Tout nouveau" in by_etag.content.decode()


def test_a_signed_in_readers_own_page_answers_its_etag_only(site, reader):
    me = signed_in(reader)
    url = site["category"].get_absolute_url()  # no comment form: its token differs every time
    first = me.get(url)
    assert "Last-Modified" not in first  # their page changes without the content's clock
    assert me.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_draft_preview_stays_uncacheable_and_unstored(site, editor, django_assert_max_num_queries):
    draft = PostFactory(draft=True, title="Brouillon secret")
    response = signed_in(editor).get(draft.get_absolute_url())
    assert "no-store" in response["Cache-Control"]
    assert Client().get(draft.get_absolute_url()).status_code == 404


def test_with_nothing_kept_answers_are_still_public_and_validated(client, api_client, site, settings):
    settings.PLUME_RESPONSE_CACHE_SECONDS = 0
    page = client.get("/")
    api = api_client.get("/api/v1/posts/")
    assert directives(page) == PUBLIC
    assert "public" in api["Cache-Control"]
    assert client.get("/", HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 304
