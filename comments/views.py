from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from blog.rendering import render_page, render_post
from blog.selectors import readable_pages, readable_posts
from core.clients import client_ip
from core.origin import same_origin_post

from . import services
from .exceptions import CommentFlood, CommentsClosed, CommentTokenRefused
from .forms import AUTHOR_COOKIE, CommentForm, CommentReportForm
from .models import Comment
from .reader_cookies import remember_edit, set_reader_cookie
from .selectors import reportable_comments
from .templatetags.comments_tags import AUTHOR_COOKIE_SALT, MESSAGE_TAG, PENDING_SESSION_KEY
from .threads import per_page_setting

AUTHOR_COOKIE_MAX_AGE = 365 * 24 * 3600
PENDING_REMEMBERED = 20


@same_origin_post
@require_POST
def post_comment(request, pk):
    """Receive the "Leave a comment" form; on any refusal, show the post again with every field kept."""
    # The approved comment count tells, without a query, that a thread has one page only.
    post = get_object_or_404(
        readable_posts(request.user).select_related("author").with_comment_count(), pk=pk
    )
    # The blog app renders the post page (the comment section reads `comment_form`).
    return _receive(request, post, render_post)


@same_origin_post
@require_POST
def page_comment(request, pk):
    """The same form on a static page that allows comments (a guestbook, an "about" page)."""
    page = get_object_or_404(readable_pages(request.user).select_related("author"), pk=pk)
    return _receive(request, page, render_page)


def _receive(request, post, render_content):
    """The form sent about `post` (a post or a page); `render_content` shows it again on a refusal."""
    form = CommentForm(request.POST, user=request.user, post=post)
    status, retry_after = 400, None
    if form.is_valid():
        try:
            comment = services.comment_submit(
                post=post,
                data=form.cleaned_data,
                request_meta=services.RequestMeta.from_request(request),
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        except CommentFlood as flood:
            form.add_error(None, flood.message)
            status, retry_after = 429, flood.retry_after
        except CommentsClosed as closed:
            form.add_error(None, closed.message)
            status = 403
        except CommentTokenRefused as refused:
            form = _with_fresh_token(request, post)
            form.add_error(None, refused.message)
        else:
            return _accepted(request, post, comment, form.cleaned_data)
    if "parent" in form.errors:
        form = _without_parent(request, post, form)
    response = render_content(request, post, status=status, comment_form=form)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _with_fresh_token(request, post):
    """The form as the reader sent it, text and all, with a new token to send it again."""
    data = request.POST.copy()
    for name, value in services.comment_form_token(post=post).items():
        data[name] = value
    fresh = CommentForm(data, user=request.user, post=post)
    fresh.full_clean()
    return fresh


def _without_parent(request, post, form):
    """
    The reader cannot fix a hidden field: when the comment replied to is gone, show the
    form again as a new comment, with the reason, so that sending it again works.
    """
    data = request.POST.copy()
    data["parent"] = ""
    fresh = CommentForm(data, user=request.user, post=post)
    fresh.full_clean()
    for error in form.errors["parent"]:
        fresh.add_error(None, error)
    return fresh


def _accepted(request, post, comment, data):
    status, answer = services.reader_answer(comment, notify=bool(data.get("notify")))
    if status == Comment.Status.APPROVED:
        messages.success(request, answer, extra_tags=MESSAGE_TAG)
    else:
        # Spam gets the same answer as pending: a robot learns nothing, a person caught
        # by mistake sees their comment waiting (comments_tags shows it to them alone).
        pending = [pk for pk in request.session.get(PENDING_SESSION_KEY, []) if pk != comment.pk]
        request.session[PENDING_SESSION_KEY] = [*pending, comment.pk][-PENDING_REMEMBERED:]
        messages.info(request, answer, extra_tags=MESSAGE_TAG)
    if getattr(post, "comment_count", None) is not None and (
        post.comment_count < per_page_setting() or not per_page_setting()
    ):
        comment.cpage = 1  # fewer comments than threads to a page: it is on the first
    # Its permalink: the page of comments it shows on (one light query on a long thread).
    response = redirect(comment.get_absolute_url())
    # Its writer may edit or delete it for a while, from this browser.
    remember_edit(response, request, comment)
    if data.get("consent") and not request.user.is_authenticated:
        remembered = {key: data.get(key) or "" for key in ("author_name", "author_email", "author_url")}
        set_reader_cookie(
            response,
            AUTHOR_COOKIE,
            signing.dumps(remembered, salt=AUTHOR_COOKIE_SALT),
            max_age=AUTHOR_COOKIE_MAX_AGE,
        )
    elif AUTHOR_COOKIE in request.COOKIES:
        # Unticking the box forgets what an earlier comment asked us to remember.
        response.delete_cookie(AUTHOR_COOKIE, samesite="Lax")
    return response


@same_origin_post
@require_POST
def report_comment(request, pk):
    """A reader's "Report": one per reader (account, or browser session) and comment."""
    comment = get_object_or_404(reportable_comments().select_related("post", "page"), pk=pk)
    form = CommentReportForm(request.POST)
    back = redirect(f"{comment.content.get_absolute_url()}#comment-{comment.pk}")
    if not form.is_valid():  # a NUL character: nothing to store, say why
        messages.error(request, " ".join(form.errors["reason"]), extra_tags=MESSAGE_TAG)
        return back
    reason = form.cleaned_data["reason"]
    if not request.user.is_authenticated and not request.session.session_key:
        request.session.save()
    key = services.reporter_key(user=request.user, session_key=request.session.session_key)
    try:
        services.comment_report(
            comment=comment, reporter_key=key, reason=reason, user=request.user, address=client_ip(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages), extra_tags=MESSAGE_TAG)
    else:
        messages.success(
            request, _("Thank you: the moderators will look at this comment."), extra_tags=MESSAGE_TAG
        )
    return back
