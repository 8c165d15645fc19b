"""
Functions that change the blog's state; views, admin actions, the API and
commands call these. One module per concern, all importable from here.
"""

from .publishing import post_publish, post_unpublish

__all__ = ["post_publish", "post_unpublish"]
