"""Field selection and embedding: `?fields=` and `?expand=` on every list and detail.

`?fields=slug,title,author.name` keeps only those fields of each object (of each
result in a list; the pagination envelope stays), a dotted path reaching into a
nested object: `author` keeps the whole author, `author.name` its name only.

`?expand=author,categories` embeds those related objects whole, as their own
endpoint gives them, instead of the summary (enough for a link) every answer
carries by default. A serializer names what it can embed in `expandable_fields`;
a view that must fetch more for an embedded object reads `self.expanded`.

An unknown field or expansion is a 400 naming it and what is available, before
any query for the content. Both parameters are part of the response cache's key
(`cache_query_params`) and documented on every read operation (core.api.schema).
"""

from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers

FIELDS_PARAM = "fields"
EXPAND_PARAM = "expand"
SHAPED_ACTIONS = ("list", "retrieve")


class ExpandableSerializerMixin:
    """A serializer whose related objects can be embedded whole: `?expand=<name>`.

    `expandable_fields` maps a field name to a factory making the embedded field
    (a fresh instance each time: a field is bound to one serializer).
    """

    expandable_fields = {}


def parse_names(value):
    """`a,b, c.d` → ["a", "b", "c.d"]; blanks ignored."""
    return [name.strip() for name in (value or "").split(",") if name.strip()]


def _object_serializer(field):
    """The serializer whose fields `field` shows, or None when it is not an object."""
    if isinstance(field, serializers.ListSerializer):
        field = field.child
    return field if isinstance(field, serializers.Serializer) else None


def field_paths(serializer, depth=2, prefix=""):
    """Every selectable path of `serializer`, nested objects to `depth` levels."""
    serializer = _object_serializer(serializer)
    paths = []
    for name, field in serializer.fields.items():
        paths.append(prefix + name)
        if depth > 1 and _object_serializer(field) is not None:
            paths.extend(field_paths(field, depth - 1, f"{prefix}{name}."))
    return paths


def expandable_names(serializer):
    serializer = _object_serializer(serializer)
    return sorted(getattr(serializer, "expandable_fields", {}))


def expand(serializer, names):
    """Replace the fields `names` of `serializer` by their embedded form; unknown names are a 400."""
    target = _object_serializer(serializer)
    available = getattr(target, "expandable_fields", {})
    unknown = [name for name in names if name not in available]
    if unknown:
        raise exceptions.ValidationError(
            {
                EXPAND_PARAM: [
                    _("Cannot expand: %(unknown)s. Expandable here: %(available)s.")
                    % {
                        "unknown": ", ".join(unknown),
                        "available": ", ".join(sorted(available)) or _("nothing"),
                    }
                ]
            }
        )
    for name in names:
        target.fields[name] = available[name]()


def _tree(paths):
    """["a", "b.c", "b.d"] → {"a": {}, "b": {"c": {}, "d": {}}}; an empty subtree means "whole"."""
    tree, whole = {}, []
    for path in paths:
        node = tree
        parts = path.split(".")
        for part in parts:
            node = node.setdefault(part, {})
        whole.append(parts)
    # "author,author.name": the whole author was asked for, so it stays whole.
    for parts in sorted(whole, key=len, reverse=True):
        node = tree
        for part in parts[:-1]:
            node = node[part]
        node[parts[-1]] = {}
    return tree


def select(serializer, paths):
    """Keep only the fields at `paths` (dotted into nested objects); an unknown path is a 400."""
    unknown = []
    _select(_object_serializer(serializer), _tree(paths), "", unknown)
    if unknown:
        raise exceptions.ValidationError(
            {
                FIELDS_PARAM: [
                    _("Unknown field: %(unknown)s. Available: %(available)s.")
                    % {"unknown": ", ".join(unknown), "available": ", ".join(field_paths(serializer))}
                ]
            }
        )


def _select(serializer, tree, prefix, unknown):
    fields = serializer.fields
    for name, subtree in tree.items():
        if name not in fields:
            unknown.append(prefix + name)
            continue
        if subtree:
            nested = _object_serializer(fields[name])
            if nested is None:
                unknown.extend(f"{prefix}{name}.{sub}" for sub in subtree)
                continue
            _select(nested, subtree, f"{prefix}{name}.", unknown)
    if not unknown:
        for name in list(fields):
            if name not in tree:
                del fields[name]


def shape(serializer, *, fields=(), expanded=()):
    """Apply `?expand=` then `?fields=` to `serializer` (a ListSerializer's child for many)."""
    if expanded:
        expand(serializer, expanded)
    if fields:
        select(serializer, fields)
    return serializer


class ShapedResponseMixin:
    # For API views: ?fields= and ?expand= on list and retrieve, checked before any content query.
    # (A comment, not a docstring: drf-spectacular would show it as every view's description.)
    cache_query_params = (FIELDS_PARAM, EXPAND_PARAM)

    @property
    def shaping(self):
        return getattr(self, "action", None) in SHAPED_ACTIONS and self.request.method in ("GET", "HEAD")

    @property
    def expanded(self):
        """The names of ?expand= (a view fetches what they need in get_queryset)."""
        if not self.shaping:
            return frozenset()
        return frozenset(parse_names(self.request.query_params.get(EXPAND_PARAM)))

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.shaping:
            # A bad ?fields= or ?expand= is a 400 before the content is read.
            self.get_serializer()

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if self.shaping:
            params = self.request.query_params
            shape(
                serializer,
                fields=parse_names(params.get(FIELDS_PARAM)),
                expanded=parse_names(params.get(EXPAND_PARAM)),
            )
        return serializer
