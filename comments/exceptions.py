"""Domain errors of the comments app: views and the API turn them into HTTP answers."""

from django.utils.translation import gettext_lazy as _


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
