"""
What search engines and social networks read about a page: schema.org JSON-LD and the
image it is shared with. The templates serialize the data (`json_ld` filter).
"""

from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.context_processors import default_social_image
from core.links import absolute_url
from core.models import SiteSettings


def absolute(request, path):
    return absolute_url(path, request=request)


def featured_image_url(request, post):
    """The featured image's absolute URL (an uploaded file, or an image hosted elsewhere), or ""."""
    return absolute(request, post.featured_image_src) if post.featured_image_src else ""


def publisher(request, site):
    logo = site.logo.url if site.logo else static("icons/icon-512.png")
    return {
        "@type": "Organization",
        "name": site.site_name,
        "url": absolute(request, reverse("blog:home")),
        "logo": {"@type": "ImageObject", "url": absolute(request, logo)},
    }


def without_empty(data):
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def post_json_ld(request, post):
    """schema.org BlogPosting: headline, dates, author, image and the publisher with its logo."""
    site = SiteSettings.objects.current(request)
    url = absolute(request, post.get_absolute_url())
    return without_empty(
        {
            "@context": "https://schema.org",
            "@type": "BlogPosting",
            "headline": post.seo_title or post.title,
            "description": post.meta_description or post.summary,
            "url": url,
            "mainEntityOfPage": {"@type": "WebPage", "@id": post.canonical_url or url},
            "datePublished": post.published_at.isoformat() if post.published_at else None,
            "dateModified": post.updated_at.isoformat() if post.updated_at else None,
            "wordCount": post.word_count,
            "inLanguage": get_language(),
            "image": featured_image_url(request, post) or default_social_image(request, site),
            "author": {
                "@type": "Person",
                "name": post.author.display_name,
                "url": absolute(request, post.author.get_absolute_url()),
            },
            "publisher": publisher(request, site),
            "articleSection": [category.name for category in post.categories.all()],
            "keywords": [tag.name for tag in post.tags.all()],
        }
    )


def breadcrumbs(post):
    """Home, the post's first category, the post: names and paths (categories are prefetched)."""
    trail = [{"name": _("Home"), "path": reverse("blog:home")}]
    categories = list(post.categories.all())
    if categories:
        trail.append({"name": categories[0].name, "path": categories[0].get_absolute_url()})
    trail.append({"name": post.title, "path": post.get_absolute_url()})
    return trail


def breadcrumbs_json_ld(request, trail):
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": crumb["name"],
                "item": absolute(request, crumb["path"]),
            }
            for position, crumb in enumerate(trail, start=1)
        ],
    }


def website_json_ld(request):
    """schema.org WebSite with the SearchAction that lets a search engine offer the site's search."""
    site = SiteSettings.objects.current(request)
    search = absolute(request, reverse("blog:search"))
    return without_empty(
        {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": site.site_name,
            "description": site.tagline,
            "url": absolute(request, reverse("blog:home")),
            "inLanguage": get_language(),
            "publisher": publisher(request, site),
            "potentialAction": {
                "@type": "SearchAction",
                "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
                "query-input": "required name=search_term_string",
            },
        }
    )


def person_json_ld(request, author):
    """schema.org Person for an author page: name, job title, picture and profiles elsewhere."""
    return without_empty(
        {
            "@context": "https://schema.org",
            "@type": "Person",
            "name": author.display_name,
            "jobTitle": author.role_title,
            "url": absolute(request, author.get_absolute_url()),
            "image": absolute(request, author.avatar_url) if author.avatar_url else None,
            "sameAs": [link["url"] for link in author.links],
        }
    )
