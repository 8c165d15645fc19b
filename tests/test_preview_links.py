"""
Preview links: whoever may edit a draft (a post awaiting review, a scheduled post,
a page) makes a link that shows it, as readers will see it, to someone without an
account, until it expires or is revoked. The answer is never indexed, never kept
by a shared cache, never named by a surrogate key, and the draft stays out of
feeds, the sitemap, search and listings. The API takes the same token
(`?preview=` or `X-Plume-Preview`); PLUME_PREVIEW_URL sends the admin's links to a
separate frontend.
"""

import io
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from authors import roles
from blog.models import Status
from blog.permissions import can_share_preview
from blog.previews import PreviewLink, token_hash
from blog.services import post_create, preview_link_create, preview_link_revoke

from .factories import AuthorFactory, PageFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Le brouillon dit: zanzibar"


@pytest.fixture
def draft(author_user):
    return post_create(by=author_user, title="Brouillon secret", body=f"## Une section\n\n{SECRET}.")


def preview_path(token):
    return reverse("blog:preview", kwargs={"token": token})


def assert_private_and_unindexed(response):
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= control
    assert "public" not in control and not any(part.startswith("s-maxage") for part in control)
    assert "noindex" in response["X-Robots-Tag"]
    for header in ("xkey", "Surrogate-Key", "Cache-Tag"):
        assert header not in response, header


# The page a stranger sees


def test_a_stranger_reads_the_draft_through_the_link_as_readers_will_see_it(client, draft, author_user):
    link, token = preview_link_create(target=draft, by=author_user)

    response = client.get(preview_path(token))

    assert response.status_code == 200
    html = response.content.decode()
    assert SECRET in html
    assert '<h1 class="post__title">Brouillon secret</h1>' in html
    assert 'id="une-section"' in html  # the post template, its table of contents and all
    assert '<meta name="robots" content="noindex">' in html
    assert_private_and_unindexed(response)
    assert response["Referrer-Policy"] == "no-referrer"
    # The link, not an account: the draft's own address stays closed to the stranger.
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert link.created_by == author_user
    assert link.expires_at - link.created_at == timedelta(days=7)


def test_the_token_is_not_stored_only_its_keyed_hash(draft, author_user):
    link, token = preview_link_create(target=draft, by=author_user)

    assert token not in str(PreviewLink.objects.filter(pk=link.pk).values().get())
    assert link.token_hash == token_hash(token) != token
    assert len(token) >= 40


def test_the_default_lifetime_is_a_setting(settings, draft, author_user):
    settings.PLUME_PREVIEW_DAYS = 2
    link, _token = preview_link_create(target=draft, by=author_user)

    assert link.expires_at - link.created_at == timedelta(days=2)
    with pytest.raises(ValidationError):
        preview_link_create(target=draft, by=author_user, days=0)


def test_an_expired_link_answers_410_with_a_clear_page(client, draft, author_user):
    link, token = preview_link_create(target=draft, by=author_user, days=1)
    assert client.get(preview_path(token)).status_code == 200

    PreviewLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(preview_path(token))

    assert response.status_code == 410
    html = response.content.decode()
    assert "Ce lien de prévisualisation a expiré ou a été révoqué" in html
    assert SECRET not in html
    assert_private_and_unindexed(response)


def test_a_revoked_link_answers_410_and_an_unknown_token_404(client, draft, author_user):
    link, token = preview_link_create(target=draft, by=author_user)
    preview_link_revoke(link=link, by=author_user)

    assert client.get(preview_path(token)).status_code == 410
    unknown = client.get(preview_path("x" * 43))
    assert unknown.status_code == 404
    assert "Ce lien de prévisualisation n’existe pas" in unknown.content.decode()
    assert client.get(preview_path("x" * 500)).status_code == 404


def test_prune_deletes_links_ended_long_ago_and_keeps_open_and_recent_ones(draft, author_user):
    now = timezone.now()
    open_link, _token = preview_link_create(target=draft, by=author_user)
    expired_long_ago, _token = preview_link_create(target=draft, by=author_user)
    revoked_long_ago, _token = preview_link_create(target=draft, by=author_user)
    revoked_yesterday, _token = preview_link_create(target=draft, by=author_user)
    PreviewLink.objects.filter(pk=expired_long_ago.pk).update(expires_at=now - timedelta(days=31))
    PreviewLink.objects.filter(pk=revoked_long_ago.pk).update(revoked_at=now - timedelta(days=31))
    PreviewLink.objects.filter(pk=revoked_yesterday.pk).update(revoked_at=now - timedelta(days=1))
    out = io.StringIO()

    call_command("prune_preview_links", stdout=out)

    assert set(PreviewLink.objects.values_list("pk", flat=True)) == {open_link.pk, revoked_yesterday.pk}
    assert "2" in out.getvalue()


def test_prune_refuses_a_bad_age_with_a_clear_message(draft, author_user):
    preview_link_create(target=draft, by=author_user)

    with translation.override("fr"), pytest.raises(CommandError, match="Indiquez au moins 1 jour"):
        call_command("prune_preview_links", "--days", "0")
    assert PreviewLink.objects.count() == 1


def test_a_page_awaiting_publication_has_preview_links_too(client, editor):
    page = PageFactory(title="Page à venir", body="Contenu caché.", status=Status.DRAFT, published_at=None)
    _link, token = preview_link_create(target=page, by=editor)

    response = client.get(preview_path(token))

    assert response.status_code == 200
    assert "Contenu caché." in response.content.decode()
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert_private_and_unindexed(response)
    assert client.get(page.get_absolute_url()).status_code == 404


def test_a_link_to_a_published_post_is_still_noindex_and_private(client, author_user):
    post = PostFactory(author=author_user.author)
    _link, token = preview_link_create(target=post, by=author_user)

    response = client.get(preview_path(token))

    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert_private_and_unindexed(response)


def test_the_preview_page_answers_in_a_fixed_number_of_queries(
    client, draft, author_user, django_assert_max_num_queries
):
    _link, token = preview_link_create(target=draft, by=author_user)
    client.get(preview_path(token))
    with django_assert_max_num_queries(12):
        assert client.get(preview_path(token)).status_code == 200


def test_the_draft_stays_out_of_feeds_sitemap_search_and_listings(client, api_client, draft, author_user):
    _link, token = preview_link_create(target=draft, by=author_user)
    assert client.get(preview_path(token)).status_code == 200
    PostFactory(title="Un article public")

    for url in ("/", "/feed/", "/feed/atom/", "/sitemap.xml", "/sitemap-posts.xml", "/api/v1/posts/"):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert b"zanzibar" not in response.content, url
        assert draft.slug.encode() not in response.content, url
        assert token.encode() not in response.content, url
    assert draft.get_absolute_url().encode() not in client.get("/search/?q=zanzibar").content
    assert api_client.get("/api/v1/posts/?search=zanzibar").json()["results"] == []
    author_page = client.get(f"/author/{draft.author.slug}/")
    assert draft.slug.encode() not in author_page.content


# Who may make and revoke links (blog.permissions.can_share_preview)


def test_the_permission_matrix_follows_who_may_edit(contributor, author_user, editor, reader):
    own_draft = post_create(by=contributor, title="Du contributeur", body="x")
    pending = post_create(by=contributor, title="En relecture", body="x", status=Status.PENDING)
    scheduled = PostFactory(author=contributor.author, scheduled=True)
    authors_draft = post_create(by=author_user, title="De l’auteur", body="x")
    page = PageFactory(status=Status.DRAFT, published_at=None)
    stranger = UserFactory(username="inconnu")

    expected = {
        (contributor, own_draft): True,
        (contributor, pending): True,
        # Scheduled by an editor: the contributor may no longer change it, nor share it.
        (contributor, scheduled): False,
        (contributor, authors_draft): False,
        (contributor, page): False,
        (author_user, authors_draft): True,
        (author_user, own_draft): False,
        (author_user, page): False,
        (editor, own_draft): True,
        (editor, scheduled): True,
        (editor, authors_draft): True,
        (editor, page): True,
        (reader, own_draft): False,
        (stranger, page): False,
    }
    for (user, target), allowed in expected.items():
        assert can_share_preview(user, target) is allowed, (user, target)
        if allowed:
            link, _token = preview_link_create(target=target, by=user)
            preview_link_revoke(link=link, by=user)
        else:
            with pytest.raises(PermissionDenied):
                preview_link_create(target=target, by=user)


def test_who_may_not_edit_the_post_may_not_revoke_its_links(contributor, author_user, editor):
    link, token = preview_link_create(target=post_create(by=author_user, title="A", body="x"), by=author_user)

    with pytest.raises(PermissionDenied):
        preview_link_revoke(link=link, by=contributor)
    link.refresh_from_db()
    assert link.revoked_at is None
    preview_link_revoke(link=link, by=editor)  # an editor may revoke a link someone else made
    link.refresh_from_db()
    assert link.revoked_at is not None


# The admin


def test_the_admin_creates_lists_and_revokes_a_link(client, author_user, draft):
    client.force_login(author_user)
    change = client.get(reverse("admin:blog_post_change", args=[draft.pk]))
    links_url = reverse("admin:blog_post_previews", args=[draft.pk])
    assert links_url in change.content.decode()

    created = client.post(links_url, {"days": "3", "label": "Pour Marie"})

    assert created.status_code == 200
    html = created.content.decode()
    url = re.search(r'value="(http[^"]+/preview/[^"]+/)"', html).group(1)
    link = draft.preview_links.get()
    assert link.label == "Pour Marie"
    assert link.expires_at - link.created_at == timedelta(days=3)
    assert "Pour Marie" in html and "Révoquer" in html

    client.logout()
    assert client.get(urlsplit(url).path).status_code == 200

    client.force_login(author_user)
    revoke_url = reverse("admin:blog_post_preview_revoke", args=[draft.pk, link.pk])
    assert client.get(revoke_url).status_code == 302  # a GET changes nothing
    link.refresh_from_db()
    assert link.revoked_at is None
    client.post(revoke_url)
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert "Pour Marie" not in client.get(links_url).content.decode()
    client.logout()
    assert client.get(urlsplit(url).path).status_code == 410


def test_the_admin_refuses_bad_input_with_a_message(client, author_user, draft):
    client.force_login(author_user)
    response = client.post(reverse("admin:blog_post_previews", args=[draft.pk]), {"days": "900"})

    assert response.status_code == 200
    assert not draft.preview_links.exists()
    assert "errorlist" in response.content.decode()


def test_the_admin_pages_are_404_to_who_may_not_edit_the_post(client, contributor, draft):
    link, _token = preview_link_create(target=draft, by=draft.author.user)
    client.force_login(contributor)

    assert client.get(reverse("admin:blog_post_previews", args=[draft.pk])).status_code in (302, 404)
    client.post(reverse("admin:blog_post_preview_revoke", args=[draft.pk, link.pk]))
    link.refresh_from_db()
    assert link.revoked_at is None


def test_pages_have_the_admin_page_too(client, editor):
    page = PageFactory(status=Status.DRAFT, published_at=None)
    client.force_login(editor)

    response = client.post(reverse("admin:blog_page_previews", args=[page.pk]), {"days": "7"})

    assert response.status_code == 200
    assert page.preview_links.count() == 1


# The API: headless preview


def test_the_api_answers_the_draft_to_its_token_in_the_detail_shape(api_client, draft, author_user):
    _link, token = preview_link_create(target=draft, by=author_user)
    url = f"/api/v1/posts/{draft.slug}/"
    public = PostFactory(author=author_user.author)

    assert api_client.get(url).status_code == 404
    response = api_client.get(url, {"preview": token})

    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == draft.slug and body["status"] == "draft"
    assert SECRET in body["body_html"]
    assert body["toc"][0]["id"] == "une-section"
    assert set(body) == set(api_client.get(f"/api/v1/posts/{public.slug}/").json())
    assert_private_and_unindexed(response)
    assert "X-Plume-Preview" in response["Vary"]
    # Nothing was kept for the next reader without the token.
    assert api_client.get(url).status_code == 404
    assert api_client.get(url, {"preview": token}).status_code == 200


def test_the_api_takes_the_token_in_a_header(api_client, draft, author_user):
    _link, token = preview_link_create(target=draft, by=author_user)

    response = api_client.get(f"/api/v1/posts/{draft.slug}/", HTTP_X_PLUME_PREVIEW=token)

    assert response.status_code == 200
    assert response.json()["title"] == "Brouillon secret"
    assert_private_and_unindexed(response)


def test_the_api_refuses_a_token_that_is_expired_revoked_or_for_another_post(api_client, draft, author_user):
    link, token = preview_link_create(target=draft, by=author_user)
    other = post_create(by=author_user, title="Autre brouillon", body="y")
    url = f"/api/v1/posts/{draft.slug}/"

    assert api_client.get(f"/api/v1/posts/{other.slug}/", {"preview": token}).status_code == 404
    assert api_client.get(url, {"preview": "nimporte"}).status_code == 404
    PreviewLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_client.get(url, {"preview": token}).status_code == 404
    _link, token = preview_link_create(target=draft, by=author_user)
    preview_link_revoke(link=_link, by=author_user)
    assert api_client.get(url, HTTP_X_PLUME_PREVIEW=token).status_code == 404


def test_the_api_preview_of_a_page(api_client, editor):
    page = PageFactory(title="Page à venir", status=Status.DRAFT, published_at=None)
    _link, token = preview_link_create(target=page, by=editor)

    assert api_client.get(f"/api/v1/pages/{page.slug}/").status_code == 404
    response = api_client.get(f"/api/v1/pages/{page.slug}/", {"preview": token})

    assert response.status_code == 200
    assert response.json()["title"] == "Page à venir"
    assert_private_and_unindexed(response)


def test_a_preview_never_enters_the_api_cache_of_a_public_post(
    api_client, author_user, django_assert_max_num_queries
):
    post = PostFactory(author=author_user.author, title="Publié")
    _link, token = preview_link_create(target=post, by=author_user)
    url = f"/api/v1/posts/{post.slug}/"

    with django_assert_max_num_queries(12):
        preview = api_client.get(url, {"preview": token})
    assert_private_and_unindexed(preview)
    public = api_client.get(url)
    assert "public" in public["Cache-Control"]
    assert "xkey" in public
    # And the cached public answer is not what a token gets back.
    again = api_client.get(url, {"preview": token})
    assert "no-store" in again["Cache-Control"]


# A separate frontend: PLUME_PREVIEW_URL


FRONTEND = "https://www.example.org/api/preview?slug={slug}&token={token}"


def test_with_a_frontend_the_admin_gives_the_frontends_address(
    client, settings, author_user, draft, api_client
):
    settings.PLUME_PREVIEW_URL = FRONTEND
    client.force_login(author_user)

    html = client.post(reverse("admin:blog_post_previews", args=[draft.pk]), {"days": "7"}).content.decode()

    url = re.search(r'value="(https://www\.example\.org/api/preview\?[^"]+)"', html).group(1)
    query = parse_qs(urlsplit(url.replace("&amp;", "&")).query)
    assert query["slug"] == [draft.slug]
    # The frontend fetches the draft with the token it was given.
    response = api_client.get(f"/api/v1/posts/{query['slug'][0]}/", HTTP_X_PLUME_PREVIEW=query["token"][0])
    assert response.status_code == 200


def test_with_a_frontend_view_on_site_opens_it_through_a_short_link(
    client, settings, author_user, draft, api_client
):
    settings.PLUME_PREVIEW_URL = FRONTEND
    settings.PLUME_PREVIEW_VIEW_MINUTES = 30
    client.force_login(author_user)

    change = client.get(reverse("admin:blog_post_change", args=[draft.pk])).content.decode()
    view_on_site = reverse("admin:blog_post_view_on_frontend", args=[draft.pk])
    assert f'href="{view_on_site}"' in change

    response = client.get(view_on_site)

    assert response.status_code == 302
    assert response["Location"].startswith("https://www.example.org/api/preview?slug=")
    token = parse_qs(urlsplit(response["Location"]).query)["token"][0]
    link = draft.preview_links.get()
    assert timedelta(minutes=29) < link.expires_at - link.created_at <= timedelta(minutes=30)
    assert api_client.get(f"/api/v1/posts/{draft.slug}/", {"preview": token}).status_code == 200


def test_without_a_frontend_view_on_site_is_the_post_itself(client, author_user, draft):
    client.force_login(author_user)

    change = client.get(reverse("admin:blog_post_change", args=[draft.pk])).content.decode()

    assert f'href="{draft.get_absolute_url()}"' in change
    assert not draft.preview_links.exists()


def test_a_page_with_a_frontend_uses_its_kind_in_the_address(client, settings, editor):
    settings.PLUME_PREVIEW_URL = "https://front.example.org/preview/{kind}/{slug}?t={token}"
    page = PageFactory(title="À propos", slug="à-propos", status=Status.DRAFT, published_at=None)
    client.force_login(editor)

    response = client.get(reverse("admin:blog_page_view_on_frontend", args=[page.pk]))

    assert response["Location"].startswith("https://front.example.org/preview/page/%C3%A0-propos?t=")


def test_an_author_without_a_role_cannot_reach_view_on_frontend_for_others(client, settings, draft):
    settings.PLUME_PREVIEW_URL = FRONTEND
    other = AuthorFactory(user=UserFactory(username="autre-autrice", role=roles.AUTHOR)).user
    client.force_login(other)

    response = client.get(reverse("admin:blog_post_view_on_frontend", args=[draft.pk]))

    assert response.status_code in (302, 404)
    assert not draft.preview_links.exists()


@pytest.mark.parametrize(
    ("value", "errors"),
    [
        ("", []),
        (FRONTEND, []),
        ("https://front.example.org/preview/{kind}/{slug}?t={token}", []),
        ("https://front.example.org/preview?slug={slug}", ["plume.E020"]),  # no token
        ("https://front.example.org/preview?t={token}&x={other}", ["plume.E020"]),
        ("https://front.example.org/preview?t={token}&x={", ["plume.E020"]),
        ("https://front.example.org/preview?t={token.upper}", ["plume.E020"]),
        ("/api/preview?token={token}", ["plume.E020"]),
        ("javascript:alert({token})", ["plume.E020"]),
    ],
)
def test_check_refuses_a_frontend_address_that_cannot_be_filled(settings, value, errors):
    from core.checks import check_preview_url

    settings.PLUME_PREVIEW_URL = value

    assert [message.id for message in check_preview_url(None)] == errors
