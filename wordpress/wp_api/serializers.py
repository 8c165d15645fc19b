"""
Plume's objects in the shapes of WordPress's REST API (`context=view`), as its
controllers (`WP_REST_Posts_Controller::prepare_item_for_response` and the
others) write them. Thin: every value is a field of the object or of what the
view fetched with it; nothing here queries.
"""

import html
import mimetypes
from datetime import UTC
from posixpath import basename

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.text import slugify

from comments.moderation import comments_open
from core.links import absolute_url
from core.markdown import plain_text
from core.picture import rendition_url

from .ids import id_of, wp_id

CURIES = [{"name": "wp", "href": "https://api.w.org/{rel}", "templated": True}]

# What `context=embed` keeps of each kind (WordPress's schemas list these contexts).
EMBED_FIELDS = {
    "post": {"id", "date", "slug", "type", "link", "title", "excerpt", "author", "featured_media", "_links"},
    "page": {
        "id", "date", "slug", "type", "link", "title", "excerpt", "author", "featured_media", "parent",
        "menu_order", "_links",
    },
    "user": {"id", "name", "url", "description", "link", "slug", "avatar_urls", "_links"},
    "term": {"id", "link", "name", "slug", "taxonomy", "_links"},
    "comment": {
        "id", "parent", "author", "author_name", "author_url", "date", "content", "link", "type",
        "author_avatar_urls", "_links",
    },
    "media": {
        "id", "date", "slug", "type", "link", "title", "author", "caption", "alt_text", "media_type",
        "mime_type", "media_details", "source_url", "_links",
    },
}  # fmt: skip


class Context:
    """What presenting needs of the request: absolute URLs, and the data the view fetched in batches."""

    def __init__(self, request):
        self.request = request
        self.replies = {}  # post pk -> its latest approved comments, for `_embed`

    def absolute(self, path):
        return absolute_url(path, request=self.request)

    def rest(self, route):
        return self.absolute(f"/wp-json/{route}")


def dates(value):
    """WordPress's pair: the site's local time and GMT, both without an offset."""
    if value is None:
        return None, None
    local = timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    gmt = value.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    return local.isoformat(), gmt.isoformat()


def timestamps(obj, *, guid):
    """The dates of a post-like object, and its guid, in the order WordPress writes them."""
    date, date_gmt = dates(obj.published_at)
    modified, modified_gmt = dates(obj.updated_at)
    return {
        "date": date,
        "date_gmt": date_gmt,
        "guid": {"rendered": guid},
        "modified": modified,
        "modified_gmt": modified_gmt,
    }


def link(href, **extra):
    return [{**extra, "href": href}]


def rendered_paragraph(text):
    return f"<p>{escape(text)}</p>\n" if text else ""


def author_id(author):
    return id_of(author, "user") if author is not None else 0


def media_id(post):
    return wp_id("media", None, post.pk) if post.featured_image_src else 0


def content(obj, ctx, kind):
    """What posts and pages share."""
    api_id = id_of(obj, kind)
    url = ctx.absolute(obj.get_absolute_url())
    data = {
        "id": api_id,
        **timestamps(obj, guid=url),
        "slug": obj.slug,
        "status": "publish",
        "type": kind,
        "link": url,
        "title": {"rendered": escape(obj.title)},
        "content": {"rendered": obj.body_html, "protected": False},
        "excerpt": {"rendered": "", "protected": False},
        "author": author_id(obj.author),
        "featured_media": 0,
        "comment_status": "closed",
        "ping_status": "closed",
        "template": "",
        "meta": [],
    }
    route = "posts" if kind == "post" else "pages"
    links = {
        "self": link(ctx.rest(f"wp/v2/{route}/{api_id}")),
        "collection": link(ctx.rest(f"wp/v2/{route}")),
    }
    if obj.author is not None:
        links["author"] = link(ctx.rest(f"wp/v2/users/{data['author']}"), embeddable=True)
    links["replies"] = link(ctx.rest(f"wp/v2/comments?post={api_id}"), embeddable=True)
    return data, links


def post(obj, ctx):
    data, links = content(obj, ctx, "post")
    data["excerpt"]["rendered"] = rendered_paragraph(obj.summary)
    data["featured_media"] = media_id(obj)
    data["comment_status"] = "open" if comments_open(obj) else "closed"
    data["sticky"] = obj.sticky
    data["format"] = "standard"
    data["categories"] = [id_of(category, "category") for category in obj.categories.all()]
    data["tags"] = [id_of(tag, "tag") for tag in obj.tags.all()]
    if data["featured_media"]:
        links["wp:featuredmedia"] = link(ctx.rest(f"wp/v2/media/{data['featured_media']}"), embeddable=True)
    links["wp:term"] = [
        {"taxonomy": "category", "embeddable": True, "href": ctx.rest(f"wp/v2/categories?post={data['id']}")},
        {"taxonomy": "post_tag", "embeddable": True, "href": ctx.rest(f"wp/v2/tags?post={data['id']}")},
    ]
    links["curies"] = CURIES
    embedded = {
        "author": lambda: [embedded_as("user", user(obj.author, ctx))],
        "replies": lambda: [[embedded_as("comment", comment(reply, ctx)) for reply in ctx.replies[obj.pk]]],
        "wp:featuredmedia": lambda: (
            [embedded_as("media", media(obj, ctx))] if data["featured_media"] else None
        ),
        "wp:term": lambda: [
            [embedded_as("term", term(category, ctx, "category")) for category in obj.categories.all()],
            [embedded_as("term", term(tag, ctx, "tag")) for tag in obj.tags.all()],
        ],
    }
    return data, links, embedded


def page(obj, ctx):
    data, links = content(obj, ctx, "page")
    data["excerpt"]["rendered"] = rendered_paragraph(plain_text(obj.body_html)[:300])
    data["parent"] = 0  # Plume's pages are flat
    data["menu_order"] = obj.menu_order
    data["comment_status"] = "open" if comments_open(obj) else "closed"
    embedded = {"author": lambda: [embedded_as("user", user(obj.author, ctx))] if obj.author else None}
    return data, links, embedded


def user(author, ctx):
    api_id = id_of(author, "user")
    info = author.avatar_info
    data = {
        "id": api_id,
        "name": author.display_name,
        "url": author.website,
        "description": " ".join(html.unescape(strip_tags(author.bio_html)).split()),
        "link": ctx.absolute(author.get_absolute_url()),
        "slug": author.slug,
        # WordPress lists square avatars by the sizes themes ask for: the smallest rendition
        # at least that wide (in the upload's format), else the square thumbnail.
        "avatar_urls": {size: ctx.absolute(_avatar_at(info, int(size))) for size in ("24", "48", "96")}
        if info
        else {},
        "meta": [],
    }
    links = {"self": link(ctx.rest(f"wp/v2/users/{api_id}")), "collection": link(ctx.rest("wp/v2/users"))}
    return data, links, {}


def _avatar_at(info, width):
    fitting = [size for size in info["sizes"] if size["type"] != "image/webp" and size["width"] >= width]
    smallest = min(fitting, key=lambda size: size["width"], default=None)
    return rendition_url(smallest["name"]) if smallest else info["src"]


def term(obj, ctx, kind):
    """A category or tag; `count` (published posts) is annotated by the view."""
    api_id = id_of(obj, kind)
    route = "categories" if kind == "category" else "tags"
    data = {
        "id": api_id,
        "count": getattr(obj, "post_count", 0),
        "description": obj.description if kind == "category" else "",
        "link": ctx.absolute(obj.get_absolute_url()),
        "name": obj.name,
        "slug": obj.slug,
        "taxonomy": "category" if kind == "category" else "post_tag",
    }
    links = {
        "self": link(ctx.rest(f"wp/v2/{route}/{api_id}")),
        "collection": link(ctx.rest(f"wp/v2/{route}")),
    }
    if kind == "category":
        data["parent"] = id_of(obj.parent, "category") if obj.parent_id else 0
        if obj.parent_id:
            links["up"] = link(ctx.rest(f"wp/v2/categories/{data['parent']}"), embeddable=True)
    data["meta"] = []
    links["wp:post_type"] = link(ctx.rest(f"wp/v2/posts?{route}={api_id}"))
    links["curies"] = CURIES
    embedded = {}
    if kind == "category" and obj.parent_id:
        embedded["up"] = lambda: [embedded_as("term", term(obj.parent, ctx, "category"))]
    return data, links, embedded


def comment(obj, ctx):
    api_id = id_of(obj, "comment")
    on_page = obj.post_id is None
    date, date_gmt = dates(obj.created_at)
    commenter = getattr(obj.user, "author", None) if obj.user_id else None
    data = {
        "id": api_id,
        # WordPress keeps pages among posts: a comment on a page names it in `post` too.
        "post": id_of(obj.page, "page") if on_page else id_of(obj.post, "post"),
        "parent": id_of(obj.parent, "comment") if obj.parent_id else 0,
        "author": author_id(commenter),
        "author_name": obj.author_name,
        "author_url": obj.author_url,
        "date": date,
        "date_gmt": date_gmt,
        "content": {"rendered": obj.body_html},
        "link": ctx.absolute(obj.get_absolute_url()),
        "status": "approved",
        "type": obj.kind,
        "author_avatar_urls": {},
        "meta": [],
    }
    links = {
        "self": link(ctx.rest(f"wp/v2/comments/{api_id}")),
        "collection": link(ctx.rest("wp/v2/comments")),
    }
    if commenter is not None:
        links["author"] = link(ctx.rest(f"wp/v2/users/{data['author']}"), embeddable=True)
    route, post_type = ("pages", "page") if on_page else ("posts", "post")
    links["up"] = link(ctx.rest(f"wp/v2/{route}/{data['post']}"), embeddable=True, post_type=post_type)
    if obj.parent_id:
        links["in-reply-to"] = link(ctx.rest(f"wp/v2/comments/{data['parent']}"), embeddable=True)
    embedded = {
        "up": (
            (lambda: [embedded_as("page", page(obj.page, ctx))])
            if on_page
            else (lambda: [embedded_as("post", post(obj.post, ctx))])
        )
    }
    if commenter is not None:
        embedded["author"] = lambda: [embedded_as("user", user(commenter, ctx))]
    if obj.parent_id:
        embedded["in-reply-to"] = lambda: [embedded_as("comment", comment(obj.parent, ctx))]
    return data, links, embedded


def media(post_obj, ctx):
    """A post's featured image, as the attachment WordPress would have for it."""
    api_id = media_id(post_obj)
    source = post_obj.featured_image_src
    source_url = ctx.absolute(source) if source.startswith("/") else source
    name = basename(source.split("?", 1)[0])
    alt = (post_obj.featured_image_info or {}).get("alt", "")
    title = alt or post_obj.title
    data = {
        "id": api_id,
        **timestamps(post_obj, guid=source_url),
        "slug": slugify(name.rsplit(".", 1)[0]) or str(api_id),
        "status": "inherit",
        "type": "attachment",
        "link": source_url,
        "title": {"rendered": escape(title)},
        "author": author_id(post_obj.author),
        "comment_status": "closed",
        "ping_status": "closed",
        "template": "",
        "meta": [],
        "description": {"rendered": ""},
        "caption": {"rendered": ""},
        "alt_text": alt,
        "media_type": "image",
        "mime_type": mimetypes.guess_type(name)[0] or "image/jpeg",
        "media_details": media_details(post_obj, ctx, source_url),
        "post": id_of(post_obj, "post"),
        "source_url": source_url,
    }
    links = {
        "self": link(ctx.rest(f"wp/v2/media/{api_id}")),
        "collection": link(ctx.rest("wp/v2/media")),
        "author": link(ctx.rest(f"wp/v2/users/{data['author']}"), embeddable=True),
        "up": link(ctx.rest(f"wp/v2/posts/{data['post']}"), embeddable=True, post_type="post"),
    }
    return data, links, {"author": lambda: [embedded_as("user", user(post_obj.author, ctx))]}


def media_details(post_obj, ctx, source_url):
    """WordPress's `media_details` from the image's renditions (core.images): `full` is the original."""
    image = post_obj.featured_image_info or {}
    sizes = {}
    for size in image.get("sizes", ()):
        url = ctx.absolute(default_storage.url(size["name"]))
        is_webp = size["type"] == "image/webp"
        key = "full" if url == source_url else f"w{size['width']}" + ("-webp" if is_webp else "")
        sizes[key] = {
            "file": basename(size["name"]),
            "width": size["width"],
            "height": size["height"],
            "mime_type": size["type"],
            "source_url": url,
        }
    if not image.get("width"):
        return {"sizes": sizes}
    return {"width": image["width"], "height": image["height"], "file": basename(source_url), "sizes": sizes}


def embedded_as(kind, presented):
    """A resource inside another's `_embedded`: its `embed` fields and its links, as WordPress embeds."""
    data, links, _embedded = presented
    return {**{name: value for name, value in data.items() if name in EMBED_FIELDS[kind]}, "_links": links}
