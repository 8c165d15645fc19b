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
