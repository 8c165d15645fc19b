"""Domain errors of the comments app: views and the API turn them into HTTP answers."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class CommentsClosed(Exception):
    """The post does not take comments (disallowed, not public, or too old)."""

    def __init__(self, message=None):
        self.message = message or _("Comments are closed for this post.")  # lazy: the reader's language
        super().__init__("Comments are closed")


class CommentFlood(Exception):
    """The same address commented a moment ago: refused (HTTP 429), nothing stored."""

    def __init__(self, *, retry_after):
        self.retry_after = max(1, int(retry_after))
        super().__init__(f"Flood: retry after {self.retry_after} seconds")

    @property
    def message(self):
        """In the language active when shown (the reader's), not when raised."""
        return _("You are commenting too quickly. Please wait %(seconds)s seconds and try again.") % {
            "seconds": self.retry_after
        }


class CommentTokenRefused(Exception):
    """
    The form's token is genuine but expired or already used (HTTP 400, nothing
    stored): the reader is given a fresh token and their text back.
    """

    def __init__(self, *, expired):
        self.expired = expired
        self.code = "comment_token_expired" if expired else "comment_token_used"
        super().__init__(self.code)

    @property
    def message(self):
        if self.expired:
            return _("This comment form has expired. Your text is kept: please send it again.")
        return _(
            "This comment form has already been used to send a comment. "
            "Your text is kept: send it again if it is a new comment."
        )


class CommentEditRefused(Exception):
    """
    A reader may not edit or delete this comment (HTTP 403, nothing changed): the token is not
    its own (`wrong_token`), its COMMENTS_EDIT_WINDOW is over (`window_over`), or a moderator
    removed it (`removed`). See `comments.permissions.reader_edit_refusal`.
    """

    CODES = {
        "wrong_token": "comment_edit_token_invalid",
        "window_over": "comment_edit_window_over",
        "removed": "comment_removed",
    }

    def __init__(self, reason, *, window=0):
        self.reason = reason
        self.code = self.CODES[reason]
        self.window = window
        super().__init__(self.code)

    @property
    def message(self):
        if self.reason == "window_over":
            minutes = max(1, round(self.window / 60))
            return ngettext(
                "A comment can be edited or deleted only during the minute after it was sent.",
                "A comment can be edited or deleted only during the %(minutes)s minutes after it was sent.",
                minutes,
            ) % {"minutes": minutes}
        if self.reason == "removed":
            return _("This comment was removed by the moderators: it can no longer be edited.")
        return _(
            "This comment cannot be edited from here: only the browser or application that sent it "
            "may, with its edit token."
        )
