"""The admin's post form, as a browser sends it."""

from blog.models import Status


def post_form_data(post=None, **overrides):
    """A new post's form, or `post`'s as it stands; fields a role does not get are ignored by the admin."""
    data = {
        "title": post.title if post else "Un article écrit dans l’admin",
        "slug": post.slug if post else "",
        "body": post.body if post else "## Une partie\n\nDu texte.",
        "excerpt": "",
        "status": post.status if post else Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "allow_comments": "on",
        "featured_image_url": "",
        "featured_image_alt": "",
        "seo_title": "",
        "meta_description": "",
        "canonical_url": "",
    }
    if post:
        data["author"] = post.author_id
    data.update(overrides)
    return data
