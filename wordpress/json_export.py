"""
Export the whole site as one JSON document, for other tools: `json_export(out=..., include_emails=...)`.

Beside the WordPress export (wordpress.exporter), and in this app for the same
reason: it is the layer that sees every other (authors, blog, comments). The
document (`"format": "plume-export"`, `"version": 1`):

- `authors`: profile, biography (Markdown and HTML), links, the account's login and e-mail;
- `categories` (parents first, each naming its parent's slug) and `tags`;
- `posts` and `pages` with every status (`draft`, `pending`, `scheduled`, `published`), the
  Markdown and the rendered HTML, the table of contents, terms by slug, SEO fields, the
  featured image, and the old addresses that redirect to them; each post with its `comments`
  as threads (each comment's `replies`), every status;
- `redirects`: every redirect of the site.

Dates are ISO 8601 in UTC. Commenters' e-mail addresses and IPs are personal data: written
only with `include_emails=True`; without it those keys are absent. Comment user agents and
moderation details never leave.
"""

import json
from datetime import UTC

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.db.models import Prefetch
from django.utils import timezone

from authors.models import Author
from blog.models import Category, Page, Post, Status, Tag
from comments.models import Comment
from core.links import absolute_url

from .exporter import parents_first

FORMAT, VERSION = "plume-export", 1


def iso(value):
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def json_export(*, out, include_emails=False):
    """Write the site to `out` (a text file) as JSON; return the counts of what was written."""
    document = site_document(include_emails=include_emails)
    json.dump(document, out, ensure_ascii=False, indent=1)
    out.write("\n")
    return {name: len(document[name]) for name in ("authors", "categories", "tags", "posts", "pages")} | {
        "comments": sum(_count(post["comments"]) for post in document["posts"]),
        "redirects": len(document["redirects"]),
    }


def _count(threads):
    return sum(1 + _count(comment["replies"]) for comment in threads)


def site_document(*, include_emails=False):
    redirects = list(
        Redirect.objects.filter(site_id=settings.SITE_ID).order_by("old_path").values("old_path", "new_path")
    )
    redirected_from = {}
    for redirect in redirects:
        redirected_from.setdefault(redirect["new_path"], []).append(redirect["old_path"])
    authors = {author.pk: author for author in Author.objects.select_related("user").order_by("pk")}
    categories = {category.pk: category for category in Category.objects.order_by("pk")}
    comments = {}
    for comment in Comment.objects.order_by("created_at", "pk").iterator(chunk_size=2000):
        comments.setdefault(comment.post_id, []).append(comment)
    posts = Post.objects.order_by("pk").prefetch_related(
        Prefetch("categories", Category.objects.order_by("pk").only("pk", "slug")),
        Prefetch("tags", Tag.objects.order_by("pk").only("pk", "slug")),
    )
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": iso(timezone.now()),
        "site": {
            "name": settings.PLUME_SITE_NAME,
            "url": absolute_url("/"),
            "language": settings.LANGUAGE_CODE,
        },
        "authors": [_author(author) for author in authors.values()],
        "categories": [_category(category, categories) for category in parents_first(categories)],
        "tags": [{"id": tag.pk, "slug": tag.slug, "name": tag.name} for tag in Tag.objects.order_by("pk")],
        "posts": [
            {
                **_content(post, authors, redirected_from),
                "excerpt": post.excerpt,
                "categories": [category.slug for category in post.categories.all()],
                "tags": [tag.slug for tag in post.tags.all()],
                "sticky": post.sticky,
                "allow_comments": post.allow_comments,
                "featured_image": _image(post),
                "featured_image_alt": post.featured_image_alt,
                "comments": _threads(comments.get(post.pk, []), include_emails),
            }
            for post in posts.iterator(chunk_size=500)
        ],
        "pages": [
            {
                **_content(page, authors, redirected_from),
                "menu_order": page.menu_order,
                "show_in_menu": page.show_in_menu,
            }
            for page in Page.objects.order_by("pk").iterator(chunk_size=500)
        ],
        "redirects": redirects,
    }


def _author(author):
    user = author.user
    return {
        "id": author.pk,
        "slug": author.slug,
        "display_name": author.display_name,
        "role_title": author.role_title,
        "bio": author.bio,
        "bio_html": author.bio_html,
        "avatar": absolute_url(author.avatar.url) if author.avatar else "",
        "links": {
            name: getattr(author, name)
            for name in ("website", "twitter_url", "linkedin_url", "mastodon_url", "github_url")
        },
        # Authors' e-mails are their accounts', as in the WordPress export.
        "login": user.get_username() if user else "",
        "email": user.email if user else "",
        "wordpress_id": author.wordpress_id,
    }


def _category(category, categories):
    parent = categories.get(category.parent_id)
    return {
        "id": category.pk,
        "slug": category.slug,
        "name": category.name,
        "description": category.description,
        "parent": parent.slug if parent else None,
    }


def _status(obj):
    if obj.status == Status.PUBLISHED:
        return "scheduled" if obj.is_scheduled else "published"
    return obj.status


def _content(obj, authors, redirected_from):
    author = authors.get(obj.author_id)
    path = obj.get_absolute_url()
    return {
        "id": obj.pk,
        "slug": obj.slug,
        "url": absolute_url(path),
        "title": obj.title,
        "status": _status(obj),
        "author": author.slug if author else None,
        "published_at": iso(obj.published_at),
        "created_at": iso(obj.created_at),
        "updated_at": iso(obj.updated_at),
        "body": obj.body,
        "body_html": obj.body_html,
        "toc": obj.toc,
        "seo_title": obj.seo_title,
        "meta_description": obj.meta_description,
        "canonical_url": obj.canonical_url,
        "redirected_from": sorted(redirected_from.get(path, [])),
        "wordpress_id": obj.wordpress_id,
    }


def _image(post):
    source = post.featured_image_src
    return absolute_url(source) if source and source.startswith("/") else source


def _threads(comments, include_emails):
    """The post's comments as trees, oldest first at each level; a reply whose parent is gone is a root."""
    nodes, roots = {}, []
    for comment in comments:
        node = {
            "id": comment.pk,
            "author_name": comment.author_name,
            "author_url": comment.author_url,
            "user": comment.user_id,
            "created_at": iso(comment.created_at),
            "status": comment.status,
            "kind": comment.kind,
            "body": comment.body,
            "body_html": comment.body_html,
            "wordpress_id": comment.wordpress_id,
            "replies": [],
        }
        if include_emails:
            node["author_email"] = comment.author_email
            node["ip_address"] = comment.ip_address
        nodes[comment.pk] = node
    for comment in comments:
        parent = nodes.get(comment.parent_id)
        (parent["replies"] if parent else roots).append(nodes[comment.pk])
    return roots
