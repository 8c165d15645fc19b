"""
Error responses for the whole site: HTML for readers, JSON under /api/.

Django turns any uncaught exception, in a view or a middleware, into a call to
`handler500`, so checking the exception there covers every path: a database
that cannot be reached becomes a 503 with Retry-After instead of a bare 500.
"""

import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 30


def error_body(*, status_code, code, detail, errors=None):
    """The one JSON shape of every error, API or not: see core.api.exceptions."""
    return {"status": status_code, "code": code, "detail": str(detail), "errors": errors or {}}


def wants_json(request):
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def error_response(request, *, status, code, message, template, headers=None, errors=None):
    if wants_json(request):
        response = JsonResponse(
            error_body(status_code=status, code=code, detail=message, errors=errors), status=status
        )
    else:
        # Rendered without a request context: no context processor may touch the database here.
        html = loader.get_template(template).render({"message": message, "status": status})
        response = HttpResponse(html, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def database_unavailable(request):
    return error_response(
        request,
        status=503,
        code="service_unavailable",
        message=_("The site is briefly unavailable. Please try again in a moment."),
        template="503.html",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def server_error(request):
    exception = sys.exc_info()[1]
    if isinstance(exception, OperationalError | InterfaceError) or (
        isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
    ):
        return database_unavailable(request)
    return error_response(
        request,
        status=500,
        code="server_error",
        message=_(
            "The server met an error while preparing this page. It has been recorded; "
            "please try again in a moment."
        ),
        template="500.html",
    )


def request_too_large(request):
    limit_kib = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
    return error_response(
        request,
        status=413,
        code="request_too_large",
        message=_("The request is too large (at most %(limit)s KiB).") % {"limit": limit_kib},
        template="413.html",
    )


def body_limit(request):
    """DATA_UPLOAD_MAX_MEMORY_SIZE; an image upload (multipart, to one of PLUME_UPLOAD_PATHS) may
    carry an image of PLUME_MEDIA_MAX_BYTES, and the upload's own check names that limit (a 400)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    is_upload = request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data") and any(
        request.path.startswith(prefix) for prefix in settings.PLUME_UPLOAD_PATHS
    )
    if is_upload:
        limit = max(limit, settings.PLUME_MEDIA_MAX_BYTES + 1024 * 1024)
    return limit


class RequestSizeLimitMiddleware:
    """Refuse a body larger than `body_limit()` with 413, for forms and JSON alike."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > body_limit(request):
            return request_too_large(request)
        return self.get_response(request)


def null_character_refused(request, fields):
    message = _("The address contains a NUL character (%00), which no page of this site accepts.")
    return error_response(
        request,
        status=400,
        code="invalid",
        message=message,
        template="400.html",
        errors={field: [message] for field in fields},
    )


def repeated_parameters_refused(request, names):
    message = _("Give this parameter once.")
    return error_response(
        request,
        status=400,
        code="invalid",
        message=_("A parameter of the address is given more than once."),
        template="400.html",
        errors={name: [message] for name in names},
    )


class AddressCheckMiddleware:
    """
    Refuse with 400 the addresses no view can answer sensibly.

    - A NUL character in the path or query string: no page, slug or search takes
      one, and PostgreSQL cannot even compare text with it (looked up as a slug or
      searched for, it would end in a 500). Bodies are left to the forms and
      serializers, which refuse it field by field.
    - Under /api/, a query parameter given twice: every API parameter takes one
      value, and silently using the last one would answer a question not asked.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fields = ["path"] if "\x00" in request.path_info else []
        if "%00" in request.META.get("QUERY_STRING", ""):
            fields += sorted(
                {name for name, values in request.GET.lists() if "\x00" in name or "\x00" in "".join(values)}
            )
        if fields:
            return null_character_refused(request, fields)
        if request.path_info.startswith("/api/"):
            repeated = sorted(name for name, values in request.GET.lists() if len(values) > 1)
            if repeated:
                return repeated_parameters_refused(request, repeated)
        return self.get_response(request)
