"""
A reader's "Edit" and "Delete" on their own comment, for COMMENTS_EDIT_WINDOW seconds after
sending it, from the browser that sent it: the edit cookie (`comments.reader_cookies`) holds the
comment's token. Plain forms posted under the thread's own address (the cookie is limited to
it); no JavaScript needed.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from blog.rendering import render_page, render_post
from blog.selectors import readable_pages, readable_posts
from core.links import site_origin
from core.origin import same_origin_post

from . import services
from .exceptions import CommentEditRefused, CommentsClosed
from .models import Comment
from .reader_cookies import edit_tokens, forget_edit, thread_path
from .templatetags.comments_tags import MESSAGE_TAG, PENDING_SESSION_KEY

PENDING_REMEMBERED = 20


def _own_comment(request, pk):
    """
    The comment and its post or page (as this reader may read it), when addressed under its
    own page.
    """
    comment = get_object_or_404(Comment.objects.select_related("post", "page"), pk=pk)
    if comment.post_id is None:
        post = get_object_or_404(readable_pages(request.user).select_related("author"), pk=comment.page_id)
        comment.page = post
    else:
        post = get_object_or_404(
            readable_posts(request.user).select_related("author").with_comment_count(), pk=comment.post_id
        )
        comment.post = post
    path = thread_path(comment)
    if not request.path.startswith(path):
        raise Http404(_("There is no such comment on this page."))
    return comment, post, path


def _refused(request, content, message, status):
    messages.error(request, message, extra_tags=MESSAGE_TAG)
    render = render_page if content._meta.model_name == "page" else render_post
    return render(request, content, status=status)


def _remember_pending(request, comment):
    pending = [pk for pk in request.session.get(PENDING_SESSION_KEY, []) if pk != comment.pk]
    request.session[PENDING_SESSION_KEY] = [*pending, comment.pk][-PENDING_REMEMBERED:]


@same_origin_post
@require_POST
def edit_comment(request, slug, pk):
    comment, post, _path = _own_comment(request, pk)
    token = edit_tokens(request).get(comment.pk, "")
    try:
        comment = services.comment_edit(
            comment=comment,
            token=token,
            data={"body": request.POST.get("body")},
            base_url=site_origin(request=request),
        )
    except CommentEditRefused as refused:
        return _refused(request, post, refused.message, 403)
    except CommentsClosed as closed:
        return _refused(request, post, closed.message, 403)
    except ValidationError as error:
        return _refused(request, post, " ".join(error.messages), 400)
    status, message = services.edit_answer(comment)
    if status == Comment.Status.APPROVED:
        messages.success(request, message, extra_tags=MESSAGE_TAG)
    else:  # back with the moderators: its writer still sees it, as any comment of theirs that waits
        _remember_pending(request, comment)
        messages.info(request, message, extra_tags=MESSAGE_TAG)
    return redirect(comment.get_absolute_url())


@same_origin_post
@require_POST
def delete_comment(request, slug, pk):
    comment, post, path = _own_comment(request, pk)
    token = edit_tokens(request).get(comment.pk, "")
    try:
        services.comment_withdraw(comment=comment, token=token)
    except CommentEditRefused as refused:
        return _refused(request, post, refused.message, 403)
    pending = request.session.get(PENDING_SESSION_KEY, [])
    if pk in pending:
        request.session[PENDING_SESSION_KEY] = [other for other in pending if other != pk]
    messages.success(request, _("Your comment is deleted."), extra_tags=MESSAGE_TAG)
    response = redirect(f"{post.get_absolute_url()}#comments")
    forget_edit(response, request, pk, path=path)
    return response
