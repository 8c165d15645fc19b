"""
A post's comment thread as HTML: one page of top-level threads (`?cpage=N`), rendered in
one pass over a flat list (`threads.flat_thread`), with the strings every comment repeats
(translations, the report address, dates) resolved once per page. The markup is built here
in Python (`thread_html`, every text escaped), not by a template: at 500 comments the
template engine cost more than the rest of the page.

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
from django.urls import reverse
from django.utils import dateformat, formats, timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from blog.templatetags.blog_tags import html_datetime
from core.caching import trusted_generation

from .content import content_label
from .models import Comment
from .permissions import reader_edit_refusal
from .threads import build_tree, flat_thread, max_depth_setting, page_count, page_of, per_page_setting

logger = logging.getLogger(__name__)

THREAD_KEY = "plume:comments:thread:{generation}:{post}:{page}:{per_page}:{depth}:{open}:{language}"
PAGE_PARAMETER = "cpage"


# The columns the thread shows (and builds its tree from), read as plain rows: the 500
# comments of a big thread cost no model instances, nor their e-mail, address, user agent
# and moderation notes.
THREAD_COLUMNS = (
    "pk", "parent_id", "status", "author_name", "author_url", "body_html", "created_at", "edited_at",
)  # fmt: skip


class ThreadComment:
    """One comment of a thread, as shown: THREAD_COLUMNS (and `body` when it may be edited)."""

    __slots__ = (*THREAD_COLUMNS, "body", "children", "depth", "closes", "editable", "edit_url", "delete_url",
                 "date_iso", "date_shown", "report_url", "reply_label", "website")  # fmt: skip
    Status = Comment.Status

    def __init__(self, *values):
        self.body = ""
        for name, value in zip(self._columns, values, strict=False):
            setattr(self, name, value)

    _columns = (*THREAD_COLUMNS, "body")


def thread_comments(queryset, *, editable=False):
    """`queryset`'s comments as ThreadComment rows; with their source text when `editable`."""
    columns = (*THREAD_COLUMNS, "body") if editable else THREAD_COLUMNS
    return [ThreadComment(*row) for row in queryset.values_list(*columns)]


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
        "count": sum(1 for comment in comments if comment.status == Comment.Status.APPROVED),
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
    date_format = formats.get_format("DATETIME_FORMAT")  # the language's, looked up once
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
        comment.date_shown = dateformat.format(created, date_format)
        comment.report_url = report_url.format(comment.pk)
        comment.reply_label = reply_to % {"name": comment.author_name}
        comment.website = public_url(comment.author_url)
    labels = {
        name: escape(text)
        for name, text in {
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
        }.items()
    }
    return thread_html(items, labels, comments_open=comments_open)


def thread_html(items, labels, *, comments_open):
    """The markup of comments/comment_thread.html's former loop, built in Python (escape() for text)."""
    out = []
    add = out.append
    for comment in items:
        pk = comment.pk
        approved = comment.status == "approved"
        author = escape(comment.author_name)
        if comment.website:
            author = f'<a href="{escape(comment.website)}" rel="external nofollow ugc noopener">{author}</a>'
        add(
            f'\n<li id="comment-{pk}" class="comment depth-{comment.depth}'
            f'{"" if approved else " comment-held"}">\n'
            '  <article class="comment-body">\n'
            '    <header class="comment-meta">\n'
            f'      <h3 class="comment-author">{author}</h3>\n'
            f'      <a class="comment-permalink" href="#comment-{pk}">'
            f'<time datetime="{escape(comment.date_iso)}">'
            f"{escape(comment.date_shown)}</time></a>"
        )
        if comment.edited_at:
            add(f'\n      <span class="comment-edited">{labels["edited"]}</span>')
        add("\n    </header>\n    ")
        if not approved:
            add(f'<p class="comment-awaiting-moderation">{labels["awaiting"]}</p>')
        add(f'\n    <div class="comment-content">{comment.body_html}</div>\n    ')
        if approved or comment.editable:
            add('\n    <div class="comment-actions">\n      ')
            if approved:
                add("\n      ")
                if comments_open:
                    add(
                        f'<a class="comment-reply-link" rel="nofollow" href="?replytocom={pk}#respond" '
                        f'aria-label="{escape(comment.reply_label)}">{labels["reply"]}</a>'
                    )
                add(
                    '\n      <details class="comment-report">\n'
                    f"        <summary>{labels['report']}</summary>\n"
                    f'        <form method="post" action="{escape(comment.report_url)}">\n'
                    f'          <label for="report-reason-{pk}">{labels["why"]}</label>\n'
                    f'          <input type="text" id="report-reason-{pk}" name="reason" maxlength="500">\n'
                    f'          <button type="submit">{labels["report_button"]}</button>\n'
                    "        </form>\n"
                    "      </details>\n      "
                )
            add("\n      ")
            if comment.editable:
                add(
                    '\n      <details class="comment-edit">\n'
                    f"        <summary>{labels['edit']}</summary>\n"
                    f'        <form method="post" action="{escape(comment.edit_url)}">\n'
                    f'          <label for="comment-edit-{pk}">{labels["edit_label"]}</label>\n'
                    f'          <textarea id="comment-edit-{pk}" name="body" rows="6" maxlength="10000" '
                    "required>"
                    f"{escape(comment.body)}</textarea>\n"
                    f'          <button type="submit">{labels["save"]}</button>\n'
                    "        </form>\n"
                    "      </details>\n"
                    f'      <form class="comment-delete" method="post" action="{escape(comment.delete_url)}">'
                    f'<button type="submit">{labels["delete"]}</button></form>\n      '
                )
            add("\n    </div>\n    ")
        add("\n  </article>\n")
        if comment.children:
            add('  <ol class="children">')
        else:
            add("</li>")
            add("\n</ol></li>" * len(comment.closes))
    add("\n")
    return "".join(out)


def _key(request, post, number, comments_open):
    if isinstance(caches[DEFAULT_CACHE_ALIAS], DummyCache):
        return None  # no cache configured: a generation would cost queries for nothing kept
    try:
        # The page's own response cache has read it already for this request.
        generation = trusted_generation(request)["id"]
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
