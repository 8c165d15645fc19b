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
