from django.apps import AppConfig
from django.db.models.signals import pre_delete
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Comments")

    def ready(self):
        from django.utils.translation import pgettext_lazy

        from blog.extensions import (
            register_comment_counter,
            register_page_context,
            register_post_page_context,
            register_post_subpath,
        )
        from core.text import register_repairable

        from . import conf
        from .models import Comment, approved_comment_count, lift_replies
        from .templatetags.comments_tags import page_context, post_page_context

        register_comment_counter(approved_comment_count)
        register_post_page_context(post_page_context)
        register_page_context(page_context)  # pages that allow comments show the same section
        register_post_subpath("comments/feed/")  # its address follows the post's slug

        conf.apply_defaults()
        pre_delete.connect(lift_replies, sender=Comment, dispatch_uid="comments-lift-replies")
        register_repairable(
            "comments", pgettext_lazy("import report", "Comments"), Comment, ("author_name", "body")
        )
