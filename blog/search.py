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

from contextlib import contextmanager

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, Q, Value, When

from core.bulk import BULK_LOAD_SETTINGS

SEARCH_CONFIG = "plume_french"
# (field, full-text weight, containment score), most important first; the weights are
# those of the trigger of migration 0003.
WEIGHTED_FIELDS = [("title", "A", 4), ("summary", "B", 2), ("body", "C", 1)]
CONTAINMENT_MAX_WORDS = 20
CONTAINMENT_MAX_WORD_LENGTH = 100


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
    # SQLite refuses LIKE patterns over 50,000 bytes, and each word deepens the expression
    # (Python's recursion limit, SQLite's depth limit): the first words are enough to rank.
    words = [word[:CONTAINMENT_MAX_WORD_LENGTH] for word in query.split()[:CONTAINMENT_MAX_WORDS]]
    condition = Q()
    for word in words:
        condition &= Q.create([(f"{name}__icontains", word) for name, _w, _s in fields], connector=Q.OR)
    score = sum(
        (
            Case(When(**{f"{name}__icontains": word}, then=Value(points)), default=Value(0))
            for word in words
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


# The GIN indexes of migration 0003, which a bulk load fills through their pending list.
SEARCH_INDEXES = ("blog_post_search_idx", "blog_page_search_idx")


@contextmanager
def search_vectors_deferred():
    """
    For a bulk load, within the current transaction: the trigger of migration 0003
    leaves `search_vector` as the writer gives it (the writer calls `set_search_documents`),
    and the GIN indexes gather new entries in their pending list, merged once at the end:
    entry by entry, a 1,500-word post costs the index about 1 ms. With it, the settings
    of a bulk load (core.bulk.BULK_LOAD_SETTINGS). PostgreSQL only.
    """
    if connection.vendor != "postgresql":
        yield
        return
    # One round trip each way (statements without parameters may share an execute); the
    # load's other settings (core.bulk) come along.
    with connection.cursor() as cursor:
        cursor.execute(
            BULK_LOAD_SETTINGS
            + "SET LOCAL plume.defer_search_vector = 'on';"
            + "".join(f"ALTER INDEX {index} SET (fastupdate = on);" for index in SEARCH_INDEXES)
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute(
            "".join(
                f"SELECT gin_clean_pending_list('{index}'::regclass);"
                f"ALTER INDEX {index} SET (fastupdate = off);"
                for index in SEARCH_INDEXES
            )
            + "SET LOCAL plume.defer_search_vector = 'off';"
        )


def set_search_documents(objects, *, memo=None):
    """
    Give unsaved posts or pages the search document migration 0003's trigger would
    compute, as its text (what an INSERT, an UPDATE or a COPY takes), in two queries
    at most: imported sites repeat bodies (templates, stubs) more than one would think,
    and the body is by far the costliest part, so each distinct body's part is computed
    once, and not again for the bodies in `memo` (a dict, body -> its part, that the
    caller keeps across calls and bounds as it likes).
    """
    if connection.vendor != "postgresql" or not objects:
        return
    memo = {} if memo is None else memo
    with connection.cursor() as cursor:
        missing = list({obj.body for obj in objects if obj.body not in memo})
        if missing:
            cursor.execute(
                "SELECT n, setweight(to_tsvector(%s::regconfig, body), 'C')::text "
                "FROM unnest(%s::text[]) WITH ORDINALITY AS bodies(body, n)",
                [SEARCH_CONFIG, missing],
            )
            for n, document in cursor.fetchall():
                memo[missing[n - 1]] = document
        bodies = list({obj.body: None for obj in objects})
        number = {body: n for n, body in enumerate(bodies, start=1)}
        cursor.execute(
            "SELECT (setweight(to_tsvector(%s::regconfig, item.title), 'A') "
            "|| setweight(to_tsvector(%s::regconfig, item.summary), 'B') || body.document::tsvector)::text "
            "FROM unnest(%s::text[], %s::text[], %s::int[]) WITH ORDINALITY AS item(title, summary, body, n) "
            "JOIN unnest(%s::text[]) WITH ORDINALITY AS body(document, n) ON body.n = item.body "
            "ORDER BY item.n",
            [
                SEARCH_CONFIG,
                SEARCH_CONFIG,
                [obj.title for obj in objects],
                [getattr(obj, "summary", "") for obj in objects],
                [number[obj.body] for obj in objects],
                [memo[body] for body in bodies],
            ],
        )
        for obj, (document,) in zip(objects, cursor.fetchall(), strict=True):
            obj.search_vector = document
