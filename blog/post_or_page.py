"""
Rows that belong to a post or to a page, never both: revisions, autosaves and preview
links here, comments and their subscriptions in the comments app. `foreign_keys` gives
such a model its two nullable keys, `exactly_one` the check constraint that one is set.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def foreign_keys(related_name, *, page_index=True):
    """(post, page): the two keys, both optional, deleted with what they point to."""

    def key(model, verbose_name, **options):
        return models.ForeignKey(
            model,
            on_delete=models.CASCADE,
            null=True,
            blank=True,
            related_name=related_name,
            verbose_name=verbose_name,
            **options,
        )

    page_options = {} if page_index else {"db_index": False}
    return key("blog.Post", _("post")), key("blog.Page", _("page"), **page_options)


def exactly_one(name):
    """The constraint that a row has its post or its page, not both nor neither."""
    return models.CheckConstraint(
        condition=Q(post__isnull=False, page__isnull=True) | Q(post__isnull=True, page__isnull=False),
        name=name,
    )
