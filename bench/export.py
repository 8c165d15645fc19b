"""
The benchmark data set of the database named by DATABASE_URL, as one JSON document for
bench/php/load.php, which gives it to WordPress's own functions: the same authors, terms,
posts (their rendered HTML) and threaded comments on both sides of the comparison.

    DATABASE_URL=postgres://…/plume_bench_wordpress python -m bench.export content.json

Distinct bodies are written once (the generator makes a few dozen for thousands of posts).
"""

import json
import os
import sys
from zoneinfo import ZoneInfo

WORDPRESS_DATE = "%Y-%m-%d %H:%M:%S"


def export():
    from django.conf import settings
    from django.utils import timezone

    from authors.models import Author
    from bench.generate import read_marker
    from blog.models import Category, Post, Tag
    from comments.models import Comment

    marker = read_marker()
    if marker is None:
        raise SystemExit("error: no benchmark data set in this database: run `python -m bench.generate`")
    local = ZoneInfo(settings.TIME_ZONE)

    def dates(moment):
        # WordPress keeps each date twice: in the site's time zone and in UTC.
        return moment.astimezone(local).strftime(WORDPRESS_DATE), moment.astimezone(ZoneInfo("UTC")).strftime(
            WORDPRESS_DATE
        )

    bodies, body_index = [], {}
    posts = []
    queryset = Post.objects.order_by("pk").prefetch_related("categories", "tags")
    for post in queryset.iterator(chunk_size=500):
        if post.body_html not in body_index:
            body_index[post.body_html] = len(bodies)
            bodies.append(post.body_html)
        moment = post.published_at or timezone.now()
        date, date_gmt = dates(moment)
        posts.append(
            {
                "id": post.pk,
                "title": post.title,
                "slug": post.slug,
                "author": post.author_id,
                "body": body_index[post.body_html],
                "excerpt": post.summary,
                "status": _status(post, timezone.now()),
                "date": date,
                "date_gmt": date_gmt,
                "sticky": post.sticky,
                "categories": [category.pk for category in post.categories.all()],
                "tags": [tag.pk for tag in post.tags.all()],
            }
        )
    comments = []
    approved = Comment.objects.approved().order_by("pk").values(
        "pk", "post_id", "parent_id", "author_name", "author_email", "body_html", "ip_address",
        "user_agent", "created_at",
    )  # fmt: skip
    for comment in approved.iterator(chunk_size=2000):
        date, date_gmt = dates(comment["created_at"])
        comments.append(
            {
                "id": comment["pk"],
                "post": comment["post_id"],
                "parent": comment["parent_id"],
                "author": comment["author_name"],
                "email": comment["author_email"],
                "html": comment["body_html"],
                "ip": comment["ip_address"] or "",
                "agent": comment["user_agent"] or "",
                "date": date,
                "date_gmt": date_gmt,
            }
        )
    return {
        "marker": marker["params"],
        "site": {
            "title": settings.PLUME_SITE_NAME,
            "description": settings.PLUME_SITE_DESCRIPTION,
            "timezone": settings.TIME_ZONE,
            "posts_per_page": settings.PLUME_POSTS_PER_PAGE,
            "comments_max_depth": settings.COMMENTS_MAX_DEPTH,
        },
        "authors": [
            {
                "id": author.pk,
                "login": author.user.username,
                "email": author.user.email,
                "name": author.display_name,
                "slug": author.slug,
                "bio": author.bio,
                "url": author.website,
            }
            for author in Author.objects.select_related("user").order_by("pk")
        ],
        # Parents first: WordPress needs a parent's id to insert its children.
        "categories": [
            {"id": category.pk, "name": category.name, "slug": category.slug, "parent": category.parent_id}
            for category in sorted(Category.objects.all(), key=_depth_then_pk)
        ],
        "tags": [{"id": tag.pk, "name": tag.name, "slug": tag.slug} for tag in Tag.objects.order_by("pk")],
        "bodies": bodies,
        "posts": posts,
        "comments": comments,
    }


def _status(post, now):
    if post.status != "published":
        return "draft"
    return "future" if post.published_at > now else "publish"


def _depth_then_pk(category):
    depth, parent = 0, category.parent
    while parent is not None:
        depth, parent = depth + 1, parent.parent
    return depth, category.pk


def main(argv):
    if len(argv) != 1:
        print("usage: python -m bench.export OUTPUT.json", file=sys.stderr)
        return 1
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plume.settings")
    import django

    django.setup()
    content = export()
    with open(argv[0], "w", encoding="utf-8") as out:
        json.dump(content, out, ensure_ascii=False)
    print(json.dumps({"posts": len(content["posts"]), "comments": len(content["comments"])}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
