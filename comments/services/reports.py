"""Readers' reports ("Signaler") on published comments."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import Comment, CommentReport


def reporter_key(*, user=None, session_key=None):
    """A hash that tells one reader from another without identifying them."""
    if user is not None and user.is_authenticated:
        source = f"user:{user.pk}"
    elif session_key:
        source = f"session:{session_key}"
    else:
        raise ValueError("A report needs a signed-in user or a session.")
    return hashlib.sha256(f"{settings.SECRET_KEY}:{source}".encode()).hexdigest()


def comment_report(*, comment, reporter_key, reason="", user=None):
    """
    A reader reports an approved comment (once per reader). At
    COMMENTS_REPORTS_TO_HIDE open reports the comment goes back to pending.
    """
    if comment.status != Comment.Status.APPROVED:
        raise ValidationError({"comment": _("Only published comments can be reported.")})
    already = ValidationError({"comment": _("You have already reported this comment.")})
    with transaction.atomic():
        if CommentReport.objects.filter(comment=comment, reporter_key=reporter_key).exists():
            raise already
        report = CommentReport(
            comment=comment,
            reporter_key=reporter_key,
            user=user if user is not None and user.is_authenticated else None,
            reason=(reason or "").strip()[:500],
        )
        report.full_clean(exclude=["reporter_key"])
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:  # the same reader, twice at the same moment
            raise already from None
        open_reports = comment.reports.filter(resolved=False).count()
        if open_reports >= settings.COMMENTS_REPORTS_TO_HIDE:
            comment.status = Comment.Status.PENDING
            comment.moderation_rule = "reports"
            comment.moderation_reason = _("Reported by readers (%(count)s reports).") % {
                "count": open_reports
            }
            comment.save(update_fields=["status", "moderation_rule", "moderation_reason", "updated_at"])
    return report
