"""Categories and tags under /wp-json/wp/v2/."""

from django.utils.translation import gettext_lazy

from blog.models import Category, Tag
from blog.selectors import with_published_post_counts

from . import ids, serializers
from .base import Endpoint, anonymous_posts
from .params import Arg


class TermsEndpoint(Endpoint):
    invalid_id = ("rest_term_invalid", gettext_lazy("Term does not exist."))
    invalid_page = "rest_term_invalid_page_number"
    orderby = {
        "id": ["api_id"],
        "include": [],
        "name": ["name", "pk"],
        "slug": ["slug"],
        "description": ["description", "pk"],
        "count": ["post_count", "pk"],
    }
    default_orderby, default_order = "name", "asc"
    model = Category

    @classmethod
    def term_args(cls):
        return {
            "hide_empty": Arg(
                "boolean", gettext_lazy("Whether to hide terms not assigned to any posts."), False
            ),
            "post": Arg(
                "integer", gettext_lazy("Limit result set to terms assigned to a specific post."), minimum=0
            ),
            "slug": Arg(
                "array",
                gettext_lazy("Limit result set to terms with one or more specific slugs."),
                (),
                items="string",
            ),
        }

    @classmethod
    def arguments(cls):
        return {**super().arguments(), **cls.term_args(), **cls.extra_args}

    def queryset(self):
        relation = "categories" if self.kind == "category" else "tags"
        queryset = with_published_post_counts(self.model.objects.all(), relation)
        return queryset.select_related("parent") if self.kind == "category" else queryset

    def filter(self, queryset, values):
        queryset = self.search_and_slug(queryset, values, "name", "slug")
        if values["hide_empty"]:
            queryset = queryset.filter(post_count__gt=0)
        if values["post"] is not None:
            posts = anonymous_posts().filter(ids.matching("post", [values["post"]]))
            queryset = queryset.filter(posts__in=posts)
        return queryset

    def present(self, obj):
        return serializers.term(obj, self.ctx, self.kind)


class CategoriesEndpoint(TermsEndpoint):
    route, kind = "categories", "category"
    extra_args = {
        "parent": Arg(
            "integer", gettext_lazy("Limit result set to terms assigned to a specific parent."), minimum=0
        )
    }

    def filter(self, queryset, values):
        queryset = super().filter(queryset, values)
        if values["parent"] == 0:
            queryset = queryset.filter(parent__isnull=True)
        elif values["parent"] is not None:
            queryset = queryset.filter(ids.matching("category", [values["parent"]], prefix="parent__"))
        return queryset


class TagsEndpoint(TermsEndpoint):
    route, kind = "tags", "tag"
    model = Tag
