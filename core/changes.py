"""
One entry point for "the content readers see has changed": the `content_changed` signal.

It is sent once per change and phase, by one wiring of the model signals (plume/changes.py:
the list of content models lives there, once), with `sender` the model class (the
through model for a many-to-many change), `instance` the object, `raw` (fixtures being
loaded) and `change`, one of:

- "saving", "deleting": before the write, while the object as stored can still be read
  (whether it was public, the categories of a post about to be deleted);
- "saved" (with `created`), "deleted";
- "related": a many-to-many relation changed (with m2m_changed's `action`, `pk_set`,
  `reverse`);
- "published": a post or page went live without any write at that moment (its scheduled
  time came; blog.signals.content_published);
- "everything": many rows were written at once without model signals (a WordPress
  import's bulk inserts), sent once by `everything_changed` with `instance` None: every
  answer readers may get is out of date.

A new comment held for moderation is not a change: it changes no public answer (and spam
must not empty the caches).

Every consequence of a change is a receiver of this one signal, registered once: the
response cache's invalidation (core.caching), the purge of the HTTP caches in front
(plume.purging), the blog's cached menu (blog.pages).
"""

from django.dispatch import Signal

content_changed = Signal()

# The phases sent before the write: nothing has changed yet.
BEFORE = frozenset({"saving", "deleting"})


def everything_changed(sender):
    """Tell every receiver that anything readers see may have changed (a bulk write by `sender`)."""
    content_changed.send(sender=sender, instance=None, change="everything", raw=False)
