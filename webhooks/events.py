"""
What happens on the site, as webhook events.

Post and page events come from the blog services' `content_saved` and
`content_deleted` (blog.signals): one write, whatever rows it touched (the post, its
categories and tags, a revision), is one event, judged on whether readers saw the
object before and after it. `post.published` (`page.published`) for a post (a page)
going live now or at its scheduled date comes from `content_published`, sent once per
publication by the go-live task; one put back live whose date was already announced gets
it from its write.
`comment.approved` is the status of a comment becoming approved (moderation or the
rules at submission); `site.changed` follows any change a static frontend rebuilds for.

Nothing is queried or sent here: `emit` queues the event for the end of the
transaction (the same event about the same object twice in one transaction is one
event), and webhooks.dispatch records the deliveries then.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from authors.models import Author
from blog.models import Category, Post, Tag
from blog.signals import content_deleted, content_published, content_saved
from comments.models import Comment
from core.models import SiteSettings


class Emission:
    """An event waiting for its transaction to commit; the same event emitted again replaces its payload."""

    def __init__(self, event, subject, build):
        self.event, self.subject, self.build = event, subject, build
        self.time = timezone.now()

    def __call__(self):
        from .dispatch import record

        record(self.event, self.subject, self.build, at=self.time)


def emit(event, subject, build):
    """
    Queue `event` about `subject` ("post-42", "site") for when the transaction commits;
    `build()`, called then, gives the payload's fields.
    """
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        waiting = waiting_emissions(connection).get((event, subject))
        if waiting is not None:
            waiting.build, waiting.time = build, timezone.now()
            return
    emission = Emission(event, subject, build)
    # robust: a failure to record is logged, never turned into a failed save.
    transaction.on_commit(emission, robust=True)
    if connection.in_atomic_block:
        waiting_emissions(connection)[(event, subject)] = emission


def waiting_emissions(connection):
    """
    The emissions among the connection's commit hooks, by event and subject. Django
    replaces its list of hooks on every commit and rollback (of a savepoint too), so
    an index made for another list is stale: it is made again from the hooks.
    """
    index = getattr(connection, "_webhook_emissions", None)
    if index is None or index[0] is not connection.run_on_commit:
        found = {
            (hook.event, hook.subject): hook
            for _sids, hook, _robust in connection.run_on_commit
            if isinstance(hook, Emission)
        }
        index = connection._webhook_emissions = (connection.run_on_commit, found)
    return index[1]


def content_fields(instance):
    """What a post or page event says about it, read now (a deleted object loses its id)."""
    kind = "post" if isinstance(instance, Post) else "page"
    fields = {
        "type": kind,
        "id": instance.pk,
        "slug": instance.slug,
        "title": instance.title,
        "status": instance.status,
        "path": instance.get_absolute_url(),
        "published_at": instance.published_at.isoformat() if instance.published_at else None,
        "updated_at": instance.updated_at.isoformat() if instance.updated_at else None,
    }
    if kind == "post":
        fields["author"] = instance.author_id
    return fields


def content_event(kind, was_public, is_public):
    if not was_public and is_public:
        return f"{kind}.published"
    if was_public and is_public:
        return f"{kind}.updated"
    if was_public:
        return f"{kind}.unpublished"
    return None  # a draft, a post waiting for review or for its date: readers see no change


def site_changed(reason, pk=None):
    emit("site.changed", "site", lambda: {"type": "site", "reason": reason, "id": pk})


def on_content_saved(sender, instance, created, was_public, **kwargs):
    kind = "post" if sender is Post else "page"
    event = content_event(kind, was_public, instance.is_public)
    if event is None:
        return
    if event == f"{kind}.published" and instance.announced_for != instance.published_at:
        return  # the go-live task announces it (content_published, below), once
    fields = content_fields(instance)
    emit(event, f"{kind}-{instance.pk}", lambda: fields)
    site_changed(kind, instance.pk)


def on_content_deleted(sender, instance, was_public, **kwargs):
    if not was_public:
        return
    kind = "post" if sender is Post else "page"
    fields = content_fields(instance)
    emit(f"{kind}.deleted", f"{kind}-{instance.pk}", lambda: fields)
    site_changed(kind, instance.pk)


def on_content_published(sender, instance, **kwargs):
    kind = "post" if sender is Post else "page"
    fields = content_fields(instance)
    emit(f"{kind}.published", f"{kind}-{instance.pk}", lambda: fields)
    site_changed(kind, instance.pk)


def on_comment_saving(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._webhooks_was_approved = False
        return
    instance._webhooks_was_approved = Comment.objects.filter(
        pk=instance.pk, status=Comment.Status.APPROVED
    ).exists()


def on_comment_saved(sender, instance, raw=False, **kwargs):
    if raw or instance.status != Comment.Status.APPROVED or getattr(instance, "_webhooks_was_approved", True):
        return
    pk = instance.pk

    def build():
        comment = Comment.objects.select_related("post").get(pk=pk)
        return {
            "type": "comment",
            "id": comment.pk,
            "path": comment.get_absolute_url(),
            "parent": comment.parent_id,
            "post": {
                "id": comment.post_id,
                "slug": comment.post.slug,
                "path": comment.post.get_absolute_url(),
            },
        }

    emit("comment.approved", f"comment-{pk}", build)


def on_site_object_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        site_changed(sender._meta.model_name, instance.pk)


def on_everything_changed(sender, change, **kwargs):
    # A core.changes receiver (plume/changes.py): a bulk write (an import) sends no model
    # signal, so its one "everything" change is one site.changed.
    if change == "everything":
        site_changed("import")


def connect():
    content_saved.connect(on_content_saved, dispatch_uid="webhooks-content-saved")
    content_deleted.connect(on_content_deleted, dispatch_uid="webhooks-content-deleted")
    content_published.connect(on_content_published, dispatch_uid="webhooks-content-published")
    pre_save.connect(on_comment_saving, sender=Comment, dispatch_uid="webhooks-comment-saving")
    post_save.connect(on_comment_saved, sender=Comment, dispatch_uid="webhooks-comment-saved")
    for model in (Category, Tag, Author, SiteSettings):
        post_save.connect(
            on_site_object_changed, sender=model, dispatch_uid=f"webhooks-save-{model.__name__}"
        )
        post_delete.connect(
            on_site_object_changed, sender=model, dispatch_uid=f"webhooks-delete-{model.__name__}"
        )
