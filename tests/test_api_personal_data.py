"""No public API answer contains a commenter's or an account's e-mail address, or an IP address."""

import pytest
from django.contrib.auth.models import Group

from authors import roles

from .factories import AuthorFactory, CategoryFactory, CommentFactory, PageFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_no_public_endpoint_reveals_an_email_or_an_ip(api_client, media_root):
    from blog.services import media_create

    from .image_support import image_bytes, upload

    author = AuthorFactory(user__email="simone.private@example.org")
    author.user.groups.add(Group.objects.get(name=roles.AUTHOR))
    media = media_create(by=author.user, file=upload(image_bytes()))
    post = PostFactory(author=author, categories=[CategoryFactory()], tags=[TagFactory()])
    root = CommentFactory(post=post, author_email="reader.private@example.net", ip_address="203.0.113.0")
    CommentFactory(post=post, parent=root, author_email="other.private@example.net", ip_address="2001:db8::")
    page = PageFactory(author=author, allow_comments=True)  # a guestbook: its thread and token too
    CommentFactory(post=None, page=page, author_email="guest.private@example.net", ip_address="203.0.113.0")
    slugs = {
        "posts": post.slug,
        "authors": author.slug,
        "categories": post.categories.get().slug,
        "tags": post.tags.get().slug,
        "pages": page.slug,
        "media": str(media.pk),
    }
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    public_reads = [
        path
        for path, operations in schema["paths"].items()
        if "get" in operations and not path.startswith("/api/v1/moderation/") and "/revisions/" not in path
    ]
    # Revisions are for those who may edit the post: nobody else learns they exist.
    assert api_client.get(f"/api/v1/posts/{post.slug}/revisions/").status_code == 404

    checked = 0
    for path in public_reads:
        collection = path.split("/")[3]
        url = path.replace("{slug}", slugs[collection]).replace("{id}", slugs[collection])
        response = api_client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        for secret in ("private@example", "203.0.113.0", "2001:db8::"):
            assert secret not in content, (url, secret)
        checked += 1

    assert (
        checked == 16
    )  # every public GET route, lists and details, comments and the token (posts, pages), media
