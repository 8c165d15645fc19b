"""One JSON shape for every API error, so a frontend handles them all the same way.

    {"status": 404, "code": "not_found", "detail": "Not found.", "errors": {}}

`errors` maps a field name (or "non_field_errors") to its messages; it is empty
when the error is not about the submitted data.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import error_body


def _field_errors(detail):
    """DRF's nested error detail flattened to {field: [messages]}."""
    if isinstance(detail, dict):
        return {
            field: [str(message) for message in (messages if isinstance(messages, list) else [messages])]
            for field, messages in detail.items()
        }
    if isinstance(detail, list):
        return {"non_field_errors": [str(message) for message in detail]}
    return {"non_field_errors": [str(detail)]}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # Services raise Django's ValidationError; to the client it is bad input, not a crash.
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, Http404):
        # get_object_or_404's message names the model ("No Post matches…"), in English only.
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        # Not an API error: Django's handler500 (core.errors.server_error) answers in the
        # same JSON shape, with 503 when the database is unreachable, and logs it.
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = error_body(
            status_code=response.status_code,
            code="invalid",
            detail=_("Invalid input."),
            errors=_field_errors(exc.detail),
        )
    else:
        detail = getattr(exc, "detail", response.data.get("detail", ""))
        code = detail.code if hasattr(detail, "code") else getattr(exc, "default_code", "error")
        body = error_body(status_code=response.status_code, code=code, detail=detail)
    response.data = body
    return response
