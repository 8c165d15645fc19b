"""
A post's or a page's version, so that a save made from an old copy is refused
rather than silently overwriting someone else's (the admin's hidden field and the
API's ETag / If-Match carry it; blog.services.versions checks it).

The version is the time of the last save (`updated_at`) in microseconds since the
epoch: every save moves it, publishing and restoring included, and it costs no query.
"""

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.utils import formats, timezone

from .revisions import compare, fields_of

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
MICROSECOND = datetime.timedelta(microseconds=1)


class StaleVersion(Exception):
    """A save made from `expected`, while `obj` (as stored now) is at another version."""

    def __init__(self, obj, expected):
        super().__init__(f"{obj._meta.model_name} {obj.pk} is no longer at version {expected}")
        self.obj, self.expected = obj, expected


def version_of(obj):
    """`obj`'s version, as a string of digits ("" for an object not saved yet)."""
    if obj is None or obj.updated_at is None:
        return ""
    return str((obj.updated_at - EPOCH) // MICROSECOND)


def moment_of(version):
    """The time a version names, or None when it names none."""
    if not str(version or "").isdigit():
        return None
    return EPOCH + int(version) * MICROSECOND


def person_name(user):
    """How the desk names a user: their author profile's display name, else their name."""
    if user is None:
        return "—"
    try:
        return user.author.display_name
    except ObjectDoesNotExist:
        return user.get_full_name() or user.get_username()


def changes_since(obj, version):
    """
    What changed in `obj` since `version`: {"by", "when", "rows"} with the field rows
    of blog.revisions.compare that differ, from the revision saved at that version to
    the latest one. None when `version` is the current one. Three queries.
    """
    if not version or version == version_of(obj):
        return None
    latest = obj.revisions.select_related("user").first()
    loaded_at = moment_of(version)
    # Each save records its revision just after it, so the first revision from that moment on.
    loaded = (
        obj.revisions.filter(created_at__gte=loaded_at).order_by("created_at", "pk").only("data").first()
        if loaded_at
        else None
    )
    rows = []
    if latest is not None and loaded is not None:
        rows = [row for row in compare(loaded.data, latest.data, fields_of(obj)) if row["changed"]]
    return {
        "by": person_name(latest.user) if latest else "—",
        "when": formats.date_format(timezone.localtime(obj.updated_at), "SHORT_DATETIME_FORMAT"),
        "time": formats.time_format(timezone.localtime(obj.updated_at), "H:i"),
        "rows": rows,
        "loaded": loaded.data if loaded is not None else None,
    }


# The fields whose form value is the stored text itself, so a form's value compares with a snapshot's.
TEXT_FIELDS = (
    "title", "slug", "body", "excerpt", "seo_title", "meta_description", "canonical_url",
    "featured_image_url", "featured_image_alt",
)  # fmt: skip


def typed_over(data, loaded):
    """
    Of `data` (a form's fields, typed on the version whose snapshot is `loaded`), the
    text fields the writer changed: what to bring back over a newer version without
    undoing what others saved meanwhile. Everything else keeps the newer version's value.
    """
    if loaded is None:
        return {name: data[name] for name in TEXT_FIELDS if name in data}
    return {
        name: data[name]
        for name in TEXT_FIELDS
        if name in data and _normalized(data[name]) != _normalized(loaded.get(name))
    }


def _normalized(value):
    # Browsers post textareas with CRLF line ends.
    return str(value or "").replace("\r\n", "\n").strip()
