"""
The blog's events, for higher apps to listen to (blog never imports them).

- `content_published` is sent once when a post or page goes live, from a background
  task (blog.tasks.announce_publication) run at its publication date, with `sender`
  Post or Page and `instance=` the live object. plume/changes.py passes it on as a
  "published" content change (core.changes), which the response cache and the purge
  of the caches in front hear; webhooks listen to it too.
- `content_saved` is sent by the services once per write of a post or page (the
  row, its categories and tags and its revision saved), inside the write's
  transaction: `sender` is Post or Page, `instance` the saved object, `created`,
  and `was_public` whether readers could see it before the write (`instance.is_public`
  says whether they can now). Webhooks listen to it: an editorial event, one per
  write, unlike core.changes' model-level changes that the caches hear.
- `content_deleted` is sent by the services just before a post or page is deleted,
  with `sender`, `instance` and `was_public`.
"""

from django.dispatch import Signal

content_published = Signal()
content_saved = Signal()
content_deleted = Signal()
