"""
Revisions: recorded by every post and page service after it saves (restored by
blog.services.restore), pruned by `manage.py prune_revisions`.
"""

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from core.bulk import bulk_insert

from ..models import Post, Revision, Status
from ..revisions import changes, snapshot


def revision_record(obj, *, by):
    """A new revision of `obj` (a post or a page, just saved) by `by`, summarized against the last one."""
    data = snapshot(obj)
    owner = {"post": obj} if isinstance(obj, Post) else {"page": obj}
    last = Revision.objects.filter(**owner).only("data").first()
    return Revision.objects.create(
        **owner,
        user=by if by is not None and by.is_authenticated else None,
        status=data["status"],
        changes=changes(last.data if last else None, data),
        data=data,
    )


def revisions_record_imported(items):
    """
    A first revision for each of `items`, `(obj, terms)` pairs of posts or pages just
    imported (`terms` as `snapshot` takes them; None for a page), inserted in bulk
    (core.bulk): the history of imported content starts at the import. No query but the inserts.
    """
    revisions = []
    for obj, terms in items:
        data = snapshot(obj, terms=terms if isinstance(obj, Post) else None)
        owner = {"post": obj} if isinstance(obj, Post) else {"page": obj}
        revisions.append(
            Revision(
                **owner, user=None, status=data["status"], changes=[{"imported": "wordpress"}], data=data
            )
        )
    return bulk_insert(Revision, revisions)


def revisions_amend(values):
    """Set snapshot fields of revisions in bulk: `values` maps a revision's pk to {field: value}."""
    revisions = list(Revision.objects.filter(pk__in=list(values)).only("data"))
    for revision in revisions:
        revision.data.update(values[revision.pk])
    Revision.objects.bulk_update(revisions, ["data"], batch_size=100)


def revisions_prune(*, keep):
    """
    Delete old revisions, keeping for each post and page its last `keep` and every
    revision saved as published. Returns how many were deleted.
    """
    if keep < 1:
        raise ValidationError({"keep": _("Keep at least one revision.")})
    deleted = 0
    for owner in ("post", "page"):
        # A revision is among the last `keep` when fewer than `keep` of its owner's are newer.
        newer = Revision.objects.filter(**{owner: OuterRef(owner)}).filter(
            created_at__gt=OuterRef("created_at")
        ) | Revision.objects.filter(**{owner: OuterRef(owner)}).filter(
            created_at=OuterRef("created_at"), pk__gt=OuterRef("pk")
        )
        candidates = (
            Revision.objects.filter(**{f"{owner}__isnull": False})
            .exclude(status=Status.PUBLISHED)
            .annotate(beyond=Exists(newer.order_by().values("pk")[keep - 1 : keep]))
            .filter(beyond=True)
        )
        ids = list(candidates.values_list("pk", flat=True))
        for start in range(0, len(ids), 1000):
            deleted += Revision.objects.filter(pk__in=ids[start : start + 1000]).delete()[0]
    return deleted
