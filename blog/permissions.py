"""Who may do what with a post: the role rules, in one place for the admin, views and API."""


def can_edit_others_posts(user):
    return user.is_superuser or user.has_perm("blog.edit_others_posts")


def can_publish(user, post):
    """Authors publish their own posts, editors any post; contributors never."""
    if user.is_superuser:
        return True
    if not user.has_perm("blog.publish_post"):
        return False
    return can_edit_others_posts(user) or (post.author_id is not None and post.author.user_id == user.pk)


def can_edit(user, post):
    """
    Editors edit every post; others only their own, and only while they could
    publish it themselves: a contributor cannot change a post once it is published.
    """
    if not user.has_perm("blog.change_post"):
        return False
    if can_edit_others_posts(user):
        return True
    if post.author_id is None or post.author.user_id != user.pk:
        return False
    return post.status != "published" or user.has_perm("blog.publish_post")
