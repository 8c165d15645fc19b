"""Approved comments on public posts and pages under /wp-json/wp/v2/: never an e-mail address or an IP."""

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blog.models import Category
from comments.models import Comment, comment_pages

from . import ids, serializers
from .base import Endpoint, anonymous_pages, anonymous_posts, date_arg, ids_arg
from .params import Arg, WpError


class CommentsEndpoint(Endpoint):
    route, kind = "comments", "comment"
    invalid_id = ("rest_comment_invalid_id", gettext_lazy("Invalid comment ID."))
    invalid_page = "rest_comment_invalid_page_number"
    orderby = {
        "date": ["created_at", "pk"],
        "date_gmt": ["created_at", "pk"],
        "id": ["api_id"],
        "include": [],
        "post": ["post_id", "created_at", "pk"],
        "parent": ["parent_id", "created_at", "pk"],
        "type": ["kind", "created_at", "pk"],
    }
    default_orderby, default_order = "date_gmt", "desc"
    extra_args = {
        "after": date_arg(
            gettext_lazy("Limit response to comments published after a given ISO8601 compliant date.")
        ),
        "before": date_arg(
            gettext_lazy("Limit response to comments published before a given ISO8601 compliant date.")
        ),
        "author": ids_arg(gettext_lazy("Limit result set to comments assigned to specific user IDs.")),
        "post": ids_arg(gettext_lazy("Limit result set to comments assigned to specific post IDs.")),
        "parent": ids_arg(gettext_lazy("Limit result set to comments of specific parent IDs.")),
        "parent_exclude": ids_arg(gettext_lazy("Ensure result set excludes specific parent IDs.")),
        "status": Arg(
            "string", gettext_lazy("Limit result set to comments assigned a specific status."), "approve"
        ),
        "type": Arg(
            "string", gettext_lazy("Limit result set to comments assigned a specific type."), "comment"
        ),
    }

    def queryset(self):
        queryset = Comment.objects.approved().filter(
            Q(post__in=anonymous_posts()) | Q(page__in=anonymous_pages())
        )
        # The parent's own parent and commenter: their ids are in the embedded parent.
        queryset = queryset.select_related(
            "post",
            "post__author",
            "page",
            "page__author",
            "user__author",
            "parent",
            "parent__parent",
            "parent__user__author",
        )
        if self.embed is not None:
            categories = Category.objects.select_related("parent")
            queryset = queryset.prefetch_related(Prefetch("post__categories", categories), "post__tags")
        return queryset

    def filter(self, queryset, values):
        if values["status"] not in ("approve", "approved"):
            raise WpError(
                "rest_forbidden_param", _("Query parameter not permitted: %(name)s") % {"name": "status"}, 401
            )
        queryset = queryset.filter(kind=values["type"]) if values["type"] != "all" else queryset
        if values["search"]:
            queryset = queryset.filter(
                Q(body__icontains=values["search"]) | Q(author_name__icontains=values["search"])
            )
        if values["post"]:
            # WordPress numbers pages among posts: `post` names either.
            queryset = queryset.filter(
                ids.matching("post", values["post"], prefix="post__")
                | ids.matching("page", values["post"], prefix="page__")
            )
        for name in ("parent", "parent_exclude"):
            wanted = values[name]
            if wanted:
                condition = ids.matching("comment", wanted, prefix="parent__")
                if 0 in wanted:
                    condition |= Q(parent__isnull=True)
                queryset = (
                    queryset.exclude(condition) if name == "parent_exclude" else queryset.filter(condition)
                )
        if values["author"]:
            queryset = queryset.filter(ids.matching("user", values["author"], prefix="user__author__"))
        if values["after"] is not None:
            queryset = queryset.filter(created_at__gt=values["after"])
        if values["before"] is not None:
            queryset = queryset.filter(created_at__lt=values["before"])
        return queryset

    def batch(self, objects):
        # Each `link` (and an embedded parent's) names its page of comments: found for all at once.
        comment_pages([*objects, *(comment.parent for comment in objects if comment.parent_id)])
        for comment in objects:
            if comment.parent_id:
                comment.parent.post, comment.parent.page = comment.post, comment.page
        if self.embed is not None:
            # The post a comment answers, embedded with its own replies left out.
            self.ctx.replies = {comment.post_id: [] for comment in objects if comment.post_id}

    def present(self, obj):
        return serializers.comment(obj, self.ctx)
