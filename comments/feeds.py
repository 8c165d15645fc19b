import copy

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from blog.models import Post

from .models import Comment

FEED_SIZE = 30


class LatestCommentsFeed(Feed):
    """
    The latest approved comments. No e-mail address: `item_author_email` is
    deliberately absent. Links are absolute on the host the feed was requested
    from, as in blog.feeds.
    """

    def __call__(self, request, *args, **kwargs):
        # The instance lives in the URLconf and serves every request: work on a copy.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def absolute(self, path):
        return self.request.build_absolute_uri(path)

    def feed_url(self, obj=None):
        return self.absolute(self.request.path)

    def title(self, obj=None):
        return _("Comments on %(site)s") % {"site": settings.PLUME_SITE_NAME}

    def description(self, obj=None):
        return self.title(obj)

    def link(self, obj=None):
        return self.absolute(reverse("blog:home"))

    def comments(self, obj):
        return Comment.objects.approved().filter(post__in=Post.objects.published())

    def items(self, obj=None):
        return self.comments(obj).select_related("post").order_by("-created_at", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        return _("%(name)s on “%(title)s”") % {"name": item.author_name, "title": item.post.title}

    def item_description(self, item):
        return item.body_html

    def item_link(self, item):
        return self.absolute(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.created_at

    def item_author_name(self, item):
        return item.author_name


class PostCommentsFeed(LatestCommentsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Post.objects.published(), slug=slug)

    def title(self, obj=None):
        return _("Comments on “%(title)s”") % {"title": obj.title}

    def link(self, obj=None):
        return self.absolute(obj.get_absolute_url())

    def comments(self, obj):
        return Comment.objects.approved().filter(post=obj)
