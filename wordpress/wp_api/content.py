"""Posts, pages and media (each post's featured image) under /wp-json/wp/v2/."""

from django.db.models import F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blog.models import Category, Post
from comments.models import Comment, comment_pages

from . import ids, serializers
from .base import Endpoint, anonymous_pages, anonymous_posts, date_arg, ids_arg
from .params import Arg, WpError

REPLIES_EMBEDDED = 10  # WordPress embeds the first page of `replies`: its default per_page


class ContentEndpoint(Endpoint):
    orderby = {
        "author": ["author_id", "pk"],
        "date": ["published_at", "pk"],
        "id": ["api_id"],
        "include": [],
        "modified": ["updated_at", "pk"],
        "relevance": [],
        "slug": ["slug"],
        "title": ["title", "pk"],
    }
    content_args = {
        "after": date_arg(
            gettext_lazy("Limit response to posts published after a given ISO8601 compliant date.")
        ),
        "before": date_arg(
            gettext_lazy("Limit response to posts published before a given ISO8601 compliant date.")
        ),
        "modified_after": date_arg(
            gettext_lazy("Limit response to posts modified after a given ISO8601 compliant date.")
        ),
        "modified_before": date_arg(
            gettext_lazy("Limit response to posts modified before a given ISO8601 compliant date.")
        ),
        "author": ids_arg(gettext_lazy("Limit result set to posts assigned to specific authors.")),
        "author_exclude": ids_arg(
            gettext_lazy("Ensure result set excludes posts assigned to specific authors.")
        ),
        "slug": Arg(
            "array",
            gettext_lazy("Limit result set to posts with one or more specific slugs."),
            (),
            items="string",
        ),
        "status": Arg(
            "array",
            gettext_lazy("Limit result set to posts assigned one or more statuses."),
            ("publish",),
            items="string",
        ),
    }

    def filter(self, queryset, values):
        if any(status not in ("publish", "any") for status in values["status"]):
            raise WpError(
                "rest_invalid_param",
                _("Invalid parameter(s): %(names)s") % {"names": "status"},
                400,
                params={"status": _("Status is forbidden.")},
            )
        if values["search"]:
            queryset = queryset.search(values["search"])
        if values["slug"]:
            queryset = queryset.filter(slug__in=values["slug"])
        for name, lookup in (
            ("after", "published_at__gt"),
            ("before", "published_at__lt"),
            ("modified_after", "updated_at__gt"),
            ("modified_before", "updated_at__lt"),
        ):
            if values[name] is not None:
                queryset = queryset.filter(**{lookup: values[name]})
        if values["author"]:
            queryset = queryset.filter(ids.matching("user", values["author"], prefix="author__"))
        if values["author_exclude"]:
            queryset = queryset.exclude(ids.matching("user", values["author_exclude"], prefix="author__"))
        return queryset


class PostsEndpoint(ContentEndpoint):
    route, kind = "posts", "post"
    extra_args = {
        **ContentEndpoint.content_args,
        "categories": ids_arg(
            gettext_lazy("Limit result set to items with specific terms assigned in the categories taxonomy.")
        ),
        "categories_exclude": ids_arg(
            gettext_lazy(
                "Limit result set to items except those with specific terms in the categories taxonomy."
            )
        ),
        "tags": ids_arg(
            gettext_lazy("Limit result set to items with specific terms assigned in the tags taxonomy.")
        ),
        "tags_exclude": ids_arg(
            gettext_lazy(
                "Limit result set to items except those with specific terms assigned in the tags taxonomy."
            )
        ),
        "sticky": Arg("boolean", gettext_lazy("Limit result set to items that are sticky.")),
    }

    def queryset(self):
        # for_listing()'s relations, with each category's parent (its id is in the term's JSON).
        return (
            anonymous_posts()
            .select_related("author", "author__user")
            .prefetch_related(Prefetch("categories", Category.objects.select_related("parent")), "tags")
        )

    def filter(self, queryset, values):
        queryset = super().filter(queryset, values)
        for name, kind, through, column in (
            ("categories", "category", Post.categories.through, "category"),
            ("tags", "tag", Post.tags.through, "tag"),
        ):
            for suffix in ("", "_exclude"):
                wanted = values[name + suffix]
                if wanted:
                    rows = through.objects.filter(ids.matching(kind, wanted, prefix=f"{column}__"))
                    condition = Q(pk__in=rows.values("post_id"))
                    queryset = queryset.exclude(condition) if suffix else queryset.filter(condition)
        if values["sticky"] is not None:
            queryset = queryset.filter(sticky=values["sticky"])
        return queryset

    def batch(self, objects):
        if self.embed is not None and (not self.embed or "replies" in self.embed):
            self.ctx.replies = latest_replies(objects)

    def present(self, obj):
        return serializers.post(obj, self.ctx)


def latest_replies(posts):
    """The first page of each post's approved comments (newest first), in one query."""
    replies = {post.pk: [] for post in posts}
    rank = Window(RowNumber(), partition_by=[F("post_id")], order_by=[F("created_at").desc(), F("pk").desc()])
    rows = (
        Comment.objects.approved()
        .filter(post__in=[post.pk for post in posts], kind=Comment.Kind.COMMENT)
        .select_related("user__author", "parent")
        .annotate(rank=rank)
        .filter(rank__lte=REPLIES_EMBEDDED)
        .order_by("post_id", "rank")
    )
    by_pk = {post.pk: post for post in posts}
    for comment in rows:
        comment.post = by_pk[comment.post_id]
        replies[comment.post_id].append(comment)
    # Each reply's `link` names its page of comments: found for all of them at once.
    comment_pages([comment for thread in replies.values() for comment in thread])
    return replies


class PagesEndpoint(ContentEndpoint):
    route, kind = "pages", "page"
    orderby = {**ContentEndpoint.orderby, "menu_order": ["menu_order", "title"]}
    extra_args = {
        **ContentEndpoint.content_args,
        "parent": ids_arg(gettext_lazy("Limit result set to items with particular parent IDs.")),
        "menu_order": Arg(
            "integer", gettext_lazy("Limit result set to posts with a specific menu_order value.")
        ),
    }

    def queryset(self):
        return anonymous_pages().select_related("author")

    def filter(self, queryset, values):
        queryset = super().filter(queryset, values)
        if values["parent"] and 0 not in values["parent"]:
            queryset = queryset.none()  # Plume's pages have no parent
        if values["menu_order"] is not None:
            queryset = queryset.filter(menu_order=values["menu_order"])
        return queryset

    def present(self, obj):
        return serializers.page(obj, self.ctx)


class MediaEndpoint(ContentEndpoint):
    route, kind = "media", "media"
    orderby = {key: value for key, value in ContentEndpoint.orderby.items() if key != "relevance"}
    extra_args = {
        "author": ContentEndpoint.content_args["author"],
        "slug": ContentEndpoint.content_args["slug"],
        "status": Arg(
            "array",
            gettext_lazy("Limit result set to posts assigned one or more statuses."),
            ("inherit",),
            items="string",
        ),
        "parent": ids_arg(gettext_lazy("Limit result set to items with particular parent IDs.")),
        "media_type": Arg(
            "string",
            gettext_lazy("Limit result set to attachments of a particular media type."),
            enum=("image", "video", "text", "application", "audio"),
        ),
        "mime_type": Arg(
            "string", gettext_lazy("Limit result set to attachments of a particular MIME type.")
        ),
    }

    def queryset(self):
        with_image = ~Q(featured_image="") | ~Q(featured_image_url="") | Q(featured_media__isnull=False)
        return anonymous_posts().filter(with_image).select_related("author", "featured_media")

    def filter(self, queryset, values):
        if values["search"]:
            queryset = queryset.filter(
                Q(title__icontains=values["search"]) | Q(featured_image_alt__icontains=values["search"])
            )
        if values["author"]:
            queryset = queryset.filter(ids.matching("user", values["author"], prefix="author__"))
        if values["parent"]:
            queryset = queryset.filter(ids.matching("post", values["parent"]))
        if values["media_type"] not in (None, "image") or values["slug"] or values["mime_type"]:
            # Every media item is an image, slugged and typed from its file name: filtered in memory.
            kept = [post.pk for post in queryset if self.matches(post, values)]
            queryset = queryset.filter(pk__in=kept)
        return queryset

    def matches(self, post, values):
        if values["media_type"] not in (None, "image"):
            return False
        data, _links, _embedded = self.present(post)
        return (not values["slug"] or data["slug"] in values["slug"]) and (
            not values["mime_type"] or data["mime_type"] == values["mime_type"]
        )

    def present(self, obj):
        return serializers.media(obj, self.ctx)
