"""Background work of the blog (django-tasks, see README "Background work")."""

from django.utils import timezone
from django_tasks import task

from .models import Page, Post
from .signals import content_published


@task()
def announce_publication(*, post_id=None, page_id=None):
    """
    Run at a post's (or a page's) publication date: if it is really live now and not
    yet announced for this date, remember it and send `content_published`, once (the
    conditional UPDATE lets only one of two concurrent workers through).
    """
    model, pk = (Post, post_id) if post_id is not None else (Page, page_id)
    content = model.objects.filter(pk=pk).select_related("author").first()
    if content is None or not content.is_public:
        return False  # deleted, unpublished or moved later since: a later save enqueued its own
    claimed = (
        model.objects.filter(
            pk=content.pk, published_at=content.published_at, published_at__lte=timezone.now()
        )
        .exclude(announced_for=content.published_at)
        .update(announced_for=content.published_at)
    )
    if claimed:
        content.announced_for = content.published_at
        content_published.send(sender=model, instance=content)
    return bool(claimed)
