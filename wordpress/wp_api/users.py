"""Users (Plume's authors with published content) under /wp-json/wp/v2/."""

from django.db.models import Q
from django.utils.translation import gettext_lazy

from authors.models import Author

from . import serializers
from .base import Endpoint, anonymous_pages, anonymous_posts
from .params import Arg


class UsersEndpoint(Endpoint):
    route, kind = "users", "user"
    invalid_id = ("rest_user_invalid_id", gettext_lazy("Invalid user ID."))
    invalid_page = "rest_user_invalid_page_number"
    orderby = {
        "id": ["api_id"],
        "include": [],
        "name": ["display_name", "pk"],
        "registered_date": ["user__date_joined", "pk"],
        "slug": ["slug"],
        "url": ["website", "pk"],
    }
    default_orderby, default_order = "name", "asc"
    extra_args = {
        "slug": Arg("array", gettext_lazy("Limit result set to users with one or more specific slugs."),
                    (), items="string"),
    }  # fmt: skip

    def queryset(self):
        # As WordPress shows a visitor: the people with published content, nobody else.
        published = Q(pk__in=anonymous_posts().values("author_id")) | Q(
            pk__in=anonymous_pages().values("author_id")
        )
        return Author.objects.filter(published)

    def filter(self, queryset, values):
        queryset = self.search_and_slug(queryset, values, "display_name", "slug")
        return queryset

    def present(self, obj):
        return serializers.user(obj, self.ctx)
