"""OpenAPI: every operation documents the errors it can answer with.

drf-spectacular documents success responses only; a client (and schemathesis)
needs the error ones too, all in the one shape of `core.api.exceptions`.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import permissions, serializers

from . import shaping
from .caching import HttpCachingMixin

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "status": serializers.IntegerField(help_text=_("The HTTP status code.")),
        "code": serializers.CharField(help_text=_("A stable machine-readable code, e.g. not_found.")),
        "detail": serializers.CharField(help_text=_("A human-readable message, in the request’s language.")),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text=_("Messages per field (or non_field_errors) for invalid input; empty otherwise."),
        ),
    },
)

ERROR_DESCRIPTIONS = {
    "400": _("Invalid input: see `errors` for the message of each field or query parameter."),
    "401": _("Invalid or expired credentials (a wrong token or session)."),
    "403": _("Not allowed for these credentials."),
    "404": _("No such object, or not visible to you (drafts and scheduled posts), or no such page."),
    "415": _("The body must be JSON (Content-Type: application/json)."),
    "429": _("Too many requests: retry after the number of seconds in the Retry-After header."),
}


def error_response(code, description=None):
    return OpenApiResponse(ErrorSerializer, description=description or ERROR_DESCRIPTIONS[code])


class PlumeAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(error_response(code), code)
        if self.method == "GET" and isinstance(self.view, HttpCachingMixin) and "304" not in responses:
            responses["304"] = {
                "description": str(_("Not modified: the ETag or date you sent still matches."))
            }
        return dict(sorted(responses.items()))

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        view = self.view
        if isinstance(view, shaping.ShapedResponseMixin) and view.is_shaped(
            self.method, getattr(view, "action", None)
        ):
            parameters.extend(self._shaping_parameters())
        return parameters

    def _shaping_parameters(self):
        serializer = self.view.get_shaped_serializer_class()(context={"request": None})
        parameters = [
            OpenApiParameter(
                shaping.FIELDS_PARAM,
                OpenApiTypes.STR,
                description=_(
                    "Comma-separated fields to return (of each result in a list), dotted to reach into "
                    "a nested object (author.name). Available: %(paths)s."
                )
                % {"paths": ", ".join(shaping.field_paths(serializer))},
            )
        ]
        expandable = shaping.expandable_names(serializer)
        if expandable:
            parameters.append(
                OpenApiParameter(
                    shaping.EXPAND_PARAM,
                    OpenApiTypes.STR,
                    description=_(
                        "Comma-separated related objects to embed whole, as their own endpoint gives "
                        "them, instead of the summary given by default: %(names)s."
                    )
                    % {"names": ", ".join(expandable)},
                )
            )
        return parameters

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        if isinstance(field, serializers.SlugField) and field.allow_unicode:
            # The copied pattern, ^[-\w]+$, means letters of every script to Python but ASCII
            # letters only to JSON Schema: it would call the slug of a Greek title invalid.
            schema.pop("pattern", None)
            if "oneOf" in schema:
                # drf-spectacular added "or blank" because of the pattern alone: undo it.
                schema.update(schema.pop("oneOf")[0])
                schema.pop("pattern", None)

    def _get_filter_parameters(self):
        # An empty filter (`?status=`, as an HTML form sends it) means "no filter": documented,
        # so that clients (and schemathesis) know it is accepted rather than refused.
        parameters = super()._get_filter_parameters()
        for parameter in parameters:
            if parameter.get("in") == "query":
                parameter["allowEmptyValue"] = True
        return parameters

    def _error_codes(self):
        # Any request may carry a bad token, be throttled, or (lists: ?page=) ask for a missing
        # page; and any address may hold a NUL character (core.errors.AddressCheckMiddleware).
        codes = ["400", "401", "404", "429"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append("415")
        # Reads are open to all unless a view says otherwise (moderation).
        if self.method not in permissions.SAFE_METHODS or getattr(self.view, "reads_need_permission", False):
            codes.append("403")
        return codes


# A NUL character is refused in any address (core.errors.AddressCheckMiddleware): say so in
# the schema, so that clients and fuzzers know such a value is invalid rather than accepted.
WITHOUT_NUL = "^[^\x00]*$"


def forbid_nul_in_addresses(result, generator, request, public):
    """drf-spectacular postprocessing hook: free-text path and query parameters exclude NUL."""
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                schema = parameter.get("schema", {})
                free_text = schema.get("type") == "string" and not {"enum", "format", "pattern"} & set(schema)
                if parameter.get("in") in ("path", "query") and free_text:
                    schema["pattern"] = WITHOUT_NUL
    return result
