from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "plume.api"
    label = "plume_api"
    verbose_name = "API"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from authors.models import Author
        from blog.models import Category, Page, Post, Tag
        from comments.models import Comment
        from core.api.caching import invalidate, invalidate_for_comment

        for model in (Post, Page, Category, Tag, Author):
            post_save.connect(invalidate, sender=model, dispatch_uid=f"api-cache-save-{model.__name__}")
        post_save.connect(invalidate_for_comment, sender=Comment, dispatch_uid="api-cache-save-Comment")
        for model in (Post, Page, Category, Tag, Author, Comment):
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"api-cache-delete-{model.__name__}")
        for through in (Post.categories.through, Post.tags.through):
            m2m_changed.connect(invalidate, sender=through, dispatch_uid=f"api-cache-m2m-{through.__name__}")
