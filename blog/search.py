"""Search over posts and pages: one function, used by the search page and the API."""

from django.db.models import Q


def search(queryset, query):
    """Posts (or pages) matching `query`; a blank query matches nothing."""
    words = (query or "").split()
    if not words:
        return queryset.none()
    condition = Q()
    for word in words:
        condition &= Q(title__icontains=word) | Q(body__icontains=word)
    return queryset.filter(condition)
