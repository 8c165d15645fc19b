"""Writing pages: create, change, delete (the admin calls these). Whoever may change pages publishes them."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Page
from ..permissions import can_create_page, can_delete_page, can_edit_page
from ..signals import content_deleted, content_saved
from .addresses import addresses_follow
from .golive import schedule_announcement
from .revisions import revision_record
from .versions import version_check


def page_create(*, by, **fields):
    if not can_create_page(by):
        raise PermissionDenied(_("You are not allowed to write pages."))
    page = _save(Page(**fields), by=by, created=True, was_public=False)
    addresses_follow(page, old_slug=None, was_public=False)
    return page


@transaction.atomic
def page_update(*, page, by, expected_version=None, **fields):
    """Change `page` as `by`; StaleVersion as for posts (blog.services.posts.post_update)."""
    if not can_edit_page(by, page):
        raise PermissionDenied(_("You are not allowed to change this page."))
    version_check(page, expected_version)
    old_slug, was_public = page.slug, page.is_public
    for name, value in fields.items():
        setattr(page, name, value)
    page = _save(page, by=by, created=False, was_public=was_public)
    addresses_follow(page, old_slug=old_slug, was_public=was_public)
    return page


def page_delete(*, page, by):
    if not can_delete_page(by, page):
        raise PermissionDenied(_("You are not allowed to delete this page."))
    with transaction.atomic():
        content_deleted.send(sender=Page, instance=page, was_public=page.is_public)
        page.delete()


@transaction.atomic
def _save(page, *, by, created, was_public):
    page.full_clean()
    page.save()
    revision_record(page, by=by)
    schedule_announcement(page, was_public=was_public)
    content_saved.send(sender=Page, instance=page, created=created, was_public=was_public)
    return page
