from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from blog.models import Post
from core import surrogate
from core.feeds import RequestFeed, atom

from .models import Comment, comment_pages

FEED_SIZE = 30


class LatestCommentsFeed(RequestFeed):
    """The latest approved comments. No e-mail address: `item_author_email` is deliberately absent."""

    def title(self, obj=None):
        return _("Comments on %(site)s") % {"site": self.site.site_name}

    def description(self, obj=None):
        return self.title(obj)

    def comments(self, obj):
        return Comment.objects.approved().filter(post__in=Post.objects.published())

    def list_keys(self, obj):
        return ["comments"]

    def items(self, obj=None):
        # Each link names its page of comments: found for every item at once.
        comments = comment_pages(
            self.comments(obj).select_related("post").order_by("-created_at", "-pk")[:FEED_SIZE]
        )
        # Each item shows its post's title.
        surrogate.add_keys(self.request, *self.list_keys(obj), *(f"post-{c.post_id}" for c in comments))
        return comments

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

    def list_keys(self, obj):
        return [f"comments-{obj.pk}", f"post-{obj.pk}"]


LatestCommentsAtomFeed = atom(LatestCommentsFeed)
PostCommentsAtomFeed = atom(PostCommentsFeed)
