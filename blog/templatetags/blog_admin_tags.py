from django import template
from django.urls import reverse

from blog.models import Post, Status
from blog.permissions import is_reviewer

register = template.Library()


@register.inclusion_tag("blog/admin/review_notice.html", takes_context=True)
def review_queue_notice(context):
    """For the admin index: how many posts await this editor's review (nothing for the others)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    count = Post.objects.filter(status=Status.PENDING).count() if user and is_reviewer(user) else 0
    return {
        "review_count": count,
        "queue_url": f"{reverse('admin:blog_post_changelist')}?status__exact={Status.PENDING}",
    }
