"""The editor test, defined once: the blog's rules and the authors' admin both ask it."""


def can_edit_others_posts(user):
    """Editors and superusers work on everyone's posts (and profiles); the others on their own."""
    return user.is_superuser or user.has_perm("blog.edit_others_posts")
