"""
The post page, rendered: the one place that builds its context (neighbours,
canonical URL, featured image, schema.org data). The post view and the comments
app (which shows the page again with a refused comment's form) both call
`render_post`.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from core.links import absolute_url

from .extensions import post_page_context


def render_post(request, post, *, status=200, **extra_context):
    """The post page; `extra_context` is how the comments app adds its bound `comment_form`."""
    context = {
        "post": post,
        # Lists the template loops over, not querysets it would evaluate (prefetched: no query).
        "categories": list(post.categories.all()),
        "tags": list(post.tags.all()),
        "previous_post": post.get_previous_published(),
        "next_post": post.get_next_published(),
        "canonical_url": post.canonical_url or absolute_url(post.get_absolute_url(), request=request),
        "featured_image_url": featured_image_url(request, post),
        "json_ld": post_json_ld(request, post),
        **extra_context,
    }
    context.update(post_page_context(request, post, context))
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
