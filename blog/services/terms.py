"""Writing categories and tags (the API calls these), and the tags a post write names."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from core.slugs import unique_slug

from ..models import Tag
from ..permissions import can_add_term, can_change_term, can_delete_term


def _name(model):
    return model._meta.model_name


@transaction.atomic
def term_create(*, model, by, **fields):
    """A new category or tag (`model`); its slug is made from its name when not given."""
    if not can_add_term(by, _name(model)):
        raise PermissionDenied(_("You are not allowed to add these."))
    return _save(model(**fields))


@transaction.atomic
def term_update(*, term, by, **fields):
    if not can_change_term(by, _name(type(term))):
        raise PermissionDenied(_("You are not allowed to change these."))
    for name, value in fields.items():
        setattr(term, name, value)
    return _save(term)


@transaction.atomic
def term_delete(*, term, by):
    """Delete a category or tag; a category with subcategories is refused (400 on `parent`)."""
    if not can_delete_term(by, _name(type(term))):
        raise PermissionDenied(_("You are not allowed to delete these."))
    try:
        term.delete()
    except ProtectedError:
        raise ValidationError(
            {"non_field_errors": [_("This category has subcategories: move or delete them first.")]}
        ) from None


def _save(term):
    if not term.slug and term.name:
        term.slug = unique_slug(type(term), term.name, instance=term)
    term.full_clean()
    term.save()
    return term


@transaction.atomic
def tags_for_names(*, names, by):
    """
    The tags a post write names (their slugs, or their names in any case), in order, without
    repeats; those that do not exist yet are created when `by` may add tags, else a
    ValidationError on `tags` names them.
    """
    tags, seen, unknown = [], set(), []
    for value in names:
        tag = Tag.objects.filter(slug=value).first() or Tag.objects.filter(name__iexact=value).first()
        if tag is None:
            if not can_add_term(by, "tag"):
                unknown.append(value)
                continue
            tag = _save(Tag(name=value))
        if tag.pk not in seen:
            seen.add(tag.pk)
            tags.append(tag)
    if unknown:
        raise ValidationError({"tags": [_("Unknown tag: %(names)s.") % {"names": ", ".join(unknown)}]})
    return tags
