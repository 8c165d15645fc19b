"""
Conditional writes to a post: `If-Match` with the post's ETag, so an API client
never overwrites a save it has not seen.

A post's ETag (GET, and every write's answer) starts with its version
(blog.versions): `"<version>-<hash of the body>"` on a GET, `"<version>"` on a
write. If-Match compares the version only, so a new comment or a neighbour's
change (which change the body) does not refuse a write; the edit of the post does.

PUT and PATCH require If-Match (428 Precondition Required without it: writing
blind would silently overwrite the last save); submit, send-back and restore
honour it when sent. A stale one is a 412 Precondition Failed, whose ETag header
is the current version. `If-Match: *` writes whatever the version.
"""

import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status

from core.api.schema import error_response

from ..versions import StaleVersion, version_of

ANY = object()
VERSION = re.compile(r'^(?:W/)?"(\d+)(?:-[^"]*)?"$')


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "The post changed since the version your If-Match names: read it again (its ETag) and "
        "write your change on the current version."
    )
    default_code = "precondition_failed"


class Stale(PreconditionFailed):
    """A write refused because the post changed: the answer's ETag names the current version."""

    def __init__(self, current_etag):
        super().__init__()
        self.current_etag = current_etag


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _(
        "Send If-Match with the post's ETag (from GET), so that you never overwrite a save you have not seen."
    )
    default_code = "precondition_required"


def etag(obj):
    """The ETag a write's answer carries: the version alone."""
    return f'"{version_of(obj)}"'


def expected_version(request, obj, *, required):
    """
    The version to pass to the update service (None: no condition), from If-Match.
    PreconditionRequired when `required` and there is none; PreconditionFailed when
    none of its ETags names a version (a malformed one cannot match).
    """
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        if required:
            raise PreconditionRequired()
        return None
    if header.strip() == "*":
        return None
    versions = [match.group(1) for tag in header.split(",") if (match := VERSION.match(tag.strip()))]
    if not versions:
        raise PreconditionFailed()
    current = version_of(obj)
    # Several ETags: the service checks the current one if listed (under its lock), else the first.
    return current if current in versions else versions[0]


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The post's ETag from GET (or from the last write's answer); `*` for any version.",
)


def if_match(required):
    """The schema's parameters and error answers for a conditional write."""
    parameter = OpenApiParameter(
        IF_MATCH.name, IF_MATCH.type, IF_MATCH.location, required=required, description=IF_MATCH.description
    )
    responses = {
        412: error_response("412", "Precondition failed: the post changed since the ETag you sent."),
    }
    if required:
        responses[428] = error_response("428", "Precondition required: this write needs If-Match.")
    return [parameter], responses


class ConditionalWrites:
    """For a viewset whose writes take If-Match: a stale one is a 412 naming the current version."""

    def _conditionally(self, write, *args, **kwargs):
        """Run `write`; a StaleVersion is a 412 that names the current version in its ETag."""
        try:
            return write(*args, **kwargs)
        except StaleVersion as stale:
            raise Stale(etag(stale.obj)) from None

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if isinstance(exc, Stale):
            response["ETag"] = exc.current_etag
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        # The ETag starts with the object's version (core.api.caching), for If-Match.
        response.etag_version = getattr(self, "_retrieved_version", None)
        return response

    def get_object(self):
        obj = super().get_object()
        self._retrieved_version = version_of(obj)
        return obj
