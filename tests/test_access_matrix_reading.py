"""
Who reads drafts and scheduled posts, on every surface: the full matrix of roles
(anonymous, registered reader, contributor, author, editor, superuser) against
the post page, the admin and its "view on site", the API, the feeds, the sitemap
and search. Previews are for the people who work on the post (blog.permissions);
every public listing shows published posts only, to everyone. The rows past the
six roles are the accounts that exposed the old drift between site and API: a
writer who is not staff, staff without `change_post`, an editor without
`publish_post`, a superuser who is not staff.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import Status

from .access_support import ALL_ROLES, NOT_STAFF, log_in
from .factories import AuthorFactory, CategoryFactory, PageFactory, PostFactory

pytestmark = pytest.mark.django_db

NOBODY, OWN, ALL = "nobody", "own", "all"
# Who may preview an unpublished post: its author (when they write) or those who edit every post.
PREVIEWERS = {
    "anonymous": NOBODY,
    "reader": NOBODY,
    "contributor": OWN,
    "author": OWN,
    "editor": ALL,
    "superuser": ALL,
    "author_not_staff": OWN,
    "staff_without_change_post": NOBODY,
    "editor_without_publish": ALL,
    "superuser_not_staff": ALL,
}
# The admin is for staff only, whatever else an account may do.
ADMIN_PREVIEWERS = {role: NOBODY if role in NOT_STAFF else rule for role, rule in PREVIEWERS.items()}
EVERYONE_NOBODY = dict.fromkeys(ALL_ROLES, NOBODY)
WORD = "Mot-témoin"


def post_page(client, api_client, post):
    return client.get(post.get_absolute_url()).status_code == 200


def admin_change_page(client, api_client, post):
    response = client.get(reverse("admin:blog_post_change", args=[post.pk]))
    return response.status_code == 200 and post.title in response.content.decode()


def admin_view_on_site(client, api_client, post):
    """The admin's "View on site" link, followed."""
    response = client.get(reverse("admin:blog_post_change", args=[post.pk]))
    if response.status_code != 200:
        return False
    link = re.search(r'href="([^"]+)" class="viewsitelink"', response.content.decode())
    return link is not None and client.get(link.group(1)).status_code == 200


def api_detail(client, api_client, post):
    return api_client.get(reverse("api:v1:post-detail", kwargs={"slug": post.slug})).status_code == 200


def api_listed(params):
    def surface(client, api_client, post):
        results = api_client.get(reverse("api:v1:post-list"), {"page_size": 100, **params}).json()["results"]
        return post.slug in {result["slug"] for result in results}

    return surface


def api_comment_thread(client, api_client, post):
    return api_client.get(reverse("api:v1:post-comments", kwargs={"slug": post.slug})).status_code == 200


def listed_at(url_of):
    def surface(client, api_client, post):
        response = client.get(url_of(post))
        return response.status_code == 200 and f"/{post.slug}/" in response.content.decode()

    return surface


SURFACES = {
    "post page": (post_page, PREVIEWERS),
    "admin change page": (admin_change_page, ADMIN_PREVIEWERS),
    "admin view on site": (admin_view_on_site, ADMIN_PREVIEWERS),
    "API detail": (api_detail, PREVIEWERS),
    "API list, status=all": (api_listed({"status": "all"}), PREVIEWERS),
    "API search, status=all": (api_listed({"status": "all", "search": WORD}), PREVIEWERS),
    "API comment thread": (api_comment_thread, PREVIEWERS),
    "API list": (api_listed({}), EVERYONE_NOBODY),
    "API search": (api_listed({"search": WORD}), EVERYONE_NOBODY),
    "RSS feed": (listed_at(lambda post: reverse("blog:feed")), EVERYONE_NOBODY),
    "Atom feed": (listed_at(lambda post: reverse("blog:feed-atom")), EVERYONE_NOBODY),
    "category feed": (
        listed_at(lambda post: reverse("blog:category-feed", kwargs={"slug": "ia"})),
        EVERYONE_NOBODY,
    ),
    "author feed": (
        listed_at(lambda post: reverse("blog:author-feed", kwargs={"slug": post.author.slug})),
        EVERYONE_NOBODY,
    ),
    "sitemap": (listed_at(lambda post: reverse("blog:sitemap")), EVERYONE_NOBODY),
    "search page": (listed_at(lambda post: f"{reverse('blog:search')}?q={WORD}"), EVERYONE_NOBODY),
}


def unpublished_posts(user):
    """Someone else's draft and scheduled post, and the user's own when they can write."""
    category = CategoryFactory(slug="ia")
    someone = AuthorFactory(slug="simone")
    common = {"categories": [category], "body": f"## {WORD}\n\nUn texte avec le {WORD}.\n\n## Fin\n\nFin."}
    posts = {
        "others' draft": PostFactory(author=someone, draft=True, **common),
        "others' scheduled": PostFactory(author=someone, scheduled=True, **common),
    }
    if user is not None and hasattr(user, "author"):
        posts["own draft"] = PostFactory(author=user.author, draft=True, **common)
        posts["own scheduled"] = PostFactory(author=user.author, scheduled=True, **common)
    PostFactory(author=someone, **common)  # a published one, so that no listing is empty
    return posts


def expected_visible(rule, posts):
    if rule == ALL:
        return set(posts)
    if rule == OWN:
        return {name for name in posts if name.startswith("own")}
    return set()


@pytest.mark.parametrize("surface", list(SURFACES))
@pytest.mark.parametrize("role", ALL_ROLES)
def test_unpublished_posts_are_read_only_by_those_who_may_edit_them(
    client, api_client, request, role, surface
):
    user = log_in(role, request, client, api_client)
    posts = unpublished_posts(user)
    sees, rules = SURFACES[surface]
    visible = {name for name, post in posts.items() if sees(client, api_client, post)}
    assert visible == expected_visible(rules[role], posts)


def test_every_surface_shows_a_published_post(client, api_client, request):
    """The matrix can say yes: a published post is found on every surface (admin ones as an editor)."""
    log_in("editor", request, client, api_client)
    someone = AuthorFactory(slug="simone")
    post = PostFactory(author=someone, categories=[CategoryFactory(slug="ia")], body=f"Texte {WORD}.")
    found = {name: sees(client, api_client, post) for name, (sees, _) in SURFACES.items()}
    assert found == dict.fromkeys(SURFACES, True)


# Pages: only those who manage pages (editors, superusers) preview an unpublished one.
PAGE_SURFACES = {
    "page": lambda client, api_client, page: client.get(page.get_absolute_url()).status_code == 200,
    "API page detail": lambda client, api_client, page: (
        api_client.get(reverse("api:v1:page-detail", kwargs={"slug": page.slug})).status_code == 200
    ),
    "API page list": lambda client, api_client, page: (
        page.slug
        in {result["slug"] for result in api_client.get(reverse("api:v1:page-list")).json()["results"]}
    ),
    "menu": lambda client, api_client, page: (
        page.get_absolute_url() in client.get(reverse("blog:home")).content.decode()
    ),
    "sitemap": lambda client, api_client, page: (
        page.get_absolute_url() in client.get(reverse("blog:sitemap")).content.decode()
    ),
}
PAGE_PREVIEWERS = {"editor", "superuser", "editor_without_publish", "superuser_not_staff"}


@pytest.mark.parametrize("surface", list(PAGE_SURFACES))
@pytest.mark.parametrize("role", ALL_ROLES)
def test_unpublished_pages_are_read_only_by_those_who_manage_pages(
    client, api_client, request, role, surface
):
    log_in(role, request, client, api_client)
    pages = {
        "draft": PageFactory(title="Page en brouillon", status=Status.DRAFT, published_at=None),
        "scheduled": PageFactory(title="Page programmée", published_at=timezone.now() + timedelta(days=2)),
    }
    visible = {name for name, page in pages.items() if PAGE_SURFACES[surface](client, api_client, page)}
    may_preview = role in PAGE_PREVIEWERS and surface in {"page", "API page detail", "API page list"}
    assert visible == (set(pages) if may_preview else set())


def test_every_page_surface_shows_a_published_page(client, api_client):
    page = PageFactory(title="Page publiée", show_in_menu=True)
    found = {name: sees(client, api_client, page) for name, sees in PAGE_SURFACES.items()}
    assert found == dict.fromkeys(PAGE_SURFACES, True)


# One answer everywhere: the post page, the API and the comment endpoints agree.

READ_WAYS = {
    "post page": lambda client, api_client, post: client.get(post.get_absolute_url()),
    "API detail": lambda client, api_client, post: api_client.get(
        reverse("api:v1:post-detail", kwargs={"slug": post.slug})
    ),
    "API comment thread": lambda client, api_client, post: api_client.get(
        reverse("api:v1:post-comments", kwargs={"slug": post.slug})
    ),
    "API comment token": lambda client, api_client, post: api_client.get(
        reverse("api:v1:post-comment-token", kwargs={"slug": post.slug})
    ),
}
POST_STATES = ["own draft", "own scheduled", "published", "others' draft", "others' scheduled"]
WITHOUT_PROFILE = {"anonymous", "reader"}


def post_in_state(user, state, someone):
    """A post in `state`: "published" (someone's), or "<own|others'> <draft|scheduled>"."""
    if state == "published":
        return PostFactory(author=someone)
    whose, status = state.split(" ")
    return PostFactory(author=user.author if whose == "own" else someone, **{status: True})


def may_read(role, state):
    return state == "published" or state in expected_visible(PREVIEWERS[role], {state: None})


@pytest.mark.parametrize(
    ("role", "state"),
    [
        (role, state)
        for role in ALL_ROLES
        for state in POST_STATES
        if not (role in WITHOUT_PROFILE and state.startswith("own"))
    ],
)
def test_the_site_the_api_and_the_comment_endpoints_give_the_same_answer(
    client, api_client, request, role, state
):
    user = log_in(role, request, client, api_client)
    post = post_in_state(user, state, AuthorFactory(slug="simone"))
    answers = {way: read(client, api_client, post).status_code for way, read in READ_WAYS.items()}
    readable = may_read(role, state)
    # A preview takes no comments: the token endpoint answers 403 (comments closed), not 404.
    expected = dict.fromkeys(READ_WAYS, 200 if readable else 404)
    if readable and state != "published":
        expected["API comment token"] = 403
    assert answers == expected


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_read_rule_and_the_readable_posts_selector_agree(request, role):
    """`can_read` (one post) and `readable_posts` (a queryset) are one rule written twice: same answers."""
    from django.contrib.auth.models import AnonymousUser

    from blog.permissions import can_read
    from blog.selectors import readable_posts

    user = log_in(role, request) or AnonymousUser()
    someone = AuthorFactory(slug="simone")
    states = [state for state in POST_STATES if hasattr(user, "author") or not state.startswith("own")]
    posts = {state: post_in_state(user, state, someone) for state in states}
    by_rule = {state for state, post in posts.items() if can_read(user, post)}
    by_selector = {state for state, post in posts.items() if readable_posts(user).filter(pk=post.pk).exists()}
    assert by_rule == by_selector == {state for state in states if may_read(role, state)}
