from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view

from core.links import site_origin

from .models import Page, Post


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


class PostSitemap(RequestHostSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Post.objects.published().only("slug", "updated_at").order_by("-published_at", "-pk")

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(RequestHostSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Page.objects.published().only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


sitemaps = {"posts": PostSitemap, "pages": PageSitemap}


def sitemap(request):
    return sitemap_view(request, sitemaps={name: cls(request) for name, cls in sitemaps.items()})
