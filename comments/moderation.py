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

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.db import connection
from django.db.models import Exists, Q, Subquery, TextField, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .content import is_page
from .exceptions import CommentFlood, CommentsClosed, CommentTokenRefused
from .models import Comment, ModerationWord, SpamModel
from .privacy import address_digest, reader_address
from .tokens import comment_form_token as comment_form_token  # re-exported: part of this API
from .tokens import token_age, token_nonce, used_token_key

logger = logging.getLogger(__name__)

LINK_RE = re.compile(r"(?:https?://|www\.)", re.IGNORECASE)
FLOOD_KEY = "comments:flood:%s"


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
    ip_address: str | None = None  # already truncated: what is stored
    client_address: str = ""  # the full address, for the flood rule only: never stored
    user_agent: str = ""
    user: object = None
    token: dict = field(default_factory=dict)
    now: datetime = field(default_factory=timezone.now)
    # The stored comment when this is an edit of it (its writer's or a moderator's): the rules
    # about the act of sending a form (token, flood, honeypot, timing) do not run then.
    edit_of: object = None

    @property
    def form_token(self):
        """What `Comment.form_token` remembers of a genuine token, or None (see comments.tokens)."""
        nonce = token_nonce(post=self.post, token=self.token)
        if nonce is None:
            return None
        return used_token_key(nonce=nonce, truncated_ip=self.ip_address, user_agent=self.user_agent)

    @cached_property
    def facts(self):
        """
        What the rules ask the database about this submission, in one query, asked by the
        first rule that needs any of it: whether its form token was used already
        ("token_used"), whether its address is a staff member's ("staff_address"), whether
        an approved comment vouches for its account or its name and address ("known_account",
        "known_name"), and the current spam model's id ("spam_model"). A fact that does not
        apply (no genuine token, nobody signed in…) is left out of the query and is False.
        """
        facts = {"token_used": False, "staff_address": False, "known_account": False, "known_name": False}
        asked = {
            "spam_model": Subquery(SpamModel.objects.order_by("-trained_at", "-pk").values("pk")[:1]),
            "words": _word_lists_sql(),
        }
        if self.form_token is not None:
            asked["token_used"] = Exists(Comment.objects.filter(form_token=self.form_token))
        email, signed_in = self.author_email, self.user is not None and self.user.is_authenticated
        if email and not (signed_in and self.user.email.casefold() == email.casefold()):
            staff = get_user_model().objects.filter(Q(is_staff=True) | Q(is_superuser=True))
            asked["staff_address"] = Exists(staff.filter(email__iexact=email))
        approved = Comment.objects.approved()
        if signed_in:
            asked["known_account"] = Exists(approved.filter(user=self.user))
        name = self.author_name.strip()
        if name and email:
            not_staff = Q(user__isnull=True) | Q(user__is_staff=False, user__is_superuser=False)
            asked["known_name"] = Exists(
                approved.filter(not_staff, author_email__iexact=email, author_name__iexact=name)
            )
        # A query needs a table: the post's row is at hand (and found by its primary key).
        row = type(self.post).objects.filter(pk=self.post.pk).values(**asked).first()
        return facts | (row or {"spam_model": None, "words": None})

    @cached_property
    def moderation_words(self):
        """Both word lists, {action: [word, ...]}, read once (with the `facts`) for every rule that asks."""
        pairs = self.facts["words"]
        if pairs is None:  # another database, or the post is gone (the INSERT will say so)
            pairs = ModerationWord.objects.order_by("word").values_list("action", "word")
        else:
            pairs = json.loads(pairs)
        words = {}
        for action, word in pairs:
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


# Every moderation word as a JSON list of [action, word] ordered by word, as a subquery's text.
WORD_LISTS_SQL = {
    "postgresql": "SELECT COALESCE(json_agg(json_build_array(action, word) ORDER BY word), '[]')::text "
    "FROM {table}",
    "sqlite": "SELECT json_group_array(json_array(action, word)) "
    "FROM (SELECT action, word FROM {table} ORDER BY word)",
}


def _word_lists_sql():
    """The moderation words for `Submission.facts`: no parameter, the table's own name."""
    if connection.vendor not in WORD_LISTS_SQL:
        return Value(None, output_field=TextField())  # read apart (Submission.moderation_words)
    sql = WORD_LISTS_SQL[connection.vendor].format(
        table=connection.ops.quote_name(ModerationWord._meta.db_table)
    )
    return RawSQL(sql, [], output_field=TextField())  # noqa: S611 - fixed SQL, nothing from outside


# Rules ----------------------------------------------------------------------


def comments_open(post, *, now=None):
    """
    Whether `post` takes comments now: allowed, public, and not older than the limit. A page
    (a guestbook) takes them as long as it allows them and is public: the limit is for posts.
    """
    now = now or timezone.now()
    if not post.allow_comments or not post.is_public:
        return False
    if is_page(post):
        return True
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    return not (days and post.published_at < now - timedelta(days=days))


def closed_comments(submission):
    if not comments_open(submission.post, now=submission.now):
        return Verdict.refuse(CommentsClosed(), _("Comments are closed for this post."))
    return None


def expired_or_used_token(submission):
    """
    A genuine token (a forged one is the spam rules' business) older than
    COMMENTS_TOKEN_MAX_AGE, or already used by this sender for a stored comment,
    is refused: the reader gets a fresh token and sends the same text again.
    `Comment.form_token` is unique, so two submissions racing with one token
    cannot both be stored.
    """
    nonce = token_nonce(post=submission.post, token=submission.token)
    if nonce is None:
        return None
    age = submission.now.timestamp() - int(submission.token["timestamp"])
    if age > settings.COMMENTS_TOKEN_MAX_AGE:
        return Verdict.refuse(CommentTokenRefused(expired=True), _("The comment form was too old."))
    if submission.facts["token_used"]:
        return Verdict.refuse(CommentTokenRefused(expired=False), _("The comment form was already used."))
    return None


def flood(submission):
    """
    One comment per reader per COMMENTS_FLOOD_SECONDS. A reader is their full
    address (IPv6: its /64), so neighbours in one /24 do not wait for each
    other. The address is kept only as a keyed hash, only in the cache and only
    for the window; `cache.add` claims the window atomically, so of several
    simultaneous submissions from one reader exactly one gets through (across
    workers with a shared cache such as Redis; a local-memory cache is per process).

    When the cache fails (or keeps nothing, as the dummy cache), the rule falls
    back to the stored, truncated addresses: commenting keeps working and floods
    are still refused, at the price of neighbours in one /24 (IPv6 /48) waiting
    for each other until the cache is back.
    """
    seconds = settings.COMMENTS_FLOOD_SECONDS
    address = reader_address(submission.client_address or submission.ip_address)
    if address is None or seconds <= 0:
        return None
    if isinstance(caches["default"], DummyCache):
        return _flood_from_stored_addresses(submission)
    key = FLOOD_KEY % address_digest(address, purpose="flood")
    until = submission.now.timestamp() + seconds
    try:
        claimed = cache.add(key, until, timeout=seconds)
        last_until = None if claimed else cache.get(key)
    except Exception:  # any cache failure: Redis down, a timeout, a refused connection
        cache_outage.failed()
        return _flood_from_stored_addresses(submission)
    if claimed is None:  # a cache client told to swallow its errors (django-redis IGNORE_EXCEPTIONS)
        cache_outage.failed()
        return _flood_from_stored_addresses(submission)
    cache_outage.recovered()
    if claimed:
        return None
    retry_after = (last_until or until) - submission.now.timestamp()
    return _flood_refusal(retry_after)


def _flood_refusal(retry_after):
    return Verdict.refuse(
        CommentFlood(retry_after=retry_after + 0.999),
        _("Another comment came from this address less than %(seconds)s seconds ago.")
        % {"seconds": settings.COMMENTS_FLOOD_SECONDS},
    )


def _flood_from_stored_addresses(submission):
    """The fallback: the latest stored comment from the same truncated address."""
    if not submission.ip_address:
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
    return _flood_refusal(settings.COMMENTS_FLOOD_SECONDS - (submission.now - last).total_seconds())


class CacheOutage:
    """Logs a cache failure once when it starts and once when it ends, not on every comment."""

    def __init__(self):
        self.failing = False

    def failed(self):
        if not self.failing:
            self.failing = True
            logger.warning("Cache unavailable: the comment flood rule uses the stored addresses meanwhile.")

    def recovered(self):
        if self.failing:
            self.failing = False
            logger.warning("The cache is back: the comment flood rule uses it again.")


cache_outage = CacheOutage()


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


def word_pattern(word):
    """
    `word` (or phrase) as a whole word: not inside a longer one ("con" is not in "conseil",
    "sexe" not in "unisexe"; Python's `\\w` knows accented letters). An end that is not a
    letter or digit stays a prefix or suffix, as moderators use it: "203.0.113." is an IP range.
    """
    word = word.strip().casefold()
    start = r"(?<!\w)" if re.match(r"\w", word) else ""
    end = r"(?!\w)" if re.search(r"\w$", word) else ""
    return re.compile(f"{start}{re.escape(word)}{end}")


def _find_word(submission, action):
    haystack = "\n".join(submission.text_fields()).casefold()
    words = submission.moderation_words.get(action, [])
    return next((word for word in words if word.strip() and word_pattern(word).search(haystack)), None)


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


def _signed_in(submission):
    user = submission.user
    return user is not None and user.is_authenticated


def staff_address(submission):
    """
    Anyone may type a staff member's e-mail address: from someone not signed in to
    that account, it proves nothing, so such a comment waits for a moderator.
    """
    email = submission.author_email
    if not email or (_signed_in(submission) and submission.user.email.casefold() == email.casefold()):
        return None
    if submission.facts["staff_address"]:
        return Verdict.pending(
            _("Uses the e-mail address of a staff member’s account without being signed in to it.")
        )
    return None


def known_author(submission):
    """
    Approved at once: a signed-in reader whose account already has an approved
    comment, or a reader whose name and e-mail both match an approved comment of
    someone who is not staff (a moderator's reply never vouches for its address).
    """
    if _signed_in(submission) and submission.facts["known_account"]:
        return Verdict.approved(_("This account has an earlier approved comment."))
    if submission.facts["known_name"]:
        return Verdict.approved(_("This name and e-mail address have an earlier approved comment."))
    return None


def default_status(submission):
    if settings.COMMENTS_DEFAULT_STATUS == Comment.Status.APPROVED:
        return Verdict.approved(_("Comments are approved by default on this site."))
    return Verdict.pending(_("New comments wait for a moderator."))


# The pipeline ---------------------------------------------------------------


def rule_name(rule):
    return getattr(rule, "rule_name", None) or rule.__name__


def sending_rule(rule):
    """Mark `rule` as judging the act of sending a form, not the comment: an edit skips it."""
    rule.sending_only = True
    return rule


for _rule in (expired_or_used_token, flood, honeypot, form_timestamp):
    sending_rule(_rule)


def moderation_rules():
    """The rules of `settings.COMMENTS_MODERATION_RULES` (comments/conf.py lists the default order)."""
    return [import_string(path) for path in settings.COMMENTS_MODERATION_RULES]


def moderate(submission, rules=None):
    """Run the rules in order; the first verdict wins (the last rule should always give one)."""
    for rule in moderation_rules() if rules is None else rules:
        if submission.edit_of is not None and getattr(rule, "sending_only", False):
            continue
        verdict = rule(submission)
        if verdict is not None:
            return Decision(rule_name(rule), verdict)
    return Decision("none", Verdict.pending(_("No rule decided; held for a moderator.")))
