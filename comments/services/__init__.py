"""
State changes of the comments app. The HTML views, the admin, the API and the
management commands all call these; none of them writes a comment itself.
"""

from .moderation import MODERATION_ACTIONS, STATUS_ACTIONS, comment_moderate, comment_reply, comments_purge
from .notifications import moderator_recipients, notify_moderators
from .personal_data import personal_data_erase, personal_data_export
from .reports import comment_report, reporter_key
from .submission import RequestMeta, account_identity, comment_form_token, comment_submit

__all__ = [
    "MODERATION_ACTIONS",
    "STATUS_ACTIONS",
    "RequestMeta",
    "account_identity",
    "comment_form_token",
    "comment_moderate",
    "comment_reply",
    "comment_report",
    "comment_submit",
    "comments_purge",
    "moderator_recipients",
    "notify_moderators",
    "personal_data_erase",
    "personal_data_export",
    "reporter_key",
]
