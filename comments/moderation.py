"""
The moderation pipeline: an ordered list of rules, `settings.COMMENTS_MODERATION_RULES`.

Each rule is a function `rule(submission) -> Verdict | None`. The first rule
that returns a verdict decides; `None` means "no opinion, ask the next rule".
The deciding rule's name and its human reason are stored on the comment, so a
moderator always sees why a comment is where it is.

A verdict either sets a status (spam, pending, approved) or refuses the
submission (`Verdict.refuse(...)`: closed comments, flood), in which case
nothing is stored and the service raises the refusal.

The default order puts the refusals first, departing from the order the
design lists them in: a closed post or a flooding client must not be able to
fill the database with stored spam before the refusal is reached.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .exceptions import CommentFlood, CommentsClosed
from .models import Comment, ModerationWord

TOKEN_SALT = "comments.form-token"  # noqa: S105 (an HMAC salt, not a secret)
LINK_RE = re.compile(r"(?:https?://|www\.)", re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    status: str | None
    reason: str
    refusal: Exception | None = None

    @classmethod
    def spam(cls, reason):
        return cls(Comment.Status.SPAM, reason)

    @classmethod
    def pending(cls, reason):
        return cls(Comment.Status.PENDING, reason)

    @classmethod
    def approved(cls, reason):
        return cls(Comment.Status.APPROVED, reason)

    @classmethod
    def refuse(cls, refusal, reason):
        return cls(None, reason, refusal)


@dataclass(frozen=True)
class Decision:
    rule: str
    verdict: Verdict

    @property
    def status(self):
        return self.verdict.status

    @property
    def reason(self):
        return self.verdict.reason


@dataclass
class Submission:
    """What the rules look at: the validated fields and where they came from."""

    post: object
    author_name: str
    author_email: str
    author_url: str
    body: str
    ip_address: str | None = None  # already truncated
    user_agent: str = ""
    user: object = None
    token: dict = field(default_factory=dict)
    now: datetime = field(default_factory=timezone.now)

    @cached_property
    def moderation_words(self):
        """Both word lists, {action: [word, ...]}, read once (one query) for every rule that asks."""
        words = {}
        for action, word in ModerationWord.objects.order_by("word").values_list("action", "word"):
            words.setdefault(action, []).append(word)
        return words

    def text_fields(self):
        return [
            self.author_name,
            self.author_email,
            self.author_url,
            self.body,
            self.ip_address or "",
            self.user_agent,
        ]


# The signed form token ------------------------------------------------------


def _token_hash(post_id, timestamp):
    return salted_hmac(TOKEN_SALT, f"{post_id}:{timestamp}").hexdigest()


def comment_form_token(*, post, now=None):
    """
    The fields a client must send back unchanged with a comment: when the form
    was served (signed, so it cannot be backdated) and the empty honeypot.
    """
    timestamp = str(int((now or timezone.now()).timestamp()))
    return {"timestamp": timestamp, "security_hash": _token_hash(post.pk, timestamp), "honeypot": ""}


def token_age(*, post, token, now=None):
    """Seconds since the form was served, or None when the token is missing or forged."""
    timestamp = str(token.get("timestamp") or "")
    security_hash = str(token.get("security_hash") or "")
    if not timestamp.isdigit() or not constant_time_compare(security_hash, _token_hash(post.pk, timestamp)):
        return None
    return (now or timezone.now()).timestamp() - int(timestamp)


# Rules ----------------------------------------------------------------------


def comments_open(post, *, now=None):
    """Whether `post` takes comments now: allowed, public, and not older than the limit."""
    now = now or timezone.now()
    if not post.allow_comments or not post.is_public:
        return False
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    return not (days and post.published_at < now - timedelta(days=days))


def closed_comments(submission):
    if not comments_open(submission.post, now=submission.now):
        return Verdict.refuse(CommentsClosed(), _("Comments are closed for this post."))
    return None


def flood(submission):
    if not submission.ip_address or settings.COMMENTS_FLOOD_SECONDS <= 0:
        return None
    since = submission.now - timedelta(seconds=settings.COMMENTS_FLOOD_SECONDS)
    last = (
        Comment.objects.filter(ip_address=submission.ip_address, created_at__gt=since)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is None:
        return None
    retry_after = settings.COMMENTS_FLOOD_SECONDS - (submission.now - last).total_seconds()
    return Verdict.refuse(
        CommentFlood(retry_after=retry_after + 0.999),
        _("Another comment came from this address less than %(seconds)s seconds ago.")
        % {"seconds": settings.COMMENTS_FLOOD_SECONDS},
    )


def honeypot(submission):
    if str(submission.token.get("honeypot") or "").strip():
        return Verdict.spam(_("The hidden field that only robots fill in was filled in."))
    return None


def form_timestamp(submission):
    age = token_age(post=submission.post, token=submission.token, now=submission.now)
    if age is None:
        return Verdict.spam(_("The form’s signed timestamp is missing or does not match."))
    if age < settings.COMMENTS_MIN_SUBMIT_SECONDS:
        return Verdict.spam(
            _("Sent %(age)s seconds after the form was shown (at least %(minimum)s expected).")
            % {"age": max(0, round(age, 1)), "minimum": settings.COMMENTS_MIN_SUBMIT_SECONDS}
        )
    return None


def _find_word(submission, action):
    haystack = "\n".join(submission.text_fields()).casefold()
    words = submission.moderation_words.get(action, [])
    return next((word for word in words if word.strip() and word.strip().casefold() in haystack), None)


def blocked_words(submission):
    word = _find_word(submission, ModerationWord.Action.BLOCK)
    if word:
        return Verdict.spam(_("Contains the blocked word “%(word)s”.") % {"word": word})
    return None


def moderation_words(submission):
    word = _find_word(submission, ModerationWord.Action.MODERATE)
    if word:
        return Verdict.pending(_("Contains the moderation word “%(word)s”.") % {"word": word})
    return None


def too_many_links(submission):
    links = len(LINK_RE.findall(submission.body))
    if links > settings.COMMENTS_MAX_LINKS:
        return Verdict.pending(
            _("Contains %(count)s links (more than %(maximum)s).")
            % {"count": links, "maximum": settings.COMMENTS_MAX_LINKS}
        )
    return None


def known_author(submission):
    email = submission.author_email
    if email and Comment.objects.approved().filter(author_email__iexact=email).exists():
        return Verdict.approved(_("This e-mail address has an earlier approved comment."))
    return None


def default_status(submission):
    if settings.COMMENTS_DEFAULT_STATUS == Comment.Status.APPROVED:
        return Verdict.approved(_("Comments are approved by default on this site."))
    return Verdict.pending(_("New comments wait for a moderator."))


# The pipeline ---------------------------------------------------------------


def rule_name(rule):
    return getattr(rule, "rule_name", None) or rule.__name__


def moderation_rules():
    """The rules of `settings.COMMENTS_MODERATION_RULES` (comments/conf.py lists the default order)."""
    return [import_string(path) for path in settings.COMMENTS_MODERATION_RULES]


def moderate(submission, rules=None):
    """Run the rules in order; the first verdict wins (the last rule should always give one)."""
    for rule in moderation_rules() if rules is None else rules:
        verdict = rule(submission)
        if verdict is not None:
            return Decision(rule_name(rule), verdict)
    return Decision("none", Verdict.pending(_("No rule decided; held for a moderator.")))
