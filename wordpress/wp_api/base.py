"""
What every route of the WordPress-compatible API (`/wp-json/wp/v2/…`) shares.

Each route is an `Endpoint`: the rows anyone may read (`blog.selectors` for an
anonymous reader, approved comments), the arguments it takes, their filters and
orders, and a presenter from `serializers`. Lists and details run a fixed
number of queries whatever the page size, and anonymous answers are kept in the
API's response cache with their pagination headers.
"""

from math import ceil

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from blog.selectors import readable_pages, readable_posts
from core.api.caching import HttpCachingMixin

from . import ids, serializers
from .params import MAX_PER_PAGE, Arg, WpError, no_route, read


def anonymous_posts():
    return readable_posts(AnonymousUser())


def anonymous_pages():
    return readable_pages(AnonymousUser())


def collection_args(orderby, default_orderby, default_order):
    return {
        "context": Arg(
            "string", gettext_lazy("Scope under which the request is made."), "view", enum=("view", "embed")
        ),
        "page": Arg("integer", gettext_lazy("Current page of the collection."), 1, minimum=1),
        "per_page": Arg(
            "integer",
            gettext_lazy("Maximum number of items to be returned in result set."),
            10,
            minimum=1,
            maximum=MAX_PER_PAGE,
        ),
        "offset": Arg(
            "integer", gettext_lazy("Offset the result set by a specific number of items."), minimum=0
        ),
        "search": Arg("string", gettext_lazy("Limit results to those matching a string.")),
        "include": Arg("array", gettext_lazy("Limit result set to specific IDs."), (), items="integer"),
        "exclude": Arg(
            "array", gettext_lazy("Ensure result set excludes specific IDs."), (), items="integer"
        ),
        "order": Arg(
            "string",
            gettext_lazy("Order sort attribute ascending or descending."),
            default_order,
            enum=("asc", "desc"),
        ),
        "orderby": Arg(
            "string", gettext_lazy("Sort collection by attribute."), default_orderby, enum=tuple(orderby)
        ),
    }


def ids_arg(description):
    return Arg("array", description, (), items="integer")


def date_arg(description):
    return Arg("string", description, format="date-time")


class Endpoint(HttpCachingMixin, View):
    """One WordPress route and its `/<id>` detail."""

    route = ""
    kind = ""
    invalid_id = ("rest_post_invalid_id", gettext_lazy("Invalid post ID."))
    invalid_page = "rest_post_invalid_page_number"
    orderby = {}  # orderby value -> fields to sort by, ascending
    default_orderby, default_order = "date", "desc"
    extra_args = {}
    http_method_names = ["get", "head", "options"]
    cached_headers = ("X-WP-Total", "X-WP-TotalPages", "Link")

    @classmethod
    def arguments(cls):
        return {**collection_args(cls.orderby, cls.default_orderby, cls.default_order), **cls.extra_args}

    @property
    def cache_query_params(self):
        """What enters the response cache's key (core.api.caching): every argument the route reads,
        also in PHP's array form (`categories[]`)."""
        names = {*self.arguments(), "_embed", "_fields"}
        return names | {f"{name}[]" for name in names}

    # The route's rows and how they are presented

    def queryset(self):
        raise NotImplementedError

    def present(self, obj):
        raise NotImplementedError

    def filter(self, queryset, values):
        return queryset

    @staticmethod
    def search_and_slug(queryset, values, *names):
        """`search` in any of the `names` fields (containment, as WordPress's LIKE), `slug` exactly."""
        if values["search"]:
            queryset = queryset.filter(
                Q.create([(f"{name}__icontains", values["search"]) for name in names], connector=Q.OR)
            )
        if values["slug"]:
            queryset = queryset.filter(slug__in=values["slug"])
        return queryset

    def batch(self, objects):
        """Fetch what the page's objects need, in a fixed number of queries."""

    # Answering

    def http_method_not_allowed(self, request, *args, **kwargs):
        return no_route().response()

    def get(self, request, id=None):
        self.ctx = serializers.Context(request)
        try:
            if request.GET.get("context") == "edit":
                # What WordPress answers a visitor asking for the editing view: this API has none.
                raise WpError(
                    "rest_forbidden_context",
                    _("Sorry, you are not allowed to edit posts in this context."),
                    401,
                )
            values = read(request.GET, self.arguments() if id is None else self.detail_args())
            self.embed, self.fields = embed_and_fields(request.GET)
            if id is None:
                return self.list(values)
            return self.detail(int(id))
        except WpError as error:
            return error.response()

    @classmethod
    def detail_args(cls):
        return {"context": collection_args({}, "", "")["context"]}

    def list(self, values):
        queryset = self.filter(self.queryset(), values)
        queryset = self.filter_ids(queryset, values)
        queryset = self.order(queryset, values)
        total = queryset.count()
        start, end = self.window(values, total)
        objects = list(queryset[start:end]) if total else []
        self.batch(objects)
        return self.page_response([self.answer(obj) for obj in objects], values, total)

    def window(self, values, total):
        """The slice a page is (`offset` wins over `page`), once the page is known to exist."""
        per_page, page = values["per_page"], values["page"]
        if page > ceil(total / per_page) and total > 0:
            raise WpError(
                self.invalid_page,
                _("The page number requested is larger than the number of pages available."),
                400,
            )
        return self.bounds(values)

    @staticmethod
    def bounds(values):
        start = (
            values["offset"] if values["offset"] is not None else (values["page"] - 1) * values["per_page"]
        )
        return start, start + values["per_page"]

    def page_response(self, answers, values, total):
        """A page of the collection, with WordPress's totals and its `Link` to the pages around it."""
        page, pages = values["page"], ceil(total / values["per_page"])
        response = JsonResponse(answers, safe=False)
        response["X-WP-Total"] = total
        response["X-WP-TotalPages"] = pages
        links, query = [], self.request.GET.copy()
        for rel, number, exists in (
            ("prev", min(page - 1, pages), page > 1),
            ("next", page + 1, pages > page),
        ):
            if exists:
                query["page"] = number
                links.append(f'<{self.ctx.rest(f"wp/v2/{self.route}")}?{query.urlencode()}>; rel="{rel}"')
        if links:
            response["Link"] = ", ".join(links)
        return response

    def detail(self, api_id):
        obj = self.queryset().filter(ids.matching(self.kind, [api_id])).first()
        if obj is None:
            code, message = self.invalid_id
            raise WpError(code, str(message), 404)
        self.batch([obj])
        return JsonResponse(self.answer(obj))

    def filter_ids(self, queryset, values):
        if values["include"]:
            queryset = queryset.filter(ids.matching(self.kind, values["include"]))
        if values["exclude"]:
            queryset = queryset.exclude(ids.matching(self.kind, values["exclude"]))
        return queryset

    def order(self, queryset, values):
        orderby = values["orderby"]
        if orderby == "relevance":
            if not values.get("search"):
                raise WpError(
                    "rest_no_search_term_defined",
                    _("You need to define a search term to order by relevance."),
                    400,
                )
            return queryset  # search() ranked it
        if orderby == "include":
            if not values["include"]:
                raise WpError(
                    "rest_orderby_include_missing_include",
                    _("You need to define an include parameter to order by include."),
                    400,
                )
            api_id = ids.ordering(self.kind)
            position = Case(
                *(
                    When(Q(api_order=value), then=Value(index))
                    for index, value in enumerate(values["include"])
                ),
                output_field=IntegerField(),
            )
            return queryset.annotate(api_order=api_id).order_by(position)
        fields = self.orderby[orderby]
        if fields == ["api_id"]:
            queryset = queryset.annotate(api_id=ids.ordering(self.kind))
        descending = values["order"] == "desc"
        return queryset.order_by(*(F(name).desc() if descending else F(name).asc() for name in fields))

    def answer(self, obj):
        """The object's JSON: its fields (narrowed by `_fields`), `_links`, and `_embedded` when asked."""
        data, links, embedded = self.present(obj)
        answer = filter_fields(data, self.fields)
        if self.fields is None or "_links" in self.fields:
            answer["_links"] = links
        if self.embed is not None and (self.fields is None or "_embedded" in self.fields):
            included = {}
            for rel, make in embedded.items():
                if self.embed and rel not in self.embed:
                    continue
                value = make()
                if value is not None:
                    included[rel] = value
            if included:
                answer["_embedded"] = included
        return answer


def embed_and_fields(query):
    """`_embed` (None: no; empty: every link; else these rels) and `_fields` (None: all)."""
    embed = None
    if "_embed" in query:
        embed = {rel for value in query.getlist("_embed") for rel in value.split(",") if rel}
        embed -= {"1", "true"}
    fields = None
    if query.get("_fields"):
        fields = {
            name.strip() for value in query.getlist("_fields") for name in value.split(",") if name.strip()
        }
    return embed, fields


def filter_fields(data, fields):
    """WordPress's `_fields`: top-level names, or dotted paths into nested objects (`title.rendered`)."""
    if fields is None:
        return dict(data)
    kept = {}
    for path in fields:
        head, _dot, rest = path.partition(".")
        if head not in data:
            continue
        if not rest:
            kept[head] = data[head]
        elif isinstance(data[head], dict):
            nested = filter_fields(data[head], {rest})
            kept[head] = {**kept.get(head, {}), **nested} if isinstance(kept.get(head), dict) else nested
    return kept
