from django.shortcuts import get_object_or_404
from django.utils.html import escape

from authors.models import Author
from core import surrogate
from core.feeds import RequestFeed, atom

from .models import Category, Post, Tag
from .selectors import posts_in_category

FEED_SIZE = 20


class LatestPostsFeed(RequestFeed):
    """The latest published posts, as RSS 2.0."""

    def posts(self, obj):
        return Post.objects.published()

    def list_keys(self, obj):
        """What names the list itself (a post joining or leaving it purges these)."""
        return ["feed"]

    def items(self, obj=None):
        posts = list(self.posts(obj).for_feed().order_by("-published_at", "-pk")[:FEED_SIZE])
        surrogate.add_keys(self.request, *self.list_keys(obj))
        surrogate.add_objects(self.request, *posts)
        return posts

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


class CategoryFeed(LatestPostsFeed):
    def get_object(self, request, slug):
        category = get_object_or_404(Category, slug=slug)
        # For posts() and list_keys() alike, in one query.
        category.feed_category_ids = category.descendant_ids()
        return category

    def title(self, obj=None):
        return self.text(f"{self.site.site_name} — {obj.name}")

    def link(self, obj=None):
        return self.absolute(obj.get_absolute_url())

    def posts(self, obj):
        return posts_in_category(obj, category_ids=obj.feed_category_ids)

    def list_keys(self, obj):
        return obj.list_keys(obj.feed_category_ids)


class AuthorFeed(LatestPostsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def title(self, obj=None):
        return self.text(f"{self.site.site_name} — {obj.display_name}")

    def link(self, obj=None):
        return self.absolute(obj.get_absolute_url())

    def posts(self, obj):
        return Post.objects.published().filter(author=obj)

    def list_keys(self, obj):
        return [*obj.surrogate_keys(), f"author-{obj.pk}-posts"]


class TagFeed(LatestPostsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj=None):
        return self.text(f"{self.site.site_name} — {obj.name}")

    def link(self, obj=None):
        return self.absolute(obj.get_absolute_url())

    def posts(self, obj):
        return Post.objects.published().filter(tags=obj)

    def list_keys(self, obj):
        return [*obj.surrogate_keys(), f"tag-{obj.pk}-posts"]


LatestPostsAtomFeed = atom(LatestPostsFeed)
CategoryAtomFeed = atom(CategoryFeed)
AuthorAtomFeed = atom(AuthorFeed)
TagAtomFeed = atom(TagFeed)
