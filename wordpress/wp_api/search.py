"""`/wp-json/wp/v2/search`: posts and pages (or categories and tags) in one list, as WordPress's search."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blog.models import Category, Tag

from . import ids, serializers
from .base import Endpoint, anonymous_pages, anonymous_posts, filter_fields
from .params import Arg, WpError, no_route

# subtype -> (rows anyone may read, route, id kind, URL name)
SOURCES = {
    "post": {
        "post": (anonymous_posts, "posts", "post", "blog:detail"),
        "page": (anonymous_pages, "pages", "page", "blog:detail"),
    },
    "term": {
        "category": (Category.objects.all, "categories", "category", "blog:category"),
        "post_tag": (Tag.objects.all, "tags", "tag", "blog:tag"),
    },
}


class SearchEndpoint(Endpoint):
    route = "search"
    invalid_page = "rest_search_invalid_page_number"
    extra_args = {
        "type": Arg(
            "string", gettext_lazy("Limit results to items of an object type."), "post", enum=tuple(SOURCES)
        ),
        "subtype": Arg(
            "array",
            gettext_lazy("Limit results to items of one or more object subtypes."),
            ("any",),
            items="string",
        ),
    }

    @classmethod
    def arguments(cls):
        args = {**super().arguments(), **cls.extra_args}
        del args["orderby"], args["order"]
        return args

    def list(self, values):
        """
        Each subtype's matches, newest first (terms: by name), merged: at most a page
        more than the requested window is read from each, so the cost stays bounded.
        """
        sources = SOURCES[values["type"]]
        subtypes = set(values["subtype"]) - {"any"}
        if subtypes - set(sources):
            message = _("%(name)s is not one of %(choices)s.") % {
                "name": "subtype",
                "choices": ", ".join([*sources, "any"]),
            }
            raise WpError(
                "rest_invalid_param",
                _("Invalid parameter(s): %(names)s") % {"names": "subtype"},
                400,
                params={"subtype": message},
            )
        is_content = values["type"] == "post"
        order = ("-published_at", "-pk") if is_content else ("name", "pk")
        found, total = [], 0
        for subtype, (rows, route, kind, url_name) in sources.items():
            if subtypes and subtype not in subtypes:
                continue
            queryset = rows()
            if values["search"]:
                search = values["search"]
                queryset = queryset.search(search) if is_content else queryset.filter(name__icontains=search)
            if values["include"]:
                queryset = queryset.filter(ids.matching(kind, values["include"]))
            if values["exclude"]:
                queryset = queryset.exclude(ids.matching(kind, values["exclude"]))
            total += queryset.count()
            _start, end = self.bounds(values)
            title = "title" if is_content else "name"
            columns = ["pk", "wordpress_id", title, "slug", order[0].lstrip("-")]
            for row in queryset.order_by(*order).values_list(*columns)[:end]:
                found.append((subtype, route, kind, url_name, row))
        found.sort(key=lambda item: item[4][4], reverse=is_content)
        start, end = self.window(values, total)
        answers = [self.answer_row(values["type"], *item) for item in found[start:end]]
        return self.page_response(answers, values, total)

    def answer_row(self, kind_name, subtype, route, kind, url_name, row):
        pk, wordpress_id, title, slug, _order = row
        api_id = ids.wp_id(kind, wordpress_id, pk)
        data = {
            "id": api_id,
            "title": title,
            "url": self.ctx.absolute(reverse(url_name, kwargs={"slug": slug})),
            "type": kind_name,
            "subtype": subtype,
        }
        answer = filter_fields(data, self.fields)
        if self.fields is None or "_links" in self.fields:
            answer["_links"] = {
                "self": serializers.link(self.ctx.rest(f"wp/v2/{route}/{api_id}"), embeddable=True),
                "about": serializers.link(self.ctx.rest(f"wp/v2/{route}")),
            }
        return answer

    def detail(self, api_id):
        raise no_route()
