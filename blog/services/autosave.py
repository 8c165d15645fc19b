"""
Autosaves: the unsaved text of an admin form, kept per user and per post or page
(blog.models.Autosave). Never written into the post; the form offers it back.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Autosave
from ..permissions import can_work_on
from ..versions import version_of

# Enough for a very long post written in every field, far below what would fill the table.
MAX_CHARACTERS = 2_000_000


def _owner(kind, obj):
    if kind not in Autosave.Kind.values:
        raise ValidationError({"kind": _("Only posts and pages are autosaved.")})
    return {"post": obj if kind == "post" else None, "page": obj if kind == "page" else None}


def _clean(data):
    """{name: text or [texts]}, or a ValidationError: a form's fields, nothing else."""
    if not isinstance(data, dict):
        raise ValidationError({"data": _("An autosave is a form's fields.")})
    size = 0
    for name, value in data.items():
        values = value if isinstance(value, list) else [value]
        if not isinstance(name, str) or not all(isinstance(item, str) for item in values):
            raise ValidationError({"data": _("An autosave is a form's fields.")})
        size += len(name) + sum(len(item) for item in values)
    if size > MAX_CHARACTERS:
        raise ValidationError({"data": _("This autosave is too long.")})
    return data


def autosave_save(*, by, kind, obj=None, data, base_version=None, refused=False):
    """
    Keep `data` (the form's fields) as `by`'s autosave of `obj` (None: a new post or
    page of `kind`), replacing their previous one. `base_version` is the version the
    text was typed on (by default `obj`'s current one). PermissionDenied unless `by`
    may edit `obj` (blog.permissions.can_work_on).
    """
    owner = _owner(kind, obj)
    if not can_work_on(by, kind, obj):
        raise PermissionDenied(_("You are not allowed to change this."))
    data = _clean(data)
    autosave, _created = Autosave.objects.update_or_create(
        user=by,
        kind=kind,
        **owner,
        defaults={
            "data": data,
            "base_version": version_of(obj) if base_version is None else str(base_version)[:32],
            "refused": refused,
            "saved_at": timezone.now(),
        },
    )
    return autosave


def autosave_discard(*, by, kind, obj=None):
    """Forget `by`'s autosave of `obj` (None: a new post or page of `kind`); whether there was one."""
    deleted, _counts = Autosave.objects.filter(user=by, kind=kind, **_owner(kind, obj)).delete()
    return bool(deleted)
