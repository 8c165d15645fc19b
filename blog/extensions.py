"""
What the apps above blog plug into it. blog never imports them: an app registers
here, in its AppConfig.ready(), what blog cannot know by itself, as
django-contrib-comments' moderator registry and Puput's comments provider do.

- The comment counter: a function returning the expression that counts a post's
  public comments, for `Post.objects.with_comment_count()`. The comments app
  registers it; without one, every post has 0 comments.
- Post page context: functions `provider(request, post, context)` returning what
  they add to the post page's context, evaluated before the template renders (the
  comments app adds its thread and form), so the template runs no query itself.
- Page context: the same for a static page (`provider(request, page, context)`): the
  comments app adds its thread and form to the pages that allow comments.
- Addresses below a post's ("comments/feed/"): they follow the post when its slug
  changes (blog.services.addresses).
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


def register_post_page_context(provider):
    """`provider(request, post, context)` returns a dict added to the post page's context."""
    providers = _registry.setdefault("post_page_context", [])
    if provider not in providers:
        providers.append(provider)
    return provider


def post_page_context(request, post, context):
    extra = {}
    for provider in _registry.get("post_page_context", []):
        extra.update(provider(request, post, {**context, **extra}))
    return extra


def register_page_context(provider):
    """`provider(request, page, context)` returns a dict added to a static page's context."""
    providers = _registry.setdefault("page_context", [])
    if provider not in providers:
        providers.append(provider)
    return provider


def page_context(request, page, context):
    extra = {}
    for provider in _registry.get("page_context", []):
        extra.update(provider(request, page, {**context, **extra}))
    return extra


def register_post_subpath(subpath):
    """An address below a post's ("comments/feed/"): it follows the post when its slug changes."""
    _registry.setdefault("post_subpaths", [])
    if subpath not in _registry["post_subpaths"]:
        _registry["post_subpaths"].append(subpath)
    return subpath


def post_subpaths():
    return list(_registry.get("post_subpaths", []))
