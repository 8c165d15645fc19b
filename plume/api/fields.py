from django.core.validators import ProhibitNullCharactersValidator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def absolute_uri(context, path):
    """`path` as an absolute URL for the request in a serializer's `context` (as is without one)."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


@extend_schema_field(OpenApiTypes.URI)
class AbsoluteURLField(serializers.ReadOnlyField):
    """A site address (its source gives a path, e.g. `get_absolute_url`) made absolute for the client."""

    def to_representation(self, value):
        if not value:
            return None  # only where declared allow_null (an author without an avatar)
        return absolute_uri(self.context, value)


class SlugRelatedField(serializers.SlugRelatedField):
    """
    DRF's, refusing what cannot be a slug with a 400 before any query: a value
    that is not a string (a list would become an SQL array), or one with a NUL
    character (PostgreSQL cannot compare text with it).
    """

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        ProhibitNullCharactersValidator()(data)
        return super().to_internal_value(data)
