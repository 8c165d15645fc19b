from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers

from authors.models import Author

from . import seo
from .models import Category, Post, Tag
from .selectors import readable_pages, readable_posts


def paginate(request, queryset):
    return Paginator(queryset, settings.PLUME_POSTS_PER_PAGE).get_page(request.GET.get("page"))


def post_list(request, template, queryset, **context):
    posts = queryset.for_listing().with_comment_count()
    if not posts.query.order_by:
        # The comment count's GROUP BY drops the model's default ordering.
        posts = posts.order_by("-published_at", "-pk")
    context.setdefault("canonical_url", canonical_listing_url(request))
    return render(request, template, {"page_obj": paginate(request, posts), **context})


def canonical_listing_url(request):
    """The listing's own address: its page number kept, any other parameter dropped."""
    url = request.build_absolute_uri(request.path)
    page = request.GET.get("page", "")
    return f"{url}?page={page}" if page.isdigit() and page != "1" else url


def home(request):
    return post_list(
        request,
        "blog/post_home.html",
        Post.objects.published().ordered_for_home(),
        json_ld=seo.website_json_ld(request),
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
            "canonical_url": page.canonical_url or request.build_absolute_uri(page.get_absolute_url()),
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
    trail = seo.breadcrumbs(post)
    context = {
        "post": post,
        "previous_post": post.get_previous_published(),
        "next_post": post.get_next_published(),
        "canonical_url": post.canonical_url or request.build_absolute_uri(post.get_absolute_url()),
        "social_image": seo.featured_image_url(request, post),
        "social_image_alt": post.featured_image_alt,
        "json_ld": seo.post_json_ld(request, post),
        "breadcrumbs": trail,
        "breadcrumbs_ld": seo.breadcrumbs_json_ld(request, trail),
        **extra_context,
    }
    response = render(request, "blog/post_detail.html", context, status=status)
    if not post.is_public:
        # A preview of a draft or a scheduled post must never be cached anywhere.
        add_never_cache_headers(response)
    return response


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
        request,
        "blog/post_author.html",
        Post.objects.published().filter(author=author),
        author=author,
        author_image=request.build_absolute_uri(author.avatar_url) if author.avatar_url else "",
        json_ld=seo.person_json_ld(request, author),
    )


def search(request):
    query = request.GET.get("q", "").strip()
    posts = Post.objects.published().search(query) if query else Post.objects.none()
    return post_list(request, "blog/post_search.html", posts, query=query, canonical_url="")


def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain")
