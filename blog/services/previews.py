"""Preview links: create one (the token is given back once, never stored) and revoke one."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..permissions import can_share_preview
from ..previews import PreviewLink, new_token, token_hash

# The longest a link may last: a preview is for a review, not a second publication.
MAX_DAYS = 90


def preview_link_create(*, target, by, days=None, minutes=None, label=""):
    """
    A preview link to `target` (a post or a page) made by `by`, lasting `days` (by
    default PLUME_PREVIEW_DAYS) or `minutes`. Returns (link, token): the token is the
    only way to open the link, and is not kept.
    """
    if not can_share_preview(by, target):
        raise PermissionDenied(_("You are not allowed to share a preview of this."))
    if minutes is not None:
        lasts = timedelta(minutes=minutes)
    else:
        days = settings.PLUME_PREVIEW_DAYS if days is None else days
        if not 1 <= days <= MAX_DAYS:
            raise ValidationError(
                {"days": _("A preview link lasts from 1 to %(max)d days.") % {"max": MAX_DAYS}}
            )
        lasts = timedelta(days=days)
    token = new_token()
    owner = {"page": target} if target._meta.model_name == "page" else {"post": target}
    now = timezone.now()
    link = PreviewLink.objects.create(
        **owner,
        token_hash=token_hash(token),
        label=(label or "").strip()[:100],
        created_by=by,
        created_at=now,
        expires_at=now + lasts,
    )
    return link, token


def preview_link_revoke(*, link, by):
    """Revoke `link` as `by` (who may edit what it shows); revoking twice keeps the first date."""
    if not can_share_preview(by, link.target):
        raise PermissionDenied(_("You are not allowed to revoke this preview link."))
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link


def preview_links_prune(*, days):
    """
    Delete the links that ended (expired or revoked) more than `days` days ago; the
    others are kept, listed with their post. Returns how many were deleted.
    """
    if days < 1:
        raise ValidationError({"days": _("Give at least 1 day.")})
    ended_before = timezone.now() - timedelta(days=days)
    ended = PreviewLink.objects.filter(Q(expires_at__lt=ended_before) | Q(revoked_at__lt=ended_before))
    deleted, _by_model = ended.delete()
    return deleted
