import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import fields
from django_filters import rest_framework as django_filters
from rest_framework import filters


class OrderingFilter(filters.OrderingFilter):
    """DRF's ordering with the primary key as a last tie-break, so pages never overlap."""

    def get_default_ordering(self, view):
        yields_to = getattr(view, "ordering_yields_to", None)
        if yields_to and view.request.query_params.get(yields_to):
            return None
        return super().get_default_ordering(view)

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering:
            return ordering
        if not any(field.lstrip("-") in ("pk", "id") for field in ordering):
            ordering = [*ordering, "-pk" if ordering[-1].startswith("-") else "pk"]
        return ordering


class IsoDateTimeField(fields.IsoDateTimeField):
    """django-filter's, refusing a date-time with no UTC equivalent (0001-01-01T00:00+14:00 is in year 0)."""

    def to_python(self, value):
        value = super().to_python(value)
        try:
            if value is not None:
                value.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError(
                _("Give a date-time between the years 1 and 9999."), code="invalid"
            ) from None
        return value


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = IsoDateTimeField
