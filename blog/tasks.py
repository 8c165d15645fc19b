"""Background work of the blog (django-tasks, see README "Background work")."""

from django.utils import timezone
from django_tasks import task

from .models import Post
from .signals import post_published


@task()
def announce_publication(*, post_id):
    """
    Run at the post's publication date: if it is really live now and not yet
    announced for this date, remember it and send `post_published`, once (the
    conditional UPDATE lets only one of two concurrent workers through).
    """
    post = Post.objects.filter(pk=post_id).select_related("author").first()
    if post is None or not post.is_public:
        return False  # deleted, unpublished or moved later since: a later save enqueued its own
    claimed = (
        Post.objects.filter(pk=post.pk, published_at=post.published_at, published_at__lte=timezone.now())
        .exclude(announced_for=post.published_at)
        .update(announced_for=post.published_at)
    )
    if claimed:
        post.announced_for = post.published_at
        post_published.send(sender=Post, post=post)
    return bool(claimed)
