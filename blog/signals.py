"""
The blog's events. `post_published` is sent once when a post goes live, from a
background task (blog.tasks.announce_publication) run at its publication date,
with `sender=Post` and `post=` the live post: the page cache and, later,
webhooks listen to it.
"""

from django.dispatch import Signal

post_published = Signal()
