"""
Functions that change the blog's state; views, admin actions, the API and
commands call these, and each asks `blog.permissions` first. One module per
concern, all importable from here.
"""

from .autosave import autosave_discard, autosave_save
from .golive import schedule_announcements
from .media import media_create, media_delete, media_update
from .pages import page_create, page_delete, page_update
from .posts import post_create, post_delete, post_update
from .previews import preview_link_create, preview_link_revoke, preview_links_prune
from .publishing import post_publish, post_unpublish
from .restore import revision_restore
from .review import post_send_back, post_submit
from .revisions import revisions_prune
from .terms import tags_for_names, term_create, term_delete, term_update

__all__ = [
    "autosave_discard",
    "autosave_save",
    "media_create",
    "media_delete",
    "media_update",
    "page_create",
    "page_delete",
    "page_update",
    "post_create",
    "post_delete",
    "post_publish",
    "post_send_back",
    "post_submit",
    "post_unpublish",
    "post_update",
    "preview_link_create",
    "preview_link_revoke",
    "preview_links_prune",
    "revision_restore",
    "revisions_prune",
    "schedule_announcements",
    "tags_for_names",
    "term_create",
    "term_delete",
    "term_update",
]
