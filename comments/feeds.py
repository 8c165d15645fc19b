from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from blog.models import Page, Post
from core import surrogate
from core.feeds import RequestFeed, atom

from .content import content_keys, on
from .models import Comment, comment_pages

FEED_SIZE = 30


class LatestCommentsFeed(RequestFeed):
    """The latest approved comments. No e-mail address: `item_author_email` is deliberately absent."""

    def title(self, obj=None):
        return _("Comments on %(site)s") % {"site": self.site.site_name}

    def description(self, obj=None):
        return self.title(obj)

    def comments(self, obj):
        return Comment.objects.approved().filter(
            Q(post__in=Post.objects.published()) | Q(page__in=Page.objects.published())
        )

    def list_keys(self, obj):
        return ["comments"]

    def items(self, obj=None):
        # Each link names its page of comments: found for every item at once.
        comments = comment_pages(
            self.comments(obj).select_related("post", "page").order_by("-created_at", "-pk")[:FEED_SIZE]
        )
        # Each item shows its post's (or page's) title.
        surrogate.add_keys(
            self.request, *self.list_keys(obj), *(content_keys(c.content)[1] for c in comments)
        )
        return comments

    def item_title(self, item):
        return self.text(
            _("%(name)s on “%(title)s”") % {"name": item.author_name, "title": item.content.title}
        )

    def item_description(self, item):
        return item.body_html

    def item_link(self, item):
        return self.absolute(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.created_at

    def item_author_name(self, item):
        return item.author_name


class PostCommentsFeed(LatestCommentsFeed):
    """The comments of one post, or of one page that allows comments (the address is the same)."""

    def get_object(self, request, slug):
        content = Post.objects.published().filter(slug=slug).first()
        if content is None:
            content = Page.objects.published().filter(slug=slug, allow_comments=True).first()
        if content is None:
            raise Http404
        return content

    def title(self, obj=None):
        return self.text(_("Comments on “%(title)s”") % {"title": obj.title})

    def link(self, obj=None):
        return self.absolute(obj.get_absolute_url())

    def comments(self, obj):
        return Comment.objects.approved().filter(**on(obj))

    def list_keys(self, obj):
        return content_keys(obj)


LatestCommentsAtomFeed = atom(LatestCommentsFeed)
PostCommentsAtomFeed = atom(PostCommentsFeed)
