from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "plume.api"
    label = "plume_api"
    verbose_name = "API"

    def ready(self):
        from django.db.models.signals import post_save

        from authors.models import Author
        from blog.models import Post
        from plume import changes

        # Every content change, once, to everything that depends on it (plume/changes.py).
        changes.wire()
        # Images uploaded through a model's own field get their renditions in the background (core.images).
        post_save.connect(_featured_image_renditions, sender=Post, dispatch_uid="renditions-Post")
        post_save.connect(_avatar_renditions, sender=Author, dispatch_uid="renditions-Author")


def _featured_image_renditions(sender, instance, **kwargs):
    from core.images import enqueue_renditions

    enqueue_renditions(instance, "featured_image", "featured_image_renditions")


def _avatar_renditions(sender, instance, **kwargs):
    from django.conf import settings

    from core.images import enqueue_renditions

    # Square, like the thumbnail they stand for.
    widths = settings.PLUME_AVATAR_WIDTHS
    enqueue_renditions(instance, "avatar", "avatar_renditions", widths=widths, square=True)
