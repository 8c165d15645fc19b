"""
The sitemap: home, posts, pages, categories, tags and authors, each with its last change,
posts with their featured image; an index of sections past one file's 50,000 URLs.
"""

from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.db.models import Max, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from authors.models import Author
from core import surrogate
from core.caching import cache_response
from core.links import absolute_url, site_origin

from .models import Category, Page, Post, Tag

# What one sitemap file may hold (sitemaps.org); past it, /sitemap.xml becomes an index.
SITEMAP_LIMIT = 50_000


class RequestHostSitemap(Sitemap):
    """
    URLs on the site's origin (`core.links.site_origin`: PLUME_SITE_URL, else the host
    the sitemap was requested from), not on the `Site` row (example.com).
    """

    def __init__(self, request=None):
        self.request = request

    def get_protocol(self, protocol=None):
        return urlsplit(site_origin(request=self.request)).scheme

    def get_domain(self, site=None):
        return urlsplit(site_origin(request=self.request)).netloc

    @property
    def limit(self):
        return SITEMAP_LIMIT

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        base = site_origin(request=self.request) + "/"
        for url in urls:
            image = self.image(url["item"])
            url["image"] = urljoin(base, image) if image else ""
        return urls

    def image(self, item):
        return ""


def published_posts_newest(post_field):
    """The newest change among an object's published posts (`post_field`: the post's side of the relation)."""
    posts = Post.objects.published().filter(**{post_field: OuterRef("pk")}).order_by("-updated_at")
    return Subquery(posts.values("updated_at")[:1])


class HomeSitemap(RequestHostSitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["blog:home"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return Post.objects.published().aggregate(newest=Max("updated_at"))["newest"]


class PostSitemap(RequestHostSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return (
            Post.objects.published()
            .only("slug", "updated_at", "featured_image", "featured_image_url")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return item.updated_at

    def image(self, item):
        return item.featured_image_src


class PageSitemap(RequestHostSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Page.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class ListingSitemap(RequestHostSitemap):
    """Categories, tags or authors that have published posts, dated by their newest one."""

    changefreq = "weekly"
    priority = 0.4
    model = None
    post_field = ""  # how a post names the listed object

    def items(self):
        return (
            self.model.objects.annotate(newest_post=published_posts_newest(self.post_field))
            .filter(newest_post__isnull=False)
            .only("slug")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.newest_post


class CategorySitemap(ListingSitemap):
    model = Category
    post_field = "categories"


class TagSitemap(ListingSitemap):
    model = Tag
    post_field = "tags"


class AuthorSitemap(ListingSitemap):
    model = Author
    post_field = "author"


sitemaps = {
    "home": HomeSitemap,
    "posts": PostSitemap,
    "pages": PageSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


@cache_response
def sitemap(request):
    """One file while everything fits in it; else an index of the sections' files."""
    # One key for the whole list: every post and page would not fit in a header.
    surrogate.add_keys(request, "sitemap")
    maps = {name: cls(request) for name, cls in sitemaps.items()}
    counts = {name: site_map.paginator.count for name, site_map in maps.items()}
    if sum(counts.values()) <= SITEMAP_LIMIT:
        return sitemap_view(request, sitemaps=maps, template_name="sitemap.xml")
    entries = []
    for name, site_map in maps.items():
        location = absolute_url(reverse("blog:sitemap-section", kwargs={"section": name}), request=request)
        for page in site_map.paginator.page_range:
            entries.append(SimpleNamespace(location=location if page == 1 else f"{location}?p={page}"))
    return render(request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml")


@cache_response(params=("p",))  # django.contrib.sitemaps' page number
def sitemap_section(request, section):
    if section not in sitemaps:
        raise Http404("No such sitemap section.")
    surrogate.add_keys(request, "sitemap")
    maps = {section: sitemaps[section](request)}
    return sitemap_view(request, sitemaps=maps, section=section, template_name="sitemap.xml")
