from django import template
from django.contrib.messages import get_messages
from django.core import signing
from django.urls import reverse

from blog.pages import published_page

from ..content import is_page
from ..forms import AUTHOR_COOKIE, CommentForm
from ..models import Comment
from ..moderation import comment_form_token, comments_open
from ..reader_cookies import edit_tokens
from ..rendering import public_url, thread, thread_comments
from ..services import account_identity

register = template.Library()

PRIVACY_PAGE_SLUG = "politique-de-confidentialite"
PENDING_SESSION_KEY = "comments_pending"
AUTHOR_COOKIE_SALT = "comments.author-cookie"
# Messages the comments views send carry this tag; the section shows them above the
# comments, next to where the reader lands (#comment-N), whatever the page layout does.
MESSAGE_TAG = "comments"


def own_pending_ids(request):
    """Ids of the comments this browser sent that still wait for a moderator (kept in the session)."""
    session = getattr(request, "session", None)
    if session is None:
        return []
    return [pk for pk in session.get(PENDING_SESSION_KEY, []) if isinstance(pk, int)]


def author_from_cookie(request):
    """The name, e-mail and website the reader asked us to remember (consent checkbox)."""
    value = getattr(request, "COOKIES", {}).get(AUTHOR_COOKIE)
    if not value:
        return {}
    try:
        data = signing.loads(value, salt=AUTHOR_COOKIE_SALT)
    except signing.BadSignature:
        return {}
    if not isinstance(data, dict):
        return {}
    fields = ("author_name", "author_email", "author_url")
    return {key: str(data[key]) for key in fields if data.get(key)}


@register.inclusion_tag("comments/comment_section.html", takes_context=True)
def comment_section(context, post):
    """
    The comments of `post` and the "Leave a comment" form. The post page's view has read
    them already (`post_page_context`, registered by CommentsConfig): the template only
    shows them. Elsewhere the tag reads them itself.
    """
    section = context.get("comment_section")
    if section is not None and section["post"] is post:
        return section
    return section_context(context.get("request"), post, comment_form=context.get("comment_form"))


def post_page_context(request, post, context):
    """For blog's post page (blog.extensions): the comment section, read before rendering."""
    return {"comment_section": section_context(request, post, comment_form=context.get("comment_form"))}


def page_context(request, page, context):
    """
    For blog's static page (blog.extensions): the comment section of a page that allows
    comments (no section, and no query, on the others).
    """
    if not page.allow_comments:
        return {}
    return {"comment_section": section_context(request, page, comment_form=context.get("comment_form"))}


def section_context(request, post, *, comment_form=None):
    """
    The comment section's data, in a fixed number of queries: one for the comments
    (approved, plus the reader's own pending ones), the privacy page (shared with the
    menu), and the session when there is one.

    `comment_form` (a bound form with errors, from `comments.views.post_comment`) is
    shown instead of a fresh form.
    """
    user = getattr(request, "user", None)
    pending_ids = own_pending_ids(request)
    own_tokens = edit_tokens(request)  # the comments this browser may still edit
    signed_in = user is not None and user.is_authenticated
    is_open = comments_open(post)
    page = thread(
        request,
        post,
        lambda: thread_comments(
            Comment.objects.for_reader(post, pending_ids=pending_ids, user=user).order_by("created_at", "pk"),
            editable=bool(own_tokens),
        ),
        comments_open=is_open,
        # Everyone without comments of their own to see or edit sees the approved thread: it is shared.
        cacheable=not pending_ids and not own_tokens and not signed_in,
        edit_tokens=own_tokens,
    )
    names = page["names"]
    form = comment_form
    if not isinstance(form, CommentForm):  # only the bound form of post_comment replaces a fresh one
        form = None
    if form is None and is_open:
        remembered = author_from_cookie(request)
        initial = {**comment_form_token(post=post), **remembered, "consent": bool(remembered)}
        reply_to_id = request.GET.get("replytocom", "") if request is not None else ""
        if reply_to_id.isdigit() and int(reply_to_id) in names:
            initial["parent"] = int(reply_to_id)
        form = CommentForm(initial=initial, user=user)
    reply_to = None
    if form is not None:
        parent_value = str(form["parent"].value() or "")
        if parent_value.isdigit() and int(parent_value) in names:
            reply_to = {"pk": int(parent_value), "author_name": names[int(parent_value)]}
    return {
        "post": post,
        "form_action": reverse("comments:page" if is_page(post) else "comments:post", args=[post.pk]),
        "request": request,
        "user": user,
        "identity_name": account_identity(user)[0] if user is not None and user.is_authenticated else "",
        "thread_html": page["html"],
        "comment_page": page["page"],
        "comment_pages": page["pages"],
        "comment_messages": (
            [message for message in get_messages(request) if MESSAGE_TAG in message.extra_tags.split()]
            if request is not None and hasattr(request, "_messages")
            else []
        ),
        "comment_count": page["count"],
        "comments_open": is_open,
        "form": form,
        "reply_to": reply_to,
        "privacy_page": published_page(PRIVACY_PAGE_SLUG, request) if is_open else None,
    }


register.filter("public_url", public_url)


@register.inclusion_tag("comments/admin/pending_notice.html", takes_context=True)
def pending_comments_notice(context):
    """For the admin index: how many comments this moderator has waiting."""
    request = context.get("request")
    user = getattr(request, "user", None)
    count = Comment.objects.moderatable_by(user).in_moderation().count() if user else 0
    return {
        "pending_count": count,
        "queue_url": f"{reverse('admin:comments_comment_changelist')}?status={Comment.Status.PENDING}",
    }
