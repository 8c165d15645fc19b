from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from authors.models import Author
from core.links import absolute_url

from .models import Category, Post, Tag
from .selectors import readable_pages, readable_posts


def paginate(request, queryset):
    """
    The listing page `?page=` asks for; a page past the last one or a number that is not
    one is a 404, as WordPress answers, not page 1 again under another address.
    """
    try:
        return Paginator(queryset, settings.PLUME_POSTS_PER_PAGE).page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404(_("There is no such page in this listing.")) from None


def post_list(request, template, queryset, **context):
    posts = queryset.for_listing().with_comment_count()
    if not posts.query.order_by:
        # The comment count's GROUP BY drops the model's default ordering.
        posts = posts.order_by("-published_at", "-pk")
    return render(request, template, {"page_obj": paginate(request, posts), **context})


def home(request):
    return post_list(
        request,
        "blog/post_home.html",
        Post.objects.published().ordered_for_home(),
        canonical_url=absolute_url(reverse("blog:home"), request=request),
    )


def detail(request, slug):
    """A post, else a page with that slug; drafts only for those who may edit them."""
    posts = readable_posts(request.user).for_listing().with_comment_count().with_neighbours()
    post = posts.filter(slug=slug).first()
    if post is not None:
        return render_post(request, post)
    page = get_object_or_404(readable_pages(request.user).select_related("author"), slug=slug)
    response = render(
        request,
        "blog/page_detail.html",
        {
            "page": page,
            "canonical_url": page.canonical_url or absolute_url(page.get_absolute_url(), request=request),
        },
    )
    if not page.is_public:
        add_never_cache_headers(response)
    return response


def render_post(request, post, *, status=200, **extra_context):
    """
    The post page. The comments app calls it too, to show the page again with
    its bound `comment_form` (and errors) when a submission is refused.
    """
    context = {
        "post": post,
        "previous_post": post.get_previous_published(),
        "next_post": post.get_next_published(),
        "canonical_url": post.canonical_url or absolute_url(post.get_absolute_url(), request=request),
        "featured_image_url": featured_image_url(request, post),
        "json_ld": post_json_ld(request, post),
        **extra_context,
    }
    response = render(request, "blog/post_detail.html", context, status=status)
    if not post.is_public:
        # A preview of a draft or a scheduled post must never be cached anywhere.
        add_never_cache_headers(response)
    return response


def featured_image_url(request, post):
    """The featured image's absolute URL (an uploaded file, or an image hosted elsewhere), or ""."""
    return absolute_url(post.featured_image_src, request=request) if post.featured_image_src else ""


def post_json_ld(request, post):
    """schema.org BlogPosting data; the template serializes it safely (`json_ld` filter)."""
    url = absolute_url(post.get_absolute_url(), request=request)
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.seo_title or post.title,
        "description": post.meta_description or post.summary,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": post.canonical_url or url},
        "datePublished": post.published_at.isoformat() if post.published_at else None,
        "dateModified": post.updated_at.isoformat() if post.updated_at else None,
        "wordCount": post.word_count,
        "inLanguage": request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else settings.LANGUAGE_CODE,
        "author": {
            "@type": "Person",
            "name": post.author.display_name,
            "url": absolute_url(post.author.get_absolute_url(), request=request),
        },
        "publisher": {"@type": "Organization", "name": settings.PLUME_SITE_NAME},
        "articleSection": [category.name for category in post.categories.all()],
        "keywords": [tag.name for tag in post.tags.all()],
    }
    if post.featured_image_src:
        data["image"] = featured_image_url(request, post)
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def category(request, slug):
    category = get_object_or_404(Category, slug=slug)
    # A subquery rather than a join, so a post filed under two of these categories
    # is listed (and its comments counted) once.
    in_category = Post.categories.through.objects.filter(category_id__in=category.descendant_ids())
    posts = Post.objects.published().filter(pk__in=in_category.values("post_id"))
    return post_list(request, "blog/post_category.html", posts, category=category)


def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    return post_list(request, "blog/post_tag.html", Post.objects.published().filter(tags=tag), tag=tag)


def author(request, slug):
    author = get_object_or_404(Author.objects.select_related("user"), slug=slug)
    return post_list(
        request, "blog/post_author.html", Post.objects.published().filter(author=author), author=author
    )


def search(request):
    query = request.GET.get("q", "").strip()
    posts = Post.objects.published().search(query) if query else Post.objects.none()
    return post_list(request, "blog/post_search.html", posts, query=query)


def robots_txt(request):
    sitemap_url = absolute_url(reverse("blog:sitemap"), request=request)
    return render(request, "robots.txt", {"sitemap_url": sitemap_url}, content_type="text/plain")
