from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from authors.models import Author
from core import surrogate
from core.caching import GenerationMemo, cache_response
from core.links import absolute_url

from . import seo
from .models import Category, Page, Post, Tag
from .pages import MENU_KEY
from .previews import find_link
from .rendering import render_page, render_post
from .selectors import posts_in_category, readable_pages, readable_post

# A listing's number of posts (its "page N of M"), per address and search: counting every
# published post cost more than the rest of the home page's queries together.
LISTING_COUNTS = GenerationMemo()


def paginate(request, queryset):
    """
    The listing page `?page=` asks for; a page past the last one or a number that is not
    one is a 404, as WordPress answers, not page 1 again under another address.
    """
    paginator = Paginator(queryset, settings.PLUME_POSTS_PER_PAGE)
    # Every listing shows published posts only, the same to everyone: the address and the
    # search say which, and a change of content (or a post going live) counts again.
    key = (request.path, request.GET.get("q", ""))
    paginator.count = LISTING_COUNTS.get(request, key, queryset.count)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404(_("There is no such page in this listing.")) from None
    # Read here, not when the template first loops over it (the count is read by page()).
    page.object_list = list(page.object_list)
    return page


# Every HTML page shows the menu of static pages (and post pages the privacy page's link).
# Every public one goes through the response cache (core.caching), keyed on the query
# parameters it reads: `page` for listings, `q` for search, `cpage` and `replytocom` on posts.
LISTING_PARAMS = ("page",)


def post_list(request, template, queryset, *, keys, **context):
    """A page of posts; `keys` name the list itself (a post joining or leaving it purges them)."""
    posts = queryset.for_listing().with_comment_count()
    if not posts.query.order_by:
        # The comment count's GROUP BY drops the model's default ordering.
        posts = posts.order_by("-published_at", "-pk")
    page_obj = paginate(request, posts)
    surrogate.add_keys(request, MENU_KEY, *keys)
    surrogate.add_objects(request, *page_obj)
    context.setdefault("canonical_url", canonical_listing_url(request))
    return render(request, template, {"page_obj": page_obj, **context})


def canonical_listing_url(request):
    """The listing's own address: its page number kept, any other parameter dropped."""
    url = absolute_url(request.path, request=request)
    page = request.GET.get("page", "")
    return f"{url}?page={page}" if page.isdigit() and page != "1" else url


@cache_response(params=LISTING_PARAMS)
def home(request):
    return post_list(
        request,
        "blog/post_home.html",
        Post.objects.published().ordered_for_home(),
        keys=["home"],
        json_ld=seo.website_json_ld(request),
    )


@cache_response(params=("cpage", "replytocom"))
def detail(request, slug):
    """A post, else a page with that slug; drafts only for those who may edit them."""
    post = readable_post(request.user, slug)
    if post is not None:
        return render_post(request, post)
    page = get_object_or_404(readable_pages(request.user).select_related("author"), slug=slug)
    return render_page(request, page)


def preview(request, token):
    """
    A preview link (blog.previews): the post or page as readers will see it, for
    whoever has the link. Never indexed nor kept by any cache; 410 once the link is
    expired or revoked, 404 for a token that never was one.
    """
    link = find_link(token)
    if link is None or not link.is_active:
        known = link is not None
        response = render(request, "blog/preview_gone.html", {"known": known}, status=410 if known else 404)
    elif link.post_id:
        post = Post.objects.for_detail().with_comment_count().get(pk=link.post_id)
        response = render_post(request, post, preview_link=True)
    else:
        page = Page.objects.select_related("author").get(pk=link.page_id)
        response = render(
            request,
            "blog/page_detail.html",
            {
                "page": page,
                "preview_link": True,
                "canonical_url": absolute_url(page.get_absolute_url(), request=request),
            },
        )
    return private_preview(request, response)


def private_preview(request, response):
    """What every answer to a preview token carries: for this reader only, never indexed."""
    surrogate.clear_keys(request)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The token is in the address: it must not leave in a Referer.
    response["Referrer-Policy"] = "no-referrer"
    return response


@cache_response(params=LISTING_PARAMS)
def category(request, slug):
    category = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    descendant_ids = category.descendant_ids()
    posts = posts_in_category(category, category_ids=descendant_ids)
    keys = category.list_keys(descendant_ids)
    return post_list(request, "blog/post_category.html", posts, keys=keys, category=category)


@cache_response(params=LISTING_PARAMS)
def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    posts = Post.objects.published().filter(tags=tag)
    return post_list(
        request, "blog/post_tag.html", posts, keys=[*tag.surrogate_keys(), f"tag-{tag.pk}-posts"], tag=tag
    )


@cache_response(params=LISTING_PARAMS)
def author(request, slug):
    # The page shows the profile, never the account behind it (nor the biography's Markdown).
    author = get_object_or_404(Author.objects.defer("bio"), slug=slug)
    posts = Post.objects.published().filter(author=author)
    keys = [*author.surrogate_keys(), f"author-{author.pk}-posts"]
    return post_list(
        request,
        "blog/post_author.html",
        posts,
        keys=keys,
        author=author,
        author_image=absolute_url(author.avatar_url, request=request) if author.avatar_url else "",
        json_ld=seo.person_json_ld(request, author),
    )


@cache_response(params=("q", "page"))
def search(request):
    query = request.GET.get("q", "").strip()
    posts = Post.objects.published().search(query) if query else Post.objects.none()
    return post_list(request, "blog/post_search.html", posts, keys=["search"], query=query, canonical_url="")


def robots_txt(request):
    sitemap_url = absolute_url(reverse("blog:sitemap"), request=request)
    return render(request, "robots.txt", {"sitemap_url": sitemap_url}, content_type="text/plain")
