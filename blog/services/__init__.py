"""
Functions that change the blog's state; views, admin actions, the API and
commands call these. One module per concern, all importable from here.
"""

from .publishing import post_publish, post_unpublish
from .wordpress_import import (
    IMPORT_KINDS,
    REPAIR_KINDS,
    ImportReport,
    WxrError,
    text_repair,
    wordpress_import,
)

__all__ = [
    "IMPORT_KINDS",
    "REPAIR_KINDS",
    "ImportReport",
    "WxrError",
    "post_publish",
    "post_unpublish",
    "text_repair",
    "wordpress_import",
]
