from django.contrib.sitemaps import Sitemap

from .models import Page, Post


class PostSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Post.objects.published().only("slug", "updated_at").order_by("-published_at", "-pk")

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Page.objects.published().only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


sitemaps = {"posts": PostSitemap, "pages": PageSitemap}
