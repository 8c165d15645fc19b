from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Blog")

    def ready(self):
        from .models import Page
        from .pages import forget_site_pages

        post_save.connect(forget_site_pages, sender=Page, dispatch_uid="blog-site-pages-save")
        post_delete.connect(forget_site_pages, sender=Page, dispatch_uid="blog-site-pages-delete")
