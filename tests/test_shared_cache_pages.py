"""Anonymous public pages a shared cache may keep: no cookie, no Vary: Cookie, surrogate keys."""

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from comments.templatetags.comments_tags import PENDING_SESSION_KEY
from tests.comments_support import comment_data
from tests.factories import (
    CategoryFactory,
    PostFactory,
)
from tests.page_set import public_feeds, public_pages, small_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return small_site()


def public_urls(site):
    return [*public_pages(site), *public_feeds(site)]


def test_an_anonymous_read_of_every_public_page_sets_no_cookie_and_does_not_vary_on_cookies(client, site):
    for url in public_urls(site):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, (url, response.cookies)
        assert "Set-Cookie" not in response.headers, url
        vary = [field.strip().lower() for field in response.get("Vary", "").split(",")]
        assert "cookie" not in vary, (url, response["Vary"])


def test_public_pages_may_be_kept_by_shared_caches_for_the_configured_times(client, site, settings):
    settings.PLUME_CACHE_BROWSER_SECONDS = 5
    settings.PLUME_CACHE_SHARED_SECONDS = 600
    settings.PLUME_CACHE_STALE_WHILE_REVALIDATE = 20
    settings.PLUME_CACHE_STALE_IF_ERROR = 3600
    for url in public_urls(site):
        directives = {d.strip() for d in client.get(url)["Cache-Control"].split(",")}
        assert directives == {
            "public",
            "max-age=5",
            "s-maxage=600",
            "stale-while-revalidate=20",
            "stale-if-error=3600",
        }, url


def test_the_post_page_names_the_post_its_author_taxonomies_neighbours_and_comments(client, site):
    post, older = site["post"], site["older"]
    response = client.get(post.get_absolute_url())
    keys = set(response["xkey"].split())
    assert {
        f"post-{post.pk}",
        f"author-{post.author_id}",
        f"category-{site['category'].pk}",
        f"tag-{site['tag'].pk}",
        f"comments-{post.pk}",
        f"post-{post.pk}-page",
        f"post-{older.pk}",  # the "previous post" link
        "menu",
    } <= keys
    assert set(response["Surrogate-Key"].split()) == keys
    assert set(response["Cache-Tag"].split(",")) == keys


def test_listings_name_the_list_and_every_post_they_show(client, site):
    post, older, category, tag, author = (
        site[name] for name in ("post", "older", "category", "tag", "author")
    )
    child = CategoryFactory(parent=category)
    expected = {
        reverse("blog:home"): {"home"},
        category.get_absolute_url(): {
            f"category-{category.pk}",
            f"category-{category.pk}-posts",
            f"category-{child.pk}-posts",
        },
        site["tag"].get_absolute_url(): {f"tag-{site['tag'].pk}", f"tag-{site['tag'].pk}-posts"},
        site["author"].get_absolute_url(): {
            f"author-{site['author'].pk}",
            f"author-{site['author'].pk}-posts",
        },
        reverse("blog:search") + "?q=article": {"search"},
        reverse("blog:feed"): {"feed"},
    }
    for url, list_keys in expected.items():
        keys = set(client.get(url)["xkey"].split())
        assert list_keys | {f"post-{post.pk}", f"post-{older.pk}", f"author-{post.author_id}"} <= keys, url
    assert set(client.get(reverse("blog:sitemap"))["xkey"].split()) == {"sitemap", "site"}
    assert {"comments", f"post-{post.pk}"} <= set(client.get(reverse("comments:feed"))["xkey"].split())
    assert f"page-{site['page'].pk}" in client.get(site["page"].get_absolute_url())["xkey"].split()


def test_a_signed_in_reader_gets_their_own_uncached_page(client, site, reader):
    client.force_login(reader)
    response = client.get(site["post"].get_absolute_url())
    assert {d.strip() for d in response["Cache-Control"].split(",")} == {"private", "no-cache"}


def test_a_draft_preview_is_never_cached_anywhere(client, site, editor):
    draft = PostFactory(draft=True)
    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_the_comment_form_carries_no_csrf_token_and_sets_no_csrf_cookie(client, site):
    response = client.get(site["post"].get_absolute_url())
    assert b"csrfmiddlewaretoken" not in response.content
    assert b'id="commentform"' in response.content
    assert "csrftoken" not in response.cookies


def csrf_client():
    # As a browser: Django's test client skips CSRF checks unless asked.
    return Client(enforce_csrf_checks=True)


def test_a_comment_posted_from_another_site_is_refused(site):
    post = site["post"]
    url = reverse("comments:post", kwargs={"pk": post.pk})
    response = csrf_client().post(url, comment_data(post, parent=""), HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    response = csrf_client().post(
        url, comment_data(post, parent=""), HTTP_REFERER="https://evil.example/page"
    )
    assert response.status_code == 403
    response = csrf_client().post(url, comment_data(post, parent=""), HTTP_ORIGIN="null")
    assert response.status_code == 403
    assert not Comment.objects.filter(body=comment_data(post, parent="")["body"]).exists()


def test_a_report_posted_from_another_site_is_refused(site):
    comment = site["post"].comments.get()
    url = reverse("comments:report", kwargs={"pk": comment.pk})
    response = csrf_client().post(url, {"reason": "spam"}, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert not comment.reports.exists()


def test_a_comment_sent_from_the_page_without_javascript_is_received_and_shown_to_its_writer(site):
    post = site["post"]
    browser = csrf_client()
    page = browser.get(post.get_absolute_url())
    assert not page.cookies
    response = browser.post(
        reverse("comments:post", kwargs={"pk": post.pk}),
        comment_data(post, parent="", body="Mon avis, envoyé sans JavaScript."),
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 302
    comment = Comment.objects.get(body="Mon avis, envoyé sans JavaScript.")
    assert comment.status == Comment.Status.PENDING
    assert browser.session[PENDING_SESSION_KEY] == [comment.pk]
    # Their page is their own from now on: their pending comment, never a shared copy.
    again = browser.get(post.get_absolute_url())
    assert "Mon avis, envoyé sans JavaScript." in again.content.decode()
    assert {d.strip() for d in again["Cache-Control"].split(",")} == {"private", "no-cache"}
    assert "xkey" not in again
    # Everyone else still gets the public page, without it.
    other = Client().get(post.get_absolute_url())
    assert "Mon avis, envoyé sans JavaScript." not in other.content.decode()
    assert "public" in other["Cache-Control"]


def test_a_report_sent_from_the_page_is_received(site):
    comment = site["post"].comments.get()
    response = csrf_client().post(
        reverse("comments:report", kwargs={"pk": comment.pk}),
        {"reason": "hors sujet"},
        HTTP_REFERER=f"http://testserver{site['post'].get_absolute_url()}",
    )
    assert response.status_code == 302
    assert comment.reports.count() == 1


def test_a_reader_who_asked_to_be_remembered_gets_their_own_page(client, site):
    client.cookies["comment_author"] = "anything"
    response = client.get(site["post"].get_absolute_url())
    assert "private" in response["Cache-Control"]
