"""
State changes of the comments app. The HTML views, the admin, the API and the
management commands all call these; none of them writes a comment itself.
"""

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from authors import roles
from core.clients import client_address, client_ip
from core.links import absolute_url

from .exceptions import CommentTokenRefused
from .forms import CommentDataForm
from .models import Comment, CommentReport
from .moderation import Submission, can_moderate, moderate
from .moderation import comment_form_token as comment_form_token  # re-exported: part of this API
from .privacy import truncate_ip, truncate_user_agent
from .signals import comments_changed
from .threads import max_depth_setting

logger = logging.getLogger(__name__)

TOKEN_FIELDS = ("timestamp", "security_hash", "honeypot")
MODERATION_ACTIONS = {
    "approve": Comment.Status.APPROVED,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
    # Back into the moderation queue: a moderator then decides again.
    "restore": Comment.Status.PENDING,
}


@dataclass(frozen=True)
class RequestMeta:
    """
    Where a submission came from. `comment_submit` also accepts a mapping with
    Django's `request.META` keys (REMOTE_ADDR, HTTP_USER_AGENT).

    `remote_addr` is the full client address of `core.clients` (REMOTE_ADDR, or
    X-Forwarded-For behind PLUME_TRUSTED_PROXIES); only its truncation is stored.
    """

    remote_addr: str = ""
    user_agent: str = ""
    # "https://host" the request came to, for the links in the moderators' e-mail
    # (the Site row is used when empty).
    base_url: str = ""

    @classmethod
    def from_request(cls, request):
        return cls(
            remote_addr=client_ip(request),
            user_agent=str(request.META.get("HTTP_USER_AGENT") or ""),
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )

    @classmethod
    def coerce(cls, value):
        if isinstance(value, cls):
            return value
        if isinstance(value, Mapping):
            host = value.get("HTTP_HOST") or value.get("SERVER_NAME") or ""
            scheme = value.get("wsgi.url_scheme") or "http"
            return cls(
                remote_addr=str(client_address(value) or ""),
                user_agent=str(value.get("HTTP_USER_AGENT") or ""),
                base_url=f"{scheme}://{host}" if host else "",
            )
        return cls()


def account_identity(user):
    """The name and e-mail a signed-in commenter comments under."""
    author = getattr(user, "author", None)  # None when the account has no author profile
    name = (author.display_name if author else "") or user.get_full_name() or user.get_username()
    return name[:100], user.email


def attach_point(parent):
    """
    The comment a reply to `parent` is stored under: `parent` itself, or, when
    that would nest deeper than COMMENTS_MAX_DEPTH, its ancestor one level
    above the cap (so the reply shows right next to the deepest comments).
    """
    chain = [parent]
    seen = {parent.pk}
    current = parent
    while current.parent_id is not None and current.parent_id not in seen:
        current = Comment.objects.only("pk", "parent_id", "post_id", "status").get(pk=current.parent_id)
        chain.append(current)
        seen.add(current.pk)
    # chain: parent first, root last; parent's depth is len(chain).
    depth_of_reply = len(chain) + 1
    max_depth = max_depth_setting()
    if depth_of_reply <= max_depth:
        return parent
    if max_depth == 1:
        return None
    return chain[len(chain) - (max_depth - 1)]


def find_parent(*, post, parent_id):
    """
    The comment a reply to `parent_id` is stored under; ValidationError when it is not on `post`.
    A comment held as spam is a parent like a pending one: its writer, who sees it as
    awaiting moderation, must get the same answer to a reply either way.
    """
    parent = (
        Comment.objects.filter(
            pk=parent_id,
            post=post,
            status__in=[Comment.Status.APPROVED, Comment.Status.PENDING, Comment.Status.SPAM],
        )
        .only("pk", "parent_id", "post_id", "status")
        .first()
    )
    if parent is None:
        raise ValidationError(_("The comment you are replying to does not exist on this post."))
    return attach_point(parent)


def comment_submit(*, post, data, request_meta, user=None):
    """
    Validate, moderate and store a reader's comment; return it with `status`,
    `moderation_rule` and `moderation_reason` set.

    `data`: author_name, author_email, author_url, body, parent (id or None)
    and the token fields of `comment_form_token` (timestamp, security_hash,
    honeypot). `request_meta`: a `RequestMeta` or `request.META`.

    Raises ValidationError (a dict of field messages), CommentsClosed,
    CommentTokenRefused or CommentFlood (nothing stored). Spam is stored, never dropped. A pending
    comment is announced by e-mail to the post's author and the editors.
    """
    user = user if user is not None and user.is_authenticated else None
    if isinstance(data.get("parent"), Comment):
        data = {**data, "parent": data["parent"].pk}
    form = CommentDataForm(
        data={key: value for key, value in data.items() if value is not None}, user=user, post=post
    )
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    cleaned = form.cleaned_data
    parent = cleaned.get("parent")
    if user is not None:
        author_name, author_email = account_identity(user)
    else:
        author_name, author_email = cleaned["author_name"].strip(), cleaned["author_email"]
    meta = RequestMeta.coerce(request_meta)
    submission = Submission(
        post=post,
        author_name=author_name,
        author_email=author_email,
        author_url=cleaned.get("author_url") or "",
        body=cleaned["body"],
        ip_address=truncate_ip(meta.remote_addr),
        client_address=meta.remote_addr,
        user_agent=truncate_user_agent(meta.user_agent),
        user=user,
        token={key: data.get(key) for key in TOKEN_FIELDS},
    )
    with translation.override(settings.LANGUAGE_CODE):
        # Reasons are stored for the moderators: in the site's language, not the reader's.
        decision = moderate(submission)
    if decision.verdict.refusal is not None:
        raise decision.verdict.refusal
    comment = Comment(
        post=post,
        parent=parent,
        user=user,
        author_name=submission.author_name,
        author_email=submission.author_email,
        author_url=submission.author_url,
        body=submission.body,
        status=decision.status,
        moderation_rule=decision.rule[:50],
        moderation_reason=str(decision.reason)[:255],
        ip_address=submission.ip_address,
        user_agent=submission.user_agent,
        created_at=submission.now,
        form_token=submission.form_token,
    )
    comment.full_clean(exclude=["form_token"])
    try:
        with transaction.atomic():
            comment.save()
    except IntegrityError:
        # Two submissions with one token at the same moment: the first one stored wins.
        if comment.form_token and Comment.objects.filter(form_token=comment.form_token).exists():
            raise CommentTokenRefused(expired=False) from None
        raise
    if comment.status == Comment.Status.PENDING:
        notify_moderators(comment=comment, base_url=meta.base_url)
    return comment


def comment_moderate(*, comment, action, by):
    """Approve, mark as spam, trash or restore (back to pending) `comment` as the moderator `by`."""
    if action not in MODERATION_ACTIONS:
        raise ValidationError({"action": _("Unknown moderation action “%(action)s”.") % {"action": action}})
    if not can_moderate(by, comment):
        raise PermissionDenied(_("You may not moderate this comment."))
    comment.status = MODERATION_ACTIONS[action]
    comment.moderation_rule = "moderator"
    with translation.override(settings.LANGUAGE_CODE):
        comment.moderation_reason = _("%(action)s by %(user)s") % {
            "action": comment.get_status_display(),
            "user": by.get_username(),
        }
    with transaction.atomic():
        comment.full_clean()
        comment.save()
        if action == "approve":
            # A moderator has seen it: earlier reports no longer count towards hiding it.
            comment.reports.filter(resolved=False).update(resolved=True)
    return comment


def comment_reply(*, parent, body, by):
    """
    A moderator's reply to `parent`, approved at once and threaded under it.
    As in WordPress ("Approve and reply"), replying approves a pending parent.
    """
    if not can_moderate(by, parent):
        raise PermissionDenied(_("You may not moderate this comment."))
    if parent.status in (Comment.Status.SPAM, Comment.Status.TRASH):
        raise ValidationError({"parent": _("Restore this comment before replying to it.")})
    if not (body or "").strip():
        raise ValidationError({"body": _("Please write a reply.")})
    with transaction.atomic():
        if parent.status == Comment.Status.PENDING:
            comment_moderate(comment=parent, action="approve", by=by)
        name, email = account_identity(by)
        reply = Comment(
            post=parent.post,
            parent=attach_point(parent),
            user=by,
            author_name=name,
            author_email=email,
            body=body,
            status=Comment.Status.APPROVED,
            moderation_rule="moderator",
            moderation_reason=_("Reply from a moderator"),
        )
        reply.full_clean()
        reply.save()
    return reply


# Reader reports --------------------------------------------------------------


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


# Notifications -----------------------------------------------------------------


def moderator_recipients(comment):
    """The post's author and every editor, by e-mail, minus whoever wrote the comment."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    emails = set(users.filter(groups__name=roles.EDITOR).values_list("email", flat=True).distinct())
    author_user = comment.post.author.user
    if author_user.is_active and author_user.email:
        emails.add(author_user.email)
    if comment.user_id:
        emails.discard(comment.user.email)
    return sorted(emails)


def notify_moderators(*, comment, base_url=""):
    """E-mail the moderators about a comment waiting for them. A mail failure never loses the comment."""
    try:
        recipients = moderator_recipients(comment)
        if not recipients:
            return 0
        subject, message = _notification(comment, base_url)
        return send_mass_mail([(subject, message, None, [email]) for email in recipients])
    except Exception:
        logger.exception("Could not send the moderation e-mail for comment %s", comment.pk)
        return 0


def _notification(comment, base_url):
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[%(site)s] Comment waiting for moderation: “%(title)s”") % {
            "site": settings.PLUME_SITE_NAME,
            "title": " ".join(comment.post.title.split()),  # no line break in a header
        }
        message = _(
            "A new comment on “%(title)s” is waiting for your approval.\n\n"
            "Author: %(name)s (%(email)s)\n"
            "Website: %(url)s\n"
            "Why it waits: %(reason)s\n\n"
            "%(body)s\n\n"
            "Moderate it: %(admin_url)s\n"
            "Post: %(post_url)s\n"
        ) % {
            "title": comment.post.title,
            "name": comment.author_name,
            "email": comment.author_email or "-",
            "url": comment.author_url or "-",
            "reason": comment.moderation_reason,
            "body": comment.body,
            "admin_url": absolute_url(
                reverse("admin:comments_comment_change", args=[comment.pk]), base_url=base_url
            ),
            "post_url": absolute_url(comment.post.get_absolute_url(), base_url=base_url),
        }
    return subject, message


# Personal data (RGPD/GDPR) -----------------------------------------------------


def personal_data_export(*, email):
    """Every comment and stored datum for `email`, as a JSON-ready dict."""
    comments = (
        Comment.objects.filter(author_email__iexact=email).select_related("post").order_by("created_at")
    )
    return {
        "email": email,
        "comments": [
            {
                "id": comment.pk,
                "post": comment.post.title,
                "post_url": comment.post.get_absolute_url(),
                "in_reply_to": comment.parent_id,
                "author_name": comment.author_name,
                "author_email": comment.author_email,
                "author_url": comment.author_url,
                "body": comment.body,
                "status": comment.status,
                "ip_address": comment.ip_address,
                "user_agent": comment.user_agent,
                "created_at": comment.created_at.isoformat(),
            }
            for comment in comments
        ],
    }


def personal_data_erase(*, email):
    """
    Anonymize every comment by `email`, as WordPress's eraser does: name
    "Anonymous" (translated), e-mail, website, IP, browser and account link
    removed; the text is kept. Returns the number of comments anonymized.
    """
    with translation.override(settings.LANGUAGE_CODE):
        anonymous = _("Anonymous")
    erased = Comment.objects.filter(author_email__iexact=email).update(
        author_name=anonymous,
        author_email="",
        author_url="",
        ip_address=None,
        user_agent="",
        user=None,
        updated_at=timezone.now(),
    )
    if erased:
        comments_changed.send(sender=Comment)
    return erased


def comments_purge(*, older_than_days):
    """
    Delete spam and trash not touched for `older_than_days` days. Replies to a
    purged comment are moved up to its nearest kept ancestor first, so that
    deleting a comment never deletes the (approved) answers under it.
    """
    cutoff = timezone.now() - timedelta(days=older_than_days)
    doomed = dict(
        Comment.objects.filter(
            status__in=[Comment.Status.SPAM, Comment.Status.TRASH], updated_at__lt=cutoff
        ).values_list("pk", "parent_id")
    )
    if not doomed:
        return 0
    with transaction.atomic():
        for child in Comment.objects.filter(parent_id__in=doomed.keys()).exclude(pk__in=doomed.keys()):
            ancestor = child.parent_id
            while ancestor in doomed:
                ancestor = doomed[ancestor]
            Comment.objects.filter(pk=child.pk).update(parent_id=ancestor)
        Comment.objects.filter(pk__in=doomed.keys()).delete()
    return len(doomed)
