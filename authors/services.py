from .models import Author


def author_for_user(*, user):
    """The user's Author profile, created on first need so every staff writer has one."""
    try:
        return user.author
    except Author.DoesNotExist:
        author = Author(user=user, display_name=user.get_full_name() or user.get_username())
        author.full_clean(exclude=["slug"])
        author.save()
        return author
