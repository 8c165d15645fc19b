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

    `recursive_fields` names the fields nesting the serializer itself (a comment's
    `replies`): each level is shaped as the one above it when first used, so `?fields=`
    and `?expand=` apply at every depth, and such a field is chosen whole (no dotted path).
    """

    expandable_fields = {}
    recursive_fields = ()

    def to_representation(self, instance):
        if "_shaped_by" not in vars(self):
            # A level of replies, first used: shaped as the level above (the ListSerializer's parent).
            nesting = self.parent
            above = getattr(nesting, "parent", None)
            recursive = type(above) is type(self) and nesting.field_name in above.recursive_fields
            shaped_by = vars(above).get("_shaped_by") if recursive else None
            self._shaped_by = None
            if shaped_by:
                shape(self, **shaped_by)
        return super().to_representation(instance)


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
    recursive = getattr(serializer, "recursive_fields", ())
    for name, field in serializer.fields.items():
        paths.append(prefix + name)
        if depth > 1 and name not in recursive and _object_serializer(field) is not None:
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
            whole = name in getattr(serializer, "recursive_fields", ())
            nested = None if whole else _object_serializer(fields[name])
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
    # Remembered for the levels of a recursive field (ExpandableSerializerMixin.recursive_fields).
    _object_serializer(serializer)._shaped_by = {"fields": fields, "expanded": expanded}
    return serializer


class ShapedResponseMixin:
    # For API views: ?fields= and ?expand= on list and retrieve, checked before any content query.
    # A view answering with another serializer than get_serializer's (a comment thread) names it
    # in get_shaped_serializer_class, shapes its answer with shape(), and sets shapes_serializer
    # False; it says which of its operations are shaped in is_shaped (the schema asks it too).
    # (A comment, not a docstring: drf-spectacular would show it as every view's description.)
    cache_query_params = (FIELDS_PARAM, EXPAND_PARAM)
    shapes_serializer = True

    def is_shaped(self, method, action):
        """Whether the answer to `method` (a viewset's `action`) is shaped: reads, never a write's answer."""
        return action in SHAPED_ACTIONS and method in ("GET", "HEAD")

    @property
    def shaping(self):
        return self.is_shaped(self.request.method, getattr(self, "action", None))

    @property
    def expanded(self):
        """The names of ?expand= (a view fetches what they need in get_queryset)."""
        if not self.shaping:
            return frozenset()
        return frozenset(parse_names(self.request.query_params.get(EXPAND_PARAM)))

    def get_shaped_serializer_class(self):
        """The serializer ?fields= and ?expand= choose from (that of each result in a list)."""
        return self.get_serializer_class()

    def shape(self, serializer):
        """`serializer` shaped by this request's ?expand= and ?fields= (a 400 naming what it lacks)."""
        params = self.request.query_params
        return shape(
            serializer,
            fields=parse_names(params.get(FIELDS_PARAM)),
            expanded=parse_names(params.get(EXPAND_PARAM)),
        )

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.shaping:
            # A bad ?fields= or ?expand= is a 400 before the content is read.
            self.shape(self.get_shaped_serializer_class()(context=self.get_serializer_context()))

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if self.shaping and self.shapes_serializer:
            self.shape(serializer)
        return serializer
