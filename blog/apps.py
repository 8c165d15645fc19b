from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Blog")

    def ready(self):
        from django.utils.translation import pgettext_lazy

        from core.caching import register_publications
        from core.changes import content_changed
        from core.text import register_repairable

        from .models import Page, Post
        from .pages import forget_site_pages

        register_publications(Post.objects.publication_dates)
        register_publications(Page.objects.publication_dates)
        register_repairable(
            "posts", pgettext_lazy("import report", "Posts"), Post, ("title", "body", "excerpt")
        )
        register_repairable("pages", pgettext_lazy("import report", "Pages"), Page, ("title", "body"))

        # Sent for every change of a page (wired in plume/changes.py).
        content_changed.connect(forget_site_pages, sender=Page, dispatch_uid="blog-site-pages")
