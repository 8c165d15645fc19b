"""
The comments app's settings and their defaults, declared here by the app.

`plume/settings.py` may set any of them (from the environment, read with the
type given here); whatever it leaves unset gets the default below when the app
is ready (`CommentsConfig.ready`), so `settings.COMMENTS_*` is always defined.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# name: (type the environment is read as, default)
SETTINGS = {
    # Days after publication a post stops taking comments; 0 keeps them open.
    "COMMENTS_CLOSE_AFTER_DAYS": (int, 0),
    # The verdict when no rule decided: "pending" or "approved".
    "COMMENTS_DEFAULT_STATUS": (str, "pending"),
    # Seconds between two comments from one address; 0 turns the flood rule off.
    "COMMENTS_FLOOD_SECONDS": (int, 15),
    # Replies shown nested this deep at most.
    "COMMENTS_MAX_DEPTH": (int, 5),
    # More links than this and a comment waits for a moderator.
    "COMMENTS_MAX_LINKS": (int, 2),
    # A form sent back sooner than this after it was shown is a robot's.
    "COMMENTS_MIN_SUBMIT_SECONDS": (int, 3),
    # In order; the first rule with a verdict decides. Refusals come first (nothing stored).
    "COMMENTS_MODERATION_RULES": (
        list,
        [
            "comments.moderation.closed_comments",
            "comments.moderation.expired_or_used_token",
            "comments.moderation.flood",
            "comments.moderation.honeypot",
            "comments.moderation.form_timestamp",
            "comments.moderation.blocked_words",
            "comments.moderation.moderation_words",
            "comments.spam_filter.spam_score",
            "comments.akismet.akismet",
            "comments.moderation.too_many_links",
            "comments.moderation.staff_address",
            "comments.moderation.known_author",
            "comments.moderation.default_status",
        ],
    ),
    # Days a "notify me" confirmation link stays valid; unconfirmed subscriptions older than
    # this are dropped by `purge_comments`.
    "COMMENTS_SUBSCRIPTION_CONFIRM_DAYS": (int, 7),
    # The local spam score (comments/spam_filter.py): off until this many comments of each
    # kind (spam, approved) exist; spam from this score, held from that one (0 to 1).
    "COMMENTS_SPAM_MIN_VERDICTS": (int, 30),
    "COMMENTS_SPAM_SCORE_SPAM": (float, 0.98),
    "COMMENTS_SPAM_SCORE_HOLD": (float, 0.8),
    # Seconds after a moderator's verdict before the spam model is retrained (a burst, once).
    "COMMENTS_SPAM_TRAINING_DELAY": (int, 60),
    # Top-level threads per page of a post's comments (?cpage=N, oldest first), as WordPress's
    # "comments_per_page" (50); 0 shows every comment on one page.
    "COMMENTS_PER_PAGE": (int, 50),
    # Readers (distinct addresses and sessions) whose reports send an approved comment back to moderation.
    "COMMENTS_REPORTS_TO_HIDE": (int, 3),
    # Reports one address may send in an hour.
    "COMMENTS_REPORTS_PER_HOUR": (int, 10),
    # Seconds after posting a reader may edit or delete their own comment, from the browser that
    # sent it (a signed cookie) or with the API's `edit_token`; 0 turns reader edits off.
    "COMMENTS_EDIT_WINDOW": (int, 600),
    # The optional Akismet rule (comments/akismet.py): off without a key. It sends the comment,
    # the reader's name, e-mail, address and browser to Automattic in the United States.
    "COMMENTS_AKISMET_API_KEY": (str, ""),
    "COMMENTS_AKISMET_ENDPOINT": (str, "https://rest.akismet.com/1.1/comment-check"),
    # Seconds to wait for Akismet's answer; past that (or on any failure) it gives no verdict.
    "COMMENTS_AKISMET_TIMEOUT": (float, 2.0),
    # Seconds a form token is accepted (as django-contrib-comments' COMMENTS_TIMEOUT); it serves once.
    "COMMENTS_TOKEN_MAX_AGE": (int, 2 * 3600),
}


# The values a setting may take, where they are few.
CHOICES = {"COMMENTS_DEFAULT_STATUS": ("pending", "approved")}


def apply_defaults():
    for name, (_cast, default) in SETTINGS.items():
        if not hasattr(settings, name):
            setattr(settings, name, default)
    for name, choices in CHOICES.items():
        if getattr(settings, name) not in choices:
            raise ImproperlyConfigured(
                f"{name}: {getattr(settings, name)!r} is not one of {', '.join(choices)}"
            )
