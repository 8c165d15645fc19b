from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "plume.api"
    label = "plume_api"
    verbose_name = "API"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

        from authors.models import Author
        from blog.models import Category, Media, Page, Post, Tag
        from comments.models import Comment
        from core.api.caching import invalidate, invalidate_for_comment
        from plume import purging

        for model in (Post, Page, Category, Tag, Author, Media):
            post_save.connect(invalidate, sender=model, dispatch_uid=f"api-cache-save-{model.__name__}")
        post_save.connect(invalidate_for_comment, sender=Comment, dispatch_uid="api-cache-save-Comment")
        for model in (Post, Page, Category, Tag, Author, Comment, Media):
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"api-cache-delete-{model.__name__}")
        for through in (Post.categories.through, Post.tags.through):
            m2m_changed.connect(invalidate, sender=through, dispatch_uid=f"api-cache-m2m-{through.__name__}")

        # Images uploaded through a model's own field get their renditions in the background (core.images).
        post_save.connect(_featured_image_renditions, sender=Post, dispatch_uid="renditions-Post")

        # The HTTP caches in front, purged by surrogate keys (plume/purging.py), on the same changes.
        pre_save.connect(purging.remember_post_state, sender=Post, dispatch_uid="purge-presave-Post")
        post_save.connect(purging.post_saved, sender=Post, dispatch_uid="purge-save-Post")
        pre_delete.connect(purging.post_deleting, sender=Post, dispatch_uid="purge-delete-Post")
        for through in (Post.categories.through, Post.tags.through):
            m2m_changed.connect(
                purging.post_terms_changed, sender=through, dispatch_uid=f"purge-m2m-{through.__name__}"
            )
        for model, receiver in (
            (Page, purging.page_changed),
            (Category, purging.category_changed),
            (Tag, purging.tag_changed),
            (Author, purging.author_changed),
        ):
            post_save.connect(receiver, sender=model, dispatch_uid=f"purge-save-{model.__name__}")
            post_delete.connect(receiver, sender=model, dispatch_uid=f"purge-delete-{model.__name__}")
        post_save.connect(purging.comment_saved, sender=Comment, dispatch_uid="purge-save-Comment")
        post_delete.connect(purging.comment_deleted, sender=Comment, dispatch_uid="purge-delete-Comment")


def _featured_image_renditions(sender, instance, **kwargs):
    from core.images import enqueue_renditions

    enqueue_renditions(instance, "featured_image", "featured_image_renditions")
