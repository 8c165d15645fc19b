from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from blog.models import Post
from core.feeds import RequestFeed

from .models import Comment, comment_pages

FEED_SIZE = 30


class LatestCommentsFeed(RequestFeed):
    """The latest approved comments. No e-mail address: `item_author_email` is deliberately absent."""

    def title(self, obj=None):
        return _("Comments on %(site)s") % {"site": settings.PLUME_SITE_NAME}

    def description(self, obj=None):
        return self.title(obj)

    def comments(self, obj):
        return Comment.objects.approved().filter(post__in=Post.objects.published())

    def items(self, obj=None):
        # Each link names its page of comments: found for every item at once.
        return comment_pages(
            self.comments(obj).select_related("post").order_by("-created_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item):
        return self.text(_("%(name)s on “%(title)s”") % {"name": item.author_name, "title": item.post.title})

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
        return self.text(_("Comments on “%(title)s”") % {"title": obj.title})

    def link(self, obj=None):
        return self.absolute(obj.get_absolute_url())

    def comments(self, obj):
        return Comment.objects.approved().filter(post=obj)
