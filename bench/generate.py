"""
Fill the database named by DATABASE_URL with a realistic blog for the benchmark.

    python -m bench.generate                  # the full data set (10,000 posts, 100,000 comments)
    python -m bench.generate --posts 50 ...   # smaller; see --help

Fast: rows go in with bulk_create, and Markdown is rendered once per distinct body
(`--bodies`, default 50) through `core.markdown.render`, the one pipeline, whose
html/toc/word count are then reused by every post sharing that body.

Re-runnable: the parameters of the data set are stored in the table `bench_dataset`;
when they match, nothing is done. When they differ, the previous bench data set is
replaced. A database holding posts that the generator did not make is left alone
unless `--reset` is given.
"""

import argparse
import json
import os
import random
import sys
import time
from dataclasses import asdict, dataclass
from datetime import timedelta

# Bump when the generator's output changes, so that an old data set is regenerated.
GENERATOR_VERSION = 2
MARKER_TABLE = "bench_dataset"
BATCH_SIZE = 1000


@dataclass(frozen=True)
class Params:
    posts: int = 10_000
    comments: int = 100_000
    authors: int = 50
    categories: int = 30
    tags: int = 300
    drafts: int = 100
    scheduled: int = 50
    bodies: int = 50
    words: int = 1500
    headings: int = 8
    big_post_comments: int = 500
    seed: int = 2026
    version: int = GENERATOR_VERSION


def generate(params, *, reset=False, log=print):
    """Create the data set described by `params` unless it is already there; return its info."""
    from django.db import connection, transaction

    _ensure_marker_table()
    existing = read_marker()
    if existing is not None and existing["params"] == asdict(params):
        log("Benchmark data set already present with these parameters: nothing to do.")
        return existing["info"]
    if existing is None and _has_content() and not reset:
        raise GeneratorError(
            "The database already holds posts that the benchmark generator did not make; "
            "use a database of its own, or pass --reset to replace its content."
        )
    started = time.monotonic()
    with transaction.atomic():
        if existing is not None or reset:
            log("Removing the previous content…")
            _wipe()
        info = _Builder(params, log).build()
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {MARKER_TABLE}")  # noqa: S608
            cursor.execute(
                f"INSERT INTO {MARKER_TABLE} (params, info) VALUES (%s, %s)",  # noqa: S608
                [json.dumps(asdict(params), sort_keys=True), json.dumps(info, sort_keys=True)],
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    log(f"Data set generated in {time.monotonic() - started:.1f} s.")
    return info


class GeneratorError(Exception):
    pass


def read_marker():
    """{"params": {...}, "info": {...}} of the data set in the database, or None."""
    from django.db import connection

    if MARKER_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT params, info FROM {MARKER_TABLE}")  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        return None
    return {"params": json.loads(row[0]), "info": json.loads(row[1])}


def _ensure_marker_table():
    # A plain table rather than a model: the bench is no app, and its marker must not
    # add a migration to the project.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (params TEXT NOT NULL, info TEXT NOT NULL)"
        )


def _has_content():
    from authors.models import Author
    from blog.models import Post

    return Post.objects.exists() or Author.objects.exists()


def _wipe():
    from django.contrib.auth import get_user_model
    from django.db import connection

    from authors.models import Author
    from blog.models import Category, Post, Tag
    from comments.models import Comment

    if connection.vendor == "postgresql":
        tables = [model._meta.db_table for model in (Comment, Post, Category, Tag, Author)]
        with connection.cursor() as cursor:
            # Foreign keys are checked at commit: run those checks now, TRUNCATE refuses
            # tables with pending ones.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    else:
        # Parents are protected (categories) or cascade row by row (comments): unlink first.
        Comment.objects.update(parent=None)
        Category.objects.update(parent=None)
        for model in (Comment, Post, Category, Tag, Author):
            model.objects.all().delete()
    get_user_model().objects.filter(username__startswith="bench-").delete()


class _Builder:
    def __init__(self, params, log):
        from bench import french

        self.p = params
        self.log = log
        self.rng = random.Random(params.seed)  # noqa: S311 (reproducible data, not secrets)
        self.french = french

    def build(self):
        from django.utils import timezone

        self.now = timezone.now()
        authors = self.authors()
        categories = self.categories()
        tags = self.tags()
        bodies = self.bodies()
        posts = self.posts(authors, bodies)
        self.relations(posts, categories, tags)
        big_post, sample_post = self.comments(posts)
        return {
            "big_post_slug": big_post.slug if big_post else None,
            "sample_post_slug": sample_post.slug if sample_post else None,
            "search_query": self.french.SEARCH_QUERY,
            "published_posts": self.p.posts,
        }

    def authors(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.hashers import make_password

        from authors.models import Author
        from core.markdown import render

        User = get_user_model()
        password = make_password(None)  # unusable: these accounts never log in
        users = User.objects.bulk_create(
            User(username=f"bench-author-{n}", email=f"bench-author-{n}@example.org", password=password)
            for n in range(self.p.authors)
        )
        bio = "Passionnée d’*intelligence artificielle*, elle suit la recherche européenne depuis dix ans."
        bio_html = render(bio)
        authors = Author.objects.bulk_create(
            Author(
                user=user,
                display_name=self.french.person_name(self.rng),
                slug=f"auteur-{n}",
                role_title=self.rng.choice(self.french.ROLE_TITLES),
                bio=bio,
                bio_html=bio_html,
                website=f"https://example.org/auteurs/{n}/",
            )
            for n, user in enumerate(users)
        )
        self.log(f"{len(authors)} authors")
        return authors

    def categories(self):
        """A three-level tree: a sixth are roots, the rest split between children and grandchildren."""
        from blog.models import Category

        total = self.p.categories
        roots = Category.objects.bulk_create(
            Category(name=f"Rubrique {n}", slug=f"rubrique-{n}") for n in range(max(1, total // 6))
        )
        remaining = total - len(roots)
        children = Category.objects.bulk_create(
            Category(name=f"Thème {n}", slug=f"theme-{n}", parent=roots[n % len(roots)])
            for n in range(remaining - remaining // 2)
        )
        grandchildren = Category.objects.bulk_create(
            Category(name=f"Dossier {n}", slug=f"dossier-{n}", parent=children[n % len(children)])
            for n in range(remaining // 2)
        )
        categories = roots + children + grandchildren
        self.log(f"{len(categories)} categories")
        return categories

    def tags(self):
        from blog.models import Tag

        tags = Tag.objects.bulk_create(
            Tag(name=f"Étiquette {n}", slug=f"etiquette-{n}") for n in range(self.p.tags)
        )
        self.log(f"{len(tags)} tags")
        return tags

    def bodies(self):
        """Distinct Markdown bodies, each rendered once: (body, Rendered)."""
        from core.markdown import render

        bodies = []
        for n in range(self.p.bodies):
            theme = self.french.THEMES[n % len(self.french.THEMES)]
            body = self.french.markdown_body(
                self.rng, words=self.p.words, headings=self.p.headings, theme=theme
            )
            bodies.append((body, render(body)))
        self.log(f"{len(bodies)} distinct bodies rendered")
        return bodies

    def posts(self, authors, bodies):
        from django.utils.text import Truncator

        from blog.models import EXCERPT_LENGTH, Post, Status

        total = self.p.posts + self.p.drafts + self.p.scheduled
        objects = []
        for n in range(total):
            body, rendered = bodies[n % len(bodies)]
            title = self.french.title(self.rng)
            if n < self.p.posts:
                # Spread over about five years, the newest first in id order.
                status, published_at = Status.PUBLISHED, self.now - timedelta(hours=4 * n + 1)
            elif n < self.p.posts + self.p.drafts:
                status, published_at = Status.DRAFT, None
            else:
                status, published_at = Status.PUBLISHED, self.now + timedelta(days=1 + n % 30)
            objects.append(
                Post(
                    title=title,
                    slug=f"{_slug(title)}-{n + 1}",
                    author=authors[n % len(authors)],
                    body=body,
                    body_html=str(rendered),
                    toc=rendered.toc,
                    word_count=rendered.word_count,
                    reading_time=rendered.reading_time,
                    summary=Truncator(rendered.first_paragraph).chars(EXCERPT_LENGTH),
                    status=status,
                    published_at=published_at,
                    meta_description=Truncator(rendered.first_paragraph).chars(150),
                    sticky=n == 1,
                )
            )
        posts = Post.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        self.log(f"{self.p.posts} published posts, {self.p.drafts} drafts, {self.p.scheduled} scheduled")
        return posts

    def relations(self, posts, categories, tags):
        from blog.models import Post

        PostCategory, PostTag = Post.categories.through, Post.tags.through
        post_categories, post_tags = [], []
        for post in posts:
            for category in self.rng.sample(categories, k=min(len(categories), self.rng.randint(1, 2))):
                post_categories.append(PostCategory(post_id=post.pk, category_id=category.pk))
            for tag in self.rng.sample(tags, k=min(len(tags), self.rng.randint(3, 6))):
                post_tags.append(PostTag(post_id=post.pk, tag_id=tag.pk))
        PostCategory.objects.bulk_create(post_categories, batch_size=BATCH_SIZE * 5)
        PostTag.objects.bulk_create(post_tags, batch_size=BATCH_SIZE * 5)
        self.log(f"{len(post_categories)} post categories, {len(post_tags)} post tags")

    def comments(self, posts):
        """
        Approved comments, threaded: the newest published post but one gets
        `big_post_comments` of them, the rest are spread over the other published posts.
        """
        from comments.models import Comment
        from core.markdown import render

        published = posts[: self.p.posts]
        if not published or not self.p.comments:
            return None, published[0] if published else None
        big_post = published[min(2, len(published) - 1)]
        others = [post for post in published if post.pk != big_post.pk] or [big_post]
        sample_post = others[min(5, len(others) - 1)]
        texts = []
        for _ in range(20):
            body = self.french.comment_body(self.rng)
            texts.append((body, str(render(body, comment=True))))

        big_count = min(self.p.big_post_comments, self.p.comments)
        # Three rounds: top-level comments, replies to them, replies to replies. Each
        # round is inserted before the next so that parents have their ids.
        shares = (0.4, 0.35, 0.25)
        created = 0
        parents_big, parents_other = [], []
        for depth, share in enumerate(shares):
            is_last = depth == len(shares) - 1
            n_big = (
                big_count - round(big_count * sum(shares[:depth])) if is_last else round(big_count * share)
            )
            rest = self.p.comments - big_count
            n_other = rest - round(rest * sum(shares[:depth])) if is_last else round(rest * share)
            batch = [self._comment(big_post, parents_big, depth, texts) for _ in range(n_big)]
            batch += [
                self._comment(self.rng.choice(others), parents_other, depth, texts) for _ in range(n_other)
            ]
            batch = Comment.objects.bulk_create(batch, batch_size=BATCH_SIZE * 2)
            created += len(batch)
            parents_big = [c for c in batch if c.post_id == big_post.pk]
            parents_other = [c for c in batch if c.post_id != big_post.pk]
        self.log(f"{created} approved comments ({big_count} on /{big_post.slug}/)")
        return big_post, sample_post

    def _comment(self, post, parents, depth, texts):
        from comments.models import Comment

        parent = self.rng.choice(parents) if depth and parents else None
        post_id = parent.post_id if parent is not None else post.pk
        body, body_html = self.rng.choice(texts)
        n = self.rng.randrange(1_000_000)
        published_at = post.published_at if parent is None else parent.created_at
        return Comment(
            post_id=post_id,
            parent=parent,
            author_name=self.french.person_name(self.rng),
            author_email=f"lecteur{n}@example.net",
            body=body,
            body_html=body_html,
            status=Comment.Status.APPROVED,
            ip_address="192.0.2.0",
            user_agent="Mozilla/5.0 (bench)",
            created_at=published_at + timedelta(minutes=self.rng.randint(1, 60 * 24 * 3)),
        )


def _slug(text):
    from django.utils.text import slugify

    return slugify(text)[:150].strip("-") or "article"


def main(argv=None):
    defaults = Params()
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    for field in ("posts", "comments", "authors", "categories", "tags", "drafts", "scheduled", "bodies",
                  "words", "headings", "big_post_comments", "seed"):  # fmt: skip
        parser.add_argument(f"--{field.replace('_', '-')}", type=int, default=getattr(defaults, field))
    parser.add_argument("--reset", action="store_true", help="replace whatever content the database holds")
    args = parser.parse_args(argv)
    options = {name: value for name, value in vars(args).items() if name != "reset"}
    if (
        any(value < 0 for value in options.values())
        or args.authors < 1
        or args.categories < 1
        or args.bodies < 1
    ):
        parser.error("sizes must be positive (at least one author, category and body)")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plume.settings")
    import django

    django.setup()
    try:
        info = generate(Params(**options), reset=args.reset)
    except GeneratorError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(json.dumps(info, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
