"""Search over posts and pages: one function, used by the search page and the API.

On PostgreSQL it is full-text search in French that ignores accents and stems
words ("competition" finds "compétition", "régulations" finds "régulation"),
through the `plume_french` configuration created by migration
`blog/0002_post_search`. Matches are ranked title first, then summary, then
body: the weighted document is stored in `search_vector` by a trigger
(migration `blog/0003_search_vector`), and its GIN index serves the query.

Elsewhere (SQLite, for `make run`) every word must appear in the title, the
summary or the body, and matches are ranked the same way, more simply.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, Q, Value, When

SEARCH_CONFIG = "plume_french"
# (field, full-text weight, containment score), most important first; the weights are
# those of the trigger of migration 0003.
WEIGHTED_FIELDS = [("title", "A", 4), ("summary", "B", 2), ("body", "C", 1)]


def search(queryset, query):
    """Posts (or pages) matching `query`, best match first; a blank query matches nothing."""
    query = (query or "").strip()
    if not query:
        return queryset.none()
    fields = [item for item in WEIGHTED_FIELDS if _has_field(queryset.model, item[0])]
    if connection.vendor == "postgresql":
        return _full_text(queryset, query)
    return _containment(queryset, query, fields)


def _full_text(queryset, query):
    terms = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    return (
        queryset.filter(search_vector=terms)
        .annotate(search_rank=SearchRank(F("search_vector"), terms))
        .order_by("-search_rank", "-published_at", "-pk")
    )


def _containment(queryset, query, fields):
    condition = Q()
    for word in query.split():
        condition &= Q.create([(f"{name}__icontains", word) for name, _w, _s in fields], connector=Q.OR)
    score = sum(
        (
            Case(When(**{f"{name}__icontains": word}, then=Value(points)), default=Value(0))
            for word in query.split()
            for name, _weight, points in fields
        ),
        start=Value(0),
    )
    return (
        queryset.filter(condition)
        .annotate(search_rank=score)
        .order_by("-search_rank", "-published_at", "-pk")
    )


def _has_field(model, name):
    return any(field.name == name for field in model._meta.get_fields())
