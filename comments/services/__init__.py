"""
State changes of the comments app. The HTML views, the admin, the API and the
management commands all call these; none of them writes a comment itself.
"""

from .editing import comment_delete, comment_edit, comment_edit_by_moderator, comment_withdraw, edit_answer
from .moderation import MODERATION_ACTIONS, STATUS_ACTIONS, comment_moderate, comment_reply, comments_purge
from .notifications import moderator_recipients, notify_moderators, notify_post_author
from .personal_data import personal_data_erase, personal_data_export
from .reports import ReportsThrottled, comment_report, reporter_key
from .submission import RequestMeta, account_identity, comment_form_token, comment_submit, reader_answer
from .subscriptions import (
    SubscriptionLinkExpired,
    SubscriptionLinkInvalid,
    notify_followers,
    subscription_confirm,
    subscription_from_confirmation,
    subscription_remove,
    subscription_request,
    subscriptions_of,
    subscriptions_purge_unconfirmed,
)

__all__ = [
    "MODERATION_ACTIONS",
    "STATUS_ACTIONS",
    "ReportsThrottled",
    "RequestMeta",
    "SubscriptionLinkExpired",
    "SubscriptionLinkInvalid",
    "account_identity",
    "comment_delete",
    "comment_edit",
    "comment_edit_by_moderator",
    "comment_form_token",
    "comment_moderate",
    "comment_reply",
    "comment_report",
    "comment_submit",
    "comment_withdraw",
    "edit_answer",
    "comments_purge",
    "moderator_recipients",
    "notify_followers",
    "notify_moderators",
    "notify_post_author",
    "personal_data_erase",
    "personal_data_export",
    "reader_answer",
    "reporter_key",
    "subscription_confirm",
    "subscription_from_confirmation",
    "subscription_remove",
    "subscription_request",
    "subscriptions_of",
    "subscriptions_purge_unconfirmed",
]
