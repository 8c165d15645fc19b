"""
What a revision holds and how two of them compare: pure functions, no writes
(the services record and restore, blog.services.revisions).

A snapshot is plain JSON: the fields a reader or an editor sees, dates as ISO
strings, categories and tags as {id, name} (the names, so a diff still reads
after a category is deleted), the featured image as its stored name.
"""

import difflib
import re

from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Status

# Field name -> label, in the order a diff shows them.
COMMON_FIELDS = {
    "title": gettext_lazy("title"),
    "slug": gettext_lazy("slug"),
    "body": gettext_lazy("body"),
    "status": gettext_lazy("status"),
    "published_at": gettext_lazy("publication date"),
    "author": gettext_lazy("author"),
    "seo_title": gettext_lazy("SEO title"),
    "meta_description": gettext_lazy("meta description"),
    "canonical_url": gettext_lazy("canonical URL"),
}
POST_FIELDS = {
    **COMMON_FIELDS,
    "excerpt": gettext_lazy("excerpt"),
    "categories": gettext_lazy("categories"),
    "tags": gettext_lazy("tags"),
    "featured_image": gettext_lazy("featured image"),
    "featured_image_url": gettext_lazy("featured image URL"),
    "featured_image_alt": gettext_lazy("featured image alt text"),
    "featured_media": gettext_lazy("featured image from the library"),
    "sticky": gettext_lazy("sticky"),
    "allow_comments": gettext_lazy("allow comments"),
}
PAGE_FIELDS = {
    **COMMON_FIELDS,
    "menu_order": gettext_lazy("menu order"),
    "show_in_menu": gettext_lazy("show in menu"),
}
# What a restore brings back: the content. Status and date are publishing decisions,
# taken through the publishing transitions, so restoring never publishes anything.
NOT_RESTORED = {"status", "published_at"}
WORD = re.compile(r"\S+\s*|\s+")


def fields_of(obj):
    """The fields a post's or a page's revisions keep (no import of the models' classes needed)."""
    return POST_FIELDS if obj._meta.model_name == "post" else PAGE_FIELDS


def snapshot(obj, *, terms=None):
    """
    The revision data of `obj` (a saved post or page); two queries for a post's categories
    and tags, none when `terms` gives them ({"categories": [...], "tags": [...]}, any order).
    """
    data = {}
    for name in fields_of(obj):
        if name in ("categories", "tags"):
            items = getattr(obj, name).all() if terms is None else sorted(terms[name], key=_by_name)
            data[name] = [{"id": item.pk, "name": item.name} for item in items]
        elif name == "author":
            data[name] = {"id": obj.author_id, "name": str(obj.author) if obj.author_id else ""}
        elif name == "published_at":
            data[name] = obj.published_at.isoformat() if obj.published_at else None
        elif name == "featured_image":
            data[name] = obj.featured_image.name or ""
        elif name == "featured_media":
            media = obj.featured_media if obj.featured_media_id else None
            data[name] = {"id": media.pk, "name": media.file.name} if media else None
        else:
            data[name] = getattr(obj, name)
    return data


def _by_name(term):
    return (term.name, term.pk)  # as Category and Tag are ordered


def display(name, value):
    """A field's value as one line of text, for the diff's table and the summary."""
    if value in (None, "", []):
        return "—"
    if name in ("categories", "tags"):
        return ", ".join(item["name"] for item in value)
    if name in ("author", "featured_media"):
        return value["name"] or "—"
    if name == "status":
        return str(Status(value).label) if value in Status.values else value
    if name == "published_at":
        moment = parse_datetime(value)
        return moment.strftime("%Y-%m-%d %H:%M") if moment else value
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def changed_fields(old, new):
    return [name for name in new if (old or {}).get(name) != new.get(name)]


def changes(old, new):
    """What `new` changed from `old` (None for the first snapshot), as JSON for Revision.changes."""
    if old is None:
        return [{"created": True}]
    found = []
    for name in changed_fields(old, new):
        if name == "body":
            added, removed = word_counts(old.get("body") or "", new.get("body") or "")
            found.append({"field": name, "added": added, "removed": removed})
        elif name == "status":
            found.append({"field": name, "from": old.get(name), "to": new.get(name)})
        else:
            found.append({"field": name})
    return found


def summarize(revision):
    """`revision`'s changes as one line, in the active language."""
    labels = POST_FIELDS if revision.post_id else PAGE_FIELDS
    parts = []
    for change in revision.changes:
        if change.get("created"):
            parts.append(_("created"))
        elif change.get("imported"):
            parts.append(_("Imported from WordPress"))
        elif "restored" in change:
            moment = parse_datetime(change["restored"])
            date = formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
            parts.append(_("restored the version of %(date)s") % {"date": date})
        elif change["field"] == "body":
            parts.append(_("body (+%(added)d/−%(removed)d words)") % change)
        elif change["field"] == "status":
            label = labels["status"]
            parts.append(f"{label}: {display('status', change['from'])} → {display('status', change['to'])}")
        elif change["field"] in labels:
            parts.append(str(labels[change["field"]]))
    line = ", ".join(parts) if parts else _("no change")
    return line[:1].upper() + line[1:]


def _matcher(old, new):
    # autojunk off: in a long text the most common words are not noise.
    return difflib.SequenceMatcher(None, WORD.findall(old), WORD.findall(new), autojunk=False)


def word_counts(old, new):
    added = removed = 0
    for tag, i1, i2, j1, j2 in _matcher(old, new).get_opcodes():
        if tag in ("replace", "delete"):
            removed += i2 - i1
        if tag in ("replace", "insert"):
            added += j2 - j1
    return added, removed


def word_diff(old, new):
    """The Markdown body, word by word: removed words in <del>, added ones in <ins>, all escaped."""
    matcher = _matcher(old, new)
    a, b = matcher.a, matcher.b
    out = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))


def compare(old, new, labels):
    """
    Field by field, `old` against `new` (two snapshots): a list of
    {name, label, old, new, changed, diff}; `diff` is the word diff, for the body only.
    """
    rows = []
    for name, label in labels.items():
        before, after = old.get(name), new.get(name)
        row = {
            "name": name,
            "label": label,
            "old": display(name, before),
            "new": display(name, after),
            "changed": before != after,
            "diff": None,
        }
        if name == "body" and row["changed"]:
            row["diff"] = word_diff(before or "", after or "")
        rows.append(row)
    return rows


def when(revision):
    """When `revision` was saved, in the site's time zone and the reader's date format."""
    return formats.date_format(timezone.localtime(revision.created_at), "SHORT_DATETIME_FORMAT")
