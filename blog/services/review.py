"""
Review: a draft submitted for review waits, as "pending review", for an editor
who publishes it, schedules it or sends it back to draft with a note its author
sees on the post. The editors are told by e-mail (sent in the background, see
core.mail); the author is told when it comes back.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ..models import Status
from ..notifications import notify_sent_back
from ..permissions import can_review, can_submit
from .posts import post_update


def post_submit(*, post, by, expected_version=None):
    """Submit `post` (a draft) for review as `by`; PermissionDenied unless `by` may edit that draft."""
    if not can_submit(by, post):
        raise PermissionDenied(_("Only a draft you may edit can be submitted for review."))
    return post_update(post=post, by=by, status=Status.PENDING, expected_version=expected_version)


def post_send_back(*, post, by, note, expected_version=None):
    """Send `post` (awaiting review) back to draft as `by`, with `note` for its author."""
    if not can_review(by, post):
        raise PermissionDenied(_("You are not allowed to review this post."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what the author should change.")})
    post = post_update(
        post=post, by=by, status=Status.DRAFT, review_note=note, expected_version=expected_version
    )
    notify_sent_back(post)
    return post
