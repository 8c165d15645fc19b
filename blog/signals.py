"""
The blog's events. `post_published` is sent once when a post goes live, from a
background task (blog.tasks.announce_publication) run at its publication date,
with `sender=Post` and `post=` the live post. plume/changes.py passes it on as a
"published" content change (core.changes), which the response cache and the purge of
the caches in front hear; later, webhooks listen to it.
"""

from django.dispatch import Signal

post_published = Signal()
