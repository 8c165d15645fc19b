"""
A post's comment thread as HTML: one page of top-level threads (`?cpage=N`), rendered in
one template pass over a flat list (`threads.flat_thread`), with the strings every comment
repeats (translations, the report address, dates) resolved in Python once per page.

The approved thread, as every anonymous reader without a pending comment sees it, is kept
in the cache per post, page, language and content generation (`core.caching`: any
approved comment, post or page change starts a new one; with a cache of each process's own,
the generation is read from the database); a cache that fails only costs the rendering,
never the page. A reader whose own held comments show renders their own thread.
"""

import logging
from urllib.parse import urlsplit

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from blog.templatetags.blog_tags import html_datetime
from core.cache import is_per_process
from core.caching import request_generation

from .content import content_label
from .permissions import reader_edit_refusal
from .threads import build_tree, flat_thread, max_depth_setting, page_count, page_of, per_page_setting

logger = logging.getLogger(__name__)

THREAD_KEY = "plume:comments:thread:{generation}:{post}:{page}:{per_page}:{depth}:{open}:{language}"
PAGE_PARAMETER = "cpage"


def public_url(value):
    """A commenter's website, only when it is an http(s) address (never javascript: and the like)."""
    value = (value or "").strip()
    try:
        scheme = urlsplit(value).scheme.lower()
    except ValueError:
        return ""
    return value if scheme in ("http", "https") else ""


def requested_page(request):
    """The page of comments `?cpage=` asks for (1 without one); a page that is not a number is a 404."""
    value = request.GET.get(PAGE_PARAMETER, "") if request is not None else ""
    if not value:
        return 1
    if not value.isdigit() or int(value) < 1:
        raise Http404(_("There is no such page of comments."))
    return int(value)


def thread(request, post, comments, *, comments_open, cacheable, edit_tokens=None):
    """
    The page of `post`'s thread `request` asks for: {"html", "count", "page", "pages",
    "names"} (names: the author of every comment shown, by id, for "Reply to").
    `comments` is a callable giving the reader's comments (called only on a cache miss).
    `edit_tokens` ({comment id: token}, from this reader's edit cookie): the comments that
    show "Edit" and "Delete" for them, while the permission rule allows (never cached).
    """
    number = requested_page(request)
    key = None
    if cacheable:
        key = _key(request, post, number, comments_open)
        cached = _cache_get(key) if key else None
        if cached is not None:
            return cached
    comments = list(comments())
    roots = build_tree(comments)
    try:
        shown = page_of(roots, number)
    except ValueError:
        raise Http404(_("There is no such page of comments.")) from None
    items = flat_thread(shown)
    result = {
        "html": _render(post, items, comments_open=comments_open, edit_tokens=edit_tokens or {}),
        "count": sum(1 for comment in comments if comment.status == comment.Status.APPROVED),
        "page": number,
        "pages": page_count(roots),
        "names": {comment.pk: comment.author_name for comment in comments},
    }
    if key:
        _cache_set(key, result)
    return result


def _render(post, items, *, comments_open, edit_tokens):
    report_url = reverse("comments:report", args=[0]).replace("/0/", "/{}/")
    reply_to = _("Reply to %(name)s")
    now = timezone.now()
    for comment in items:
        token = edit_tokens.get(comment.pk)
        comment.editable = token is not None and reader_edit_refusal(comment, token, now=now) is None
        if comment.editable:
            comment.edit_url = reverse("comments:edit", args=[post.slug, comment.pk])
            comment.delete_url = reverse("comments:delete", args=[post.slug, comment.pk])
        created = (
            timezone.localtime(comment.created_at)
            if timezone.is_aware(comment.created_at)
            else comment.created_at
        )
        comment.date_iso = html_datetime(created)  # to the second: HTML refuses microseconds
        comment.date_shown = formats.date_format(created, "DATETIME_FORMAT")
        comment.report_url = report_url.format(comment.pk)
        comment.reply_label = reply_to % {"name": comment.author_name}
        comment.website = public_url(comment.author_url)
    labels = {
        "awaiting": _("Your comment is awaiting moderation."),
        "reply": _("Reply"),
        "report": _("Report"),
        "why": _("Why? (optional)"),
        "report_button": _("Report this comment"),
        "edited": _("edited"),
        "edit": _("Edit"),
        "edit_label": _("Your comment"),
        "save": _("Save"),
        "delete": _("Delete"),
    }
    return render_to_string(
        "comments/comment_thread.html",
        {
            "items": items,
            "labels": labels,
            "comments_open": comments_open,
            "post": post,
        },
    )


def _key(request, post, number, comments_open):
    if isinstance(caches[DEFAULT_CACHE_ALIAS], DummyCache):
        return None  # no cache configured: a generation would cost queries for nothing kept
    try:
        # A cache of this process only may not have heard of a change another process made:
        # then the generation comes from the database (one query), not from the cache; the
        # page's own response cache has read it already for this request.
        generation, _read = request_generation(request, verify=is_per_process())
        generation = generation["id"]
    except Exception:  # the cache is down: render, do not fail
        logger.warning("No content generation (cache unavailable): the comment thread is not cached")
        return None
    return THREAD_KEY.format(
        generation=generation,
        post=content_label(post),
        page=number,
        per_page=per_page_setting(),
        depth=max_depth_setting(),
        open=int(bool(comments_open)),
        language=translation.get_language(),
    )


def _cache_get(key):
    try:
        return cache.get(key)
    except Exception:
        logger.warning("Comment thread cache unavailable on read", exc_info=True)
        return None


def _cache_set(key, value):
    try:
        cache.set(key, value)
    except Exception:
        logger.warning("Comment thread cache unavailable on write", exc_info=True)
