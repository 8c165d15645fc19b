"""The If-Match header an API client sends to change a post it has just read."""

from blog.versions import version_of


def if_match(post):
    """`post`'s current version as If-Match (read from the database, so it is never stale)."""
    post.refresh_from_db(fields=["updated_at"])
    return {"HTTP_IF_MATCH": f'"{version_of(post)}"'}
