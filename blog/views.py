from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers

from authors.models import Author

from .models import Category, Page, Post, Tag


def paginate(request, queryset):
    return Paginator(queryset, settings.PLUME_POSTS_PER_PAGE).get_page(request.GET.get("page"))


def post_list(request, template, queryset, **context):
    return render(request, template, {"page_obj": paginate(request, queryset.for_listing()), **context})


def home(request):
    return post_list(request, "blog/post_home.html", Post.objects.published().ordered_for_home())


def detail(request, slug):
    """A post, else a page with that slug; drafts only for those who may edit them."""
    post = Post.objects.visible_to(request.user).for_listing().filter(slug=slug).first()
    if post is not None:
        response = render(
            request,
            "blog/post_detail.html",
            {
                "post": post,
                "previous_post": post.get_previous_published(),
                "next_post": post.get_next_published(),
            },
        )
        if not post.is_public:
            add_never_cache_headers(response)
        return response
    page = _visible_page(request, slug)
    response = render(request, "blog/page_detail.html", {"page": page})
    if not page.is_public:
        add_never_cache_headers(response)
    return response


def _visible_page(request, slug):
    pages = Page.objects.all() if request.user.has_perm("blog.change_page") else Page.objects.published()
    return get_object_or_404(pages.select_related("author"), slug=slug)


def category(request, slug):
    category = get_object_or_404(Category, slug=slug)
    posts = Post.objects.published().filter(categories__in=category.descendant_ids()).distinct()
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
    return render(request, "robots.txt", content_type="text/plain")
