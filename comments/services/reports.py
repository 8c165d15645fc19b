"""Readers' reports ("Signaler") on published comments."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Comment, CommentReport
from ..privacy import address_digest, reader_address, truncate_ip


class ReportsThrottled(ValidationError):
    """An address sent COMMENTS_REPORTS_PER_HOUR reports in the last hour: `retry_after` seconds to wait."""

    def __init__(self, message, *, retry_after):
        super().__init__({"comment": ValidationError(message, code="report_throttled")})
        self.retry_after = max(1, int(retry_after))


def reporter_key(*, user=None, session_key=None, address=None):
    """
    A hash that tells one reader from another without identifying them: their account, else
    their browser session, else (an API client without either) their address as the flood rule
    counts it (an IPv4 address, an IPv6 /64).
    """
    if user is not None and user.is_authenticated:
        source = f"user:{user.pk}"
    elif session_key:
        source = f"session:{session_key}"
    elif reader_address(address):
        source = f"address:{reader_address(address)}"
    else:
        raise ValueError("A report needs a signed-in user, a session or an address.")
    return hashlib.sha256(f"{settings.SECRET_KEY}:{source}".encode()).hexdigest()


def report_address_key(address):
    """The keyed hash a report keeps of the reader's address, truncated first; "" without one."""
    truncated = truncate_ip(address)
    return address_digest(truncated, purpose="report") if truncated else ""


def comment_report(*, comment, reporter_key, reason="", user=None, address=""):
    """
    A reader reports an approved comment (once per reader; `address` is the
    client's, see core.clients). The comment goes back to pending when
    COMMENTS_REPORTS_TO_HIDE readers reported it, counting distinct truncated
    addresses and distinct sessions (or accounts) alike, so that one client
    cannot count as several by dropping its cookies. Once a moderator approved
    it, reports from the same sessions or addresses no longer count. An address
    sends at most COMMENTS_REPORTS_PER_HOUR reports an hour.
    """
    if comment.status != Comment.Status.APPROVED:
        raise ValidationError({"comment": _("Only published comments can be reported.")})
    already = ValidationError({"comment": _("You have already reported this comment.")})
    address_key = report_address_key(address)
    with transaction.atomic():
        if CommentReport.objects.filter(comment=comment, reporter_key=reporter_key).exists():
            raise already
        recent = _reports_in_the_last_hour(address_key) if address_key else []
        if len(recent) >= settings.COMMENTS_REPORTS_PER_HOUR:
            # Another report is accepted once the oldest of these is an hour old.
            wait = (recent[-1] + timedelta(hours=1) - timezone.now()).total_seconds() if recent else 3600
            raise ReportsThrottled(
                _("Too many reports from your connection: please try again later."), retry_after=wait
            )
        report = CommentReport(
            comment=comment,
            reporter_key=reporter_key,
            address_key=address_key,
            user=user if user is not None and user.is_authenticated else None,
            reason=(reason or "").strip()[:500],
        )
        report.full_clean(exclude=["reporter_key"])
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:  # the same reader, twice at the same moment
            raise already from None
        readers = reporting_readers(comment)
        if readers >= settings.COMMENTS_REPORTS_TO_HIDE:
            comment.status = Comment.Status.PENDING
            comment.moderation_rule = "reports"
            comment.moderation_reason = _("Reported by readers (%(count)s reports).") % {"count": readers}
            comment.save(update_fields=["status", "moderation_rule", "moderation_reason", "updated_at"])
    return report


def reporting_readers(comment):
    """
    How many readers the open reports on `comment` stand for: the smaller of their
    distinct addresses and distinct sessions, leaving out every session and address
    whose earlier reports a moderator already answered by approving the comment.
    """
    answered = comment.reports.filter(resolved=True)
    counts = (
        comment.reports.filter(resolved=False)
        .exclude(reporter_key__in=answered.values("reporter_key"))
        .exclude(address_key__in=answered.values("address_key"))
        .aggregate(
            addresses=Count("address_key", distinct=True), sessions=Count("reporter_key", distinct=True)
        )
    )
    return min(counts["addresses"], counts["sessions"])


def _reports_in_the_last_hour(address_key):
    """When the reports of the last hour from this address were sent, newest first (at most the limit)."""
    since = timezone.now() - timedelta(hours=1)
    recent = CommentReport.objects.filter(address_key=address_key, created_at__gte=since)
    return list(
        recent.order_by("-created_at").values_list("created_at", flat=True)[
            : settings.COMMENTS_REPORTS_PER_HOUR
        ]
    )
