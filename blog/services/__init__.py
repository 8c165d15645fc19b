"""
Functions that change the blog's state; views, admin actions, the API and
commands call these, and each asks `blog.permissions` first. One module per
concern, all importable from here.
"""

from .pages import page_create, page_delete, page_update
from .posts import post_create, post_delete, post_update
from .publishing import post_publish, post_unpublish

__all__ = [
    "page_create",
    "page_delete",
    "page_update",
    "post_create",
    "post_delete",
    "post_publish",
    "post_unpublish",
    "post_update",
]
