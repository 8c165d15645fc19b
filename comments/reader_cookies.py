"""
The cookies the comment form leaves in a reader's browser, all set the one way
(`set_reader_cookie`: signed values, HttpOnly, SameSite=Lax, Secure as the session cookie) and
all listed in PLUME_PRIVATE_COOKIES, so that a page a reader sees with one of them is their own
view, never kept by a shared cache (core/surrogate.py, the VCL):

- `comment_author`: the name, e-mail and website they asked us to remember (a year);
- `comment_edit`: the edit tokens of the comments this browser sent in the last
  COMMENTS_EDIT_WINDOW seconds, limited to the address of their thread's page (the page and
  the edit and delete forms under it), and expiring with the window: once it is over, the
  browser drops the cookie and the page is the public one again.

The comments this browser sent that wait for a moderator are remembered in the session
(`templatetags.comments_tags.own_pending_ids`), which is also a private cookie.
"""

from urllib.parse import urlsplit

from django.conf import settings

from .tokens import comment_edit_token, edit_token_comment_id

EDIT_COOKIE = "comment_edit"
EDIT_COOKIE_SEPARATOR = "|"  # legal in a cookie value unquoted; never in a token
EDIT_TOKENS_REMEMBERED = 10


def set_reader_cookie(response, name, value, *, max_age, path="/"):
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def thread_path(comment):
    """The address of the page `comment` shows on, without its query: what the edit cookie is limited to."""
    return urlsplit(comment.get_absolute_url()).path


def edit_tokens(request):
    """{comment id: edit token}: the genuine tokens in this browser's edit cookie (not checked for age)."""
    value = getattr(request, "COOKIES", {}).get(EDIT_COOKIE, "")
    tokens = {}
    for token in value.split(EDIT_COOKIE_SEPARATOR)[:EDIT_TOKENS_REMEMBERED] if value else []:
        pk = edit_token_comment_id(token)
        if pk is not None:
            tokens[pk] = token
    return tokens


def remember_edit(response, request, comment):
    """Add `comment`'s edit token to the cookie of its thread's page (one cookie per page)."""
    window = settings.COMMENTS_EDIT_WINDOW
    if window <= 0:
        return
    kept = [token for pk, token in edit_tokens(request).items() if pk != comment.pk]
    tokens = [*kept, comment_edit_token(comment)][-EDIT_TOKENS_REMEMBERED:]
    set_reader_cookie(
        response, EDIT_COOKIE, EDIT_COOKIE_SEPARATOR.join(tokens), max_age=window, path=thread_path(comment)
    )


def forget_edit(response, request, comment_id, *, path):
    """Drop the token of the comment `comment_id` (deleted); the cookie goes when it was the last one."""
    kept = [token for pk, token in edit_tokens(request).items() if pk != comment_id]
    if kept:
        # Its Max-Age starts again: harmless, each token's own window is checked on use.
        set_reader_cookie(
            response,
            EDIT_COOKIE,
            EDIT_COOKIE_SEPARATOR.join(kept),
            max_age=settings.COMMENTS_EDIT_WINDOW,
            path=path,
        )
    else:
        response.delete_cookie(EDIT_COOKIE, path=path, samesite="Lax")
