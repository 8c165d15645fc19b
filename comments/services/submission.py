"""A reader's comment, from the HTML form or the API: validated, moderated by the rules, stored."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core.clients import client_address, client_ip
from core.links import site_origin

from ..content import on
from ..exceptions import CommentTokenRefused
from ..forms import CommentDataForm
from ..models import Comment, Subscription
from ..moderation import Submission, moderate
from ..moderation import comment_form_token as comment_form_token  # re-exported: part of this API
from ..privacy import truncate_ip, truncate_user_agent
from .notifications import announce_pending
from .subscriptions import announce_approved, subscription_request

TOKEN_FIELDS = ("timestamp", "security_hash", "honeypot")


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
            base_url=site_origin(request=request),
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


def comment_submit(*, post, data, request_meta, user=None):
    """
    Validate, moderate and store a reader's comment on `post` (a post, or a page that
    allows comments); return it with `status`, `moderation_rule` and `moderation_reason` set.

    `data`: author_name, author_email, author_url, body, parent (id or None),
    notify (follow the discussion: a confirmation e-mail is sent), notify_scope
    ("replies" or "post") and the token fields of `comment_form_token`
    (timestamp, security_hash, honeypot). `request_meta`: a `RequestMeta` or
    `request.META`.

    Raises ValidationError (a dict of field messages), CommentsClosed,
    CommentTokenRefused or CommentFlood (nothing stored). Spam is stored, never
    dropped. A pending comment is announced by e-mail to those who may moderate
    it; an approved one to its post's author (when their profile asks) and to the
    discussion's followers.
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
        **on(post),
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
    # The post, the parent (find_parent) and the user were just read: checking that their rows
    # exist again would cost a query each and prove nothing.
    comment.full_clean(exclude=["post", "page", "parent", "user", "form_token"])
    try:
        with transaction.atomic():
            comment.save()
    except IntegrityError:
        # Two submissions with one token at the same moment: the first one stored wins.
        if comment.form_token and Comment.objects.filter(form_token=comment.form_token).exists():
            raise CommentTokenRefused(expired=False) from None
        raise
    if comment.status == Comment.Status.PENDING:
        announce_pending(comment=comment, base_url=meta.base_url)
    elif comment.status == Comment.Status.APPROVED:
        announce_approved(comment=comment, base_url=meta.base_url)
    if cleaned.get("notify"):
        subscription_request(
            comment=comment,
            scope=cleaned.get("notify_scope") or Subscription.Scope.REPLIES,
            base_url=meta.base_url,
        )
    return comment


# Rules whose reason says nothing a reader needs: their comment simply waits, as every one does.
SILENT_RULES = ("default_status", "none")


def reader_answer(comment, *, notify=False):
    """
    What the reader is told once their comment is stored: (status, message). A held comment
    says why in the moderators' words ("Contains 3 links (more than 2)."); spam gets the answer
    any comment waiting for a moderator gets, so a robot learns nothing, and a person caught
    by mistake sees their comment is not lost.
    """
    if comment.status == Comment.Status.APPROVED:
        status, message = comment.status, _("Thank you: your comment is published.")
    else:
        status, message = Comment.Status.PENDING, _("Thank you: your comment is awaiting moderation.")
        if comment.status == Comment.Status.PENDING and comment.moderation_rule not in SILENT_RULES:
            message = _("%(message)s Why: %(reason)s") % {
                "message": message,
                "reason": comment.moderation_reason,
            }
    if notify:
        message = _(
            "%(message)s We sent you an e-mail: open its link to confirm that you want to be notified."
        ) % {"message": message}
    return status, message
