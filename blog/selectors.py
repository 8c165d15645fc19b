"""
What a user may read, one selector per content kind: site pages, API, feeds,
sitemap, search and the comments app all start from these.
"""

from .models import Page, Post


def readable_posts(user):
    """Public posts, plus the drafts and scheduled posts `user` may edit (a preview)."""
    if user.is_staff and user.has_perm("blog.change_post"):
        return Post.objects.visible_to(user)
    return Post.objects.published()


def readable_pages(user):
    if user.is_staff and user.has_perm("blog.change_page"):
        return Page.objects.all()
    return Page.objects.published()
