"""
Headless preview: a preview link's token (blog.previews) opens its post or page
through the API, as `?preview=<token>` or the `X-Plume-Preview` header, in the
detail's usual shape. Such an answer is the token holder's alone: never cached
(`Cache-Control: private, no-store`), never with surrogate keys, never indexed.
"""

from django.utils.cache import patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from ..previews import active_link

PREVIEW_PARAM = "preview"
PREVIEW_HEADER = "X-Plume-Preview"
PREVIEW_DESCRIPTION = (
    "A preview link's token: the draft, scheduled post or unpublished page it was made for "
    "answers to anyone who has it, until the link expires or is revoked. Such answers are "
    "`Cache-Control: private, no-store` and `X-Robots-Tag: noindex`. A token that is expired, "
    "revoked or made for another post is ignored (the usual rules answer, a 404 for a draft)."
)
PREVIEW_PARAMETERS = [
    OpenApiParameter(
        PREVIEW_PARAM, OpenApiTypes.STR, OpenApiParameter.QUERY, description=PREVIEW_DESCRIPTION
    ),
    OpenApiParameter(
        PREVIEW_HEADER,
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description=f"The same token as `?{PREVIEW_PARAM}=`, kept out of the address.",
    ),
]


def preview_token(request):
    request = getattr(request, "_request", request)
    return request.GET.get(PREVIEW_PARAM) or request.META.get("HTTP_X_PLUME_PREVIEW", "")


class PreviewTokenMixin:
    """For a detail addressed by slug: `preview_kind` ("post" or "page") and `preview_queryset()`."""

    preview_kind = "post"
    # Read by the view itself (core.api.caching); its answers are never cached anyway.
    cache_query_params = (PREVIEW_PARAM,)

    def preview_queryset(self):
        raise NotImplementedError

    def shares_answer(self, request):
        return not preview_token(request) and super().shares_answer(request)

    def get_object(self):
        token = preview_token(self.request)
        link = active_link(token) if token and self.action == "retrieve" else None
        target = getattr(link, self.preview_kind, None) if link else None
        if target is None or target.slug != self.kwargs[self.lookup_field]:
            return super().get_object()
        # Not through super(): no surrogate key may name this answer.
        obj = self.preview_queryset().get(pk=target.pk)
        self.check_object_permissions(self.request, obj)
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.action == "retrieve":
            patch_vary_headers(response, [PREVIEW_HEADER])
            if preview_token(request):
                response["X-Robots-Tag"] = "noindex, nofollow"
        return response
