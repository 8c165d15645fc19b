from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.links import absolute_url


def absolute_uri(context, path):
    """`path` as an absolute URL for the request in a serializer's `context`."""
    return absolute_url(path, request=context.get("request"))


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


class StrictTextMixin:
    """
    JSON has types, and a length limit is on what is sent: text fields take strings only
    (DRF would store 12 as "12") and count the length before trimming spaces (DRF counts
    after), so a client learns of its mistake instead of having it silently fixed.
    """

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class CharField(StrictTextMixin, serializers.CharField):
    pass


class EmailField(StrictTextMixin, serializers.EmailField):
    pass


class SlugField(StrictTextMixin, serializers.SlugField):
    pass


class URLField(StrictTextMixin, serializers.URLField):
    pass


# For write ModelSerializers: model text fields become the strict fields above.
STRICT_FIELD_MAPPING = {
    **serializers.ModelSerializer.serializer_field_mapping,
    models.CharField: CharField,
    models.EmailField: EmailField,
    models.SlugField: SlugField,
    models.TextField: CharField,
    models.URLField: URLField,
}
