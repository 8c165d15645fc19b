from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.html import escape

from authors.models import Author
from core.feeds import AtomFeed, RequestFeed

from .models import Category, Post
from .selectors import posts_in_category

FEED_SIZE = 20


class LatestPostsFeed(RequestFeed):
    """The latest published posts, as RSS 2.0."""

    def posts(self, obj):
        return Post.objects.published()

    def items(self, obj=None):
        return self.posts(obj).for_listing().order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        return self.text(item.title)

    def item_description(self, item):
        # RSS descriptions and Atom summaries (type="html") are HTML to a feed reader, and the
        # summary is plain text: escaped, "<script>" written in a post stays text.
        return escape(item.summary)

    def item_link(self, item):
        return self.absolute(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author.display_name

    def item_author_link(self, item):
        return self.absolute(item.author.get_absolute_url())

    def item_categories(self, item):
        return [category.name for category in item.categories.all()]


class LatestPostsAtomFeed(LatestPostsFeed):
    feed_type = AtomFeed
    subtitle = LatestPostsFeed.description


class CategoryFeed(LatestPostsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, obj=None):
        return self.text(f"{settings.PLUME_SITE_NAME} — {obj.name}")

    def link(self, obj=None):
        return self.absolute(obj.get_absolute_url())

    def posts(self, obj):
        return posts_in_category(obj)


class AuthorFeed(LatestPostsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def title(self, obj=None):
        return self.text(f"{settings.PLUME_SITE_NAME} — {obj.display_name}")

    def link(self, obj=None):
        return self.absolute(obj.get_absolute_url())

    def posts(self, obj):
        return Post.objects.published().filter(author=obj)
