"""
The post page, rendered: the one place that builds its context (neighbours,
canonical URL, featured image, schema.org data). The post view and the comments
app (which shows the page again with a refused comment's form) both call
`render_post`; a static page is rendered by `render_page` the same way.
"""

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from core import surrogate
from core.links import absolute_url

from . import seo
from .extensions import page_context, post_page_context
from .pages import MENU_KEY


def render_post(request, post, *, status=200, **extra_context):
    """The post page; `extra_context` is how the comments app adds its bound `comment_form`."""
    previous_post, next_post = post.get_previous_published(), post.get_next_published()
    # `post-N-page`: this page alone (its neighbour links change when a post is published near it).
    surrogate.add_keys(request, MENU_KEY, f"comments-{post.pk}", f"post-{post.pk}-page")
    surrogate.add_keys(request, *(f"post-{other.pk}" for other in (previous_post, next_post) if other))
    surrogate.add_objects(request, post)
    trail = seo.breadcrumbs(post)
    context = {
        "post": post,
        # Lists the template loops over, not querysets it would evaluate (prefetched: no query).
        "categories": list(post.categories.all()),
        "tags": list(post.tags.all()),
        "previous_post": previous_post,
        "next_post": next_post,
        "canonical_url": post.canonical_url or absolute_url(post.get_absolute_url(), request=request),
        "social_image": seo.featured_image_url(request, post),
        "social_image_alt": post.featured_image_alt,
        "json_ld": seo.post_json_ld(request, post),
        "breadcrumbs": trail,
        "breadcrumbs_ld": seo.breadcrumbs_json_ld(request, trail),
        **extra_context,
    }
    context.update(post_page_context(request, post, context))
    response = render(request, "blog/post_detail.html", context, status=status)
    if not post.is_public:
        # A preview of a draft or a scheduled post must never be cached anywhere.
        add_never_cache_headers(response)
    return response


def render_page(request, page, *, status=200, **extra_context):
    """A static page; `extra_context` is how the comments app adds its bound `comment_form`."""
    surrogate.add_keys(request, MENU_KEY, f"comments-page-{page.pk}")
    surrogate.add_objects(request, page)
    context = {
        "page": page,
        "canonical_url": page.canonical_url or absolute_url(page.get_absolute_url(), request=request),
        **extra_context,
    }
    context.update(page_context(request, page, context))
    response = render(request, "blog/page_detail.html", context, status=status)
    if not page.is_public:
        add_never_cache_headers(response)
    return response
