"""`/wp-json/` and `/wp-json/wp/v2`: the routes described as WordPress's REST index describes them."""

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View

from core.api.caching import HttpCachingMixin

from . import serializers
from .base import Endpoint
from .comments import CommentsEndpoint
from .content import MediaEndpoint, PagesEndpoint, PostsEndpoint
from .params import no_route
from .search import SearchEndpoint
from .terms import CategoriesEndpoint, TagsEndpoint
from .users import UsersEndpoint

NAMESPACE = "wp/v2"
ENDPOINTS = (
    PostsEndpoint, PagesEndpoint, MediaEndpoint, CategoriesEndpoint, TagsEndpoint, UsersEndpoint,
    CommentsEndpoint, SearchEndpoint,
)  # fmt: skip
ID_ARG = {
    "description": gettext_lazy("Unique identifier for the object."),
    "type": "integer",
    "required": False,
}


def route(ctx, namespace, args, path=None):
    data = {"namespace": namespace, "methods": ["GET"], "endpoints": [{"methods": ["GET"], "args": args}]}
    if path is not None:
        data["_links"] = {"self": serializers.link(ctx.rest(path))}
    return data


def routes(ctx, *, root=True):
    context = {"context": Endpoint.detail_args()["context"].describe()}
    found = {}
    if root:
        found["/"] = route(ctx, "", context, "")
    found[f"/{NAMESPACE}"] = route(
        ctx, NAMESPACE, {"namespace": {"default": NAMESPACE, "required": False}, **context}, NAMESPACE
    )
    for endpoint in ENDPOINTS:
        base = f"{NAMESPACE}/{endpoint.route}"
        args = {name: arg.describe() for name, arg in endpoint.arguments().items()}
        found[f"/{base}"] = route(ctx, NAMESPACE, args, base)
        if endpoint is not SearchEndpoint:
            found[f"/{base}/(?P<id>[\\d]+)"] = route(ctx, NAMESPACE, {"id": ID_ARG, **context})
    return found


class IndexView(HttpCachingMixin, View):
    http_method_names = ["get", "head", "options"]

    def http_method_not_allowed(self, request, *args, **kwargs):
        return no_route().response()

    def get(self, request):
        ctx = serializers.Context(request)
        home = ctx.absolute("/")
        return JsonResponse(
            {
                "name": settings.PLUME_SITE_NAME,
                "description": settings.PLUME_SITE_DESCRIPTION,
                "url": home,
                "home": home,
                "gmt_offset": gmt_offset(),
                "timezone_string": settings.TIME_ZONE,
                "namespaces": [NAMESPACE],
                "authentication": {},
                "routes": routes(ctx),
                "_links": {"help": [{"href": "https://developer.wordpress.org/rest-api/"}]},
            }
        )


class NamespaceView(IndexView):
    def get(self, request):
        ctx = serializers.Context(request)
        return JsonResponse(
            {
                "namespace": NAMESPACE,
                "routes": routes(ctx, root=False),
                "_links": {"up": serializers.link(ctx.rest(""))},
            }
        )


def gmt_offset():
    offset = timezone.localtime().utcoffset()
    hours = offset.total_seconds() / 3600 if offset else 0
    return int(hours) if hours == int(hours) else hours


def not_found(request, *args, **kwargs):
    return no_route().response()
