"""
What the apps above blog plug into it. blog never imports them: an app registers
here, in its AppConfig.ready(), what blog cannot know by itself, as
django-contrib-comments' moderator registry and Puput's comments provider do.

- The comment counter: a function returning the expression that counts a post's
  public comments, for `Post.objects.with_comment_count()`. The comments app
  registers it; without one, every post has 0 comments.
"""

from django.db import models

_registry = {}


def register_comment_counter(counter):
    """`counter()` gives an integer expression over the post `OuterRef("pk")`; the last registered counts."""
    _registry["comment_counter"] = counter
    return counter


def comment_count():
    counter = _registry.get("comment_counter")
    return counter() if counter else models.Value(0, output_field=models.IntegerField())
