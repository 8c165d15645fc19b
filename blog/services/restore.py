"""
Restoring a revision: through the update services, so the policy applies and the
restore is itself a new revision (with a note of which version it brought back).
"""

from django.db import transaction

from authors.models import Author

from ..media import Media
from ..models import Category, Post, Tag
from ..revisions import NOT_RESTORED, fields_of
from .pages import page_update
from .posts import post_update


def restore_fields(revision):
    """The keyword arguments that bring a post or page back to `revision`'s content."""
    data, target = revision.data, revision.target
    fields = {}
    for name in fields_of(target):
        if name in NOT_RESTORED or name not in data:
            continue
        value = data[name]
        if name in ("categories", "tags"):
            model = Category if name == "categories" else Tag
            # Those deleted since are left out: nothing to file the post under.
            value = list(model.objects.filter(pk__in=[item["id"] for item in value]))
        elif name == "author":
            value = Author.objects.filter(pk=(value or {}).get("id")).first()
            if value is None:
                continue
        elif name == "featured_media":
            # One deleted since leaves the post without it, as it already is.
            value = Media.objects.filter(pk=value["id"]).first() if value else None
        fields[name] = value
    return fields


@transaction.atomic
def revision_restore(*, revision, by, expected_version=None):
    """
    Bring `revision`'s post or page back to its content as `by`, through the update
    service: the policy decides, and the restore is recorded as a new revision.
    """
    fields = restore_fields(revision)
    if revision.post_id:
        post = Post.objects.select_for_update().get(pk=revision.post_id)
        restored = post_update(post=post, by=by, expected_version=expected_version, **fields)
    else:
        restored = page_update(page=revision.page, by=by, expected_version=expected_version, **fields)
    latest = restored.revisions.first()
    latest.changes = [{"restored": revision.created_at.isoformat()}, *latest.changes]
    latest.save(update_fields=["changes"])
    return restored
