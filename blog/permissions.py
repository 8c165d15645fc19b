"""
Who may read, write, publish and delete posts and pages: the one home of these
rules. The selectors, the services, the admin and the API all ask these
functions; none of them restates a role.

Reading unpublished content (drafts, and scheduled posts whose date is still to
come) is for the people who work on it: those who may change posts
(`blog.change_post`) and either edit everyone's posts (editors, superusers) or
wrote this one. Staff status does not enter into it, so the site, the API and the
comment endpoints answer alike for an admin user and for an API-only account.
It is `can_edit` without its last clause: a contributor whose post an editor has
scheduled may no longer change it, but still previews it. Unpublished pages are
for those who may change pages.

Review: a draft goes to "pending review" (can_submit) and from there an editor
publishes, schedules or sends it back to draft with a note (can_review).

Preview links: whoever may edit a post or a page creates and revokes links that show
it to someone without an account (can_share_preview).
"""

from django.contrib.auth import get_user_model

from authors.permissions import can_edit_others_posts

from .models import Status

# What unpublished posts a user reads (see `preview_scope`).
PREVIEW_NONE, PREVIEW_OWN, PREVIEW_ALL = "none", "own", "all"


def owns(user, post):
    return post.author_id is not None and post.author.user_id == user.pk


def preview_scope(user):
    """Which unpublished posts `user` reads: none, their own, or all of them."""
    if not user.has_perm("blog.change_post"):
        return PREVIEW_NONE
    return PREVIEW_ALL if can_edit_others_posts(user) else PREVIEW_OWN


def can_preview(user, post):
    """Whether `user` reads `post` before it is public (see the module's docstring)."""
    scope = preview_scope(user)
    return scope == PREVIEW_ALL or (scope == PREVIEW_OWN and owns(user, post))


def can_read(user, post):
    return post.is_public or can_preview(user, post)


def can_write_as(user, author):
    """Whether `user` may sign a post with `author`'s name: their own, or anyone's for editors."""
    return author.user_id == user.pk or can_edit_others_posts(user)


def can_create(user):
    return user.has_perm("blog.add_post")


def can_publish(user, post=None):
    """
    Authors publish their own posts, editors any post; contributors never.
    Without `post`: whether `user` may publish a new post of their own.
    """
    if user.is_superuser:
        return True
    if not user.has_perm("blog.publish_post"):
        return False
    return post is None or can_edit_others_posts(user) or owns(user, post)


def can_edit(user, post):
    """
    Editors edit every post; others only their own. A published post (live or
    scheduled) is changed only by those who may publish it, since a change to it
    is published at once: a contributor, or an editor without `publish_post`,
    cannot change a post once it is published.
    """
    if not can_preview(user, post):
        return False
    return post.status != Status.PUBLISHED or can_publish(user, post)


def can_submit(user, post):
    """Whoever may edit a draft submits it for review: contributors must, authors may."""
    return post.status == Status.DRAFT and can_edit(user, post)


def can_review(user, post):
    """
    A post awaiting review is published, scheduled or sent back by whoever may
    publish it and edit others' posts (editors); an author also decides on their own.
    """
    if post.status != Status.PENDING or not can_publish(user, post):
        return False
    return can_edit_others_posts(user) or owns(user, post)


def is_reviewer(user):
    """Whether `user` is told of posts awaiting review and sees the queue: editors who publish."""
    return user.is_active and can_edit_others_posts(user) and can_publish(user)


def reviewers():
    """The users `is_reviewer` names, as a queryset (those told of a submission)."""
    users, backend = get_user_model().objects, "django.contrib.auth.backends.ModelBackend"
    options = {"is_active": True, "include_superusers": True, "backend": backend}
    return users.with_perm("blog.edit_others_posts", **options) & users.with_perm(
        "blog.publish_post", **options
    )


def can_delete(user, post):
    return user.has_perm("blog.delete_post") and can_edit(user, post)


# Pages have no owner: whoever may change pages reads, edits and publishes every one.


def can_preview_pages(user):
    return user.has_perm("blog.change_page")


def can_create_page(user):
    return user.has_perm("blog.add_page")


def can_edit_page(user, page):
    return user.has_perm("blog.change_page")


def can_delete_page(user, page):
    return user.has_perm("blog.delete_page")


# Preview links (blog.previews): whoever may edit a post or a page shows it to someone
# without an account, and revokes the links others made to it. Reading through a link
# needs no permission: the link is the permission, for that one post or page.


def can_share_preview(user, obj):
    """Whether `user` may create or revoke preview links to `obj`, a post or a page."""
    if obj._meta.model_name == "page":
        return can_edit_page(user, obj)
    return can_edit(user, obj)


# The editorial desk (autosave, presence): whoever may edit the post or page, or, for
# one not saved yet, write one.


def can_work_on(user, kind, obj=None):
    """Whether `user` may autosave or be seen working on `obj` (a post or page of `kind`; None: a new one)."""
    if kind == "post":
        return can_create(user) if obj is None else can_edit(user, obj)
    return can_create_page(user) if obj is None else can_edit_page(user, obj)


# The media library: authors and editors upload images; each changes or deletes their own,
# editors anyone's.


def can_upload_media(user):
    return user.is_authenticated and user.has_perm("blog.add_media")


def _own_media_or_editor(user, media):
    return media.uploaded_by_id == user.pk or can_edit_others_posts(user)


def can_change_media(user, media):
    return user.is_authenticated and user.has_perm("blog.change_media") and _own_media_or_editor(user, media)


def can_delete_media(user, media):
    return user.is_authenticated and user.has_perm("blog.delete_media") and _own_media_or_editor(user, media)


# Categories and tags: editors manage them (blog.add_/change_/delete_category, _tag); a writer
# with blog.add_tag (contributors and authors too) creates a tag by using a new one on a post.


def can_add_term(user, model_name):
    return user.is_authenticated and user.has_perm(f"blog.add_{model_name}")


def can_change_term(user, model_name):
    return user.is_authenticated and user.has_perm(f"blog.change_{model_name}")


def can_delete_term(user, model_name):
    return user.is_authenticated and user.has_perm(f"blog.delete_{model_name}")
