"""
The one wiring of "content changed" (core.changes): which models readers see, turned into
`content_changed` once per change, and what hears it. Called from plume.api's ready().

Adding a kind of content is one line in CONTENT_MODELS; adding a consequence of every
change (a webhook, say) is one receiver in RECEIVERS.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from authors.models import Author
from blog.models import Category, Media, Page, Post, Tag
from blog.signals import content_published
from comments.models import Comment
from core.caching import invalidate_on_change
from core.changes import content_changed
from core.models import SiteSettings
from webhooks.events import on_everything_changed

from . import purging

# What readers see, on pages, in feeds and through the API (the site's name and colours included).
CONTENT_MODELS = (Post, Page, Category, Tag, Author, Comment, SiteSettings, Media)
RELATIONS = (Post.categories.through, Post.tags.through)
# Everything a change sets off: the response cache (pages, feeds, API), the caches in front,
# and the webhooks of a bulk write (the others hear the blog services' own events).
RECEIVERS = (invalidate_on_change, purging.purge_on_change, on_everything_changed)


def is_change(instance, created):
    """
    Whether a save changes what readers see. Not a new comment held for moderation (spam must
    not empty the caches), nor the settings row made on first read with the defaults every
    page showed already (the admin only ever edits that row).
    """
    if not created:
        return True
    if isinstance(instance, Comment):
        return instance.status == Comment.Status.APPROVED
    return not isinstance(instance, SiteSettings)


def _saving(sender, instance, raw=False, **kwargs):
    content_changed.send(sender=sender, instance=instance, change="saving", raw=raw)


def _saved(sender, instance, created=False, raw=False, **kwargs):
    if is_change(instance, created):
        content_changed.send(sender=sender, instance=instance, change="saved", created=created, raw=raw)


def _deleting(sender, instance, **kwargs):
    content_changed.send(sender=sender, instance=instance, change="deleting", raw=False)


def _deleted(sender, instance, **kwargs):
    content_changed.send(sender=sender, instance=instance, change="deleted", raw=False)


def _related(sender, instance, action, pk_set=None, reverse=False, **kwargs):
    content_changed.send(
        sender=sender, instance=instance, change="related", action=action, pk_set=pk_set, reverse=reverse,
        raw=False,
    )  # fmt: skip


def _published(sender, instance, **kwargs):
    content_changed.send(sender=sender, instance=instance, change="published", raw=False)


def wire():
    for model in CONTENT_MODELS:
        name = model.__name__
        pre_save.connect(_saving, sender=model, dispatch_uid=f"content-saving-{name}")
        post_save.connect(_saved, sender=model, dispatch_uid=f"content-saved-{name}")
        pre_delete.connect(_deleting, sender=model, dispatch_uid=f"content-deleting-{name}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"content-deleted-{name}")
    for through in RELATIONS:
        m2m_changed.connect(_related, sender=through, dispatch_uid=f"content-related-{through.__name__}")
    content_published.connect(_published, dispatch_uid="content-published")
    for receiver in RECEIVERS:
        content_changed.connect(
            receiver, dispatch_uid=f"content-changed-{receiver.__module__}.{receiver.__name__}"
        )
