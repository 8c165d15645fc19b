import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from core.images import renditions_of
from core.links import slug_path
from core.markdown import render
from core.prepared import PreparedQuery
from core.slugs import unique_slug

from . import post_or_page
from .extensions import comment_count
from .media import Media
from .previews import PreviewLink  # noqa: F401 (this app's model, kept with its helpers)

# First path segments the site's URLs own: a post or page slug may not take them.
RESERVED_SLUGS = frozenset(
    {
        "admin", "api", "author", "category", "comments", "feed", "markdownx", "media",
        "page", "robots.txt", "search", "sitemap.xml", "static", "tag", "preview", "wp-json",
    }
)  # fmt: skip
EXCERPT_LENGTH = 300
# What a post knows of the posts before and after it (see Post.get_previous_published).
NEIGHBOUR_FIELDS = ("id", "slug", "title")
# The columns a list of posts shows (site listings, feeds, the API list): never the Markdown,
# the rendered body, the table of contents or the search vector, nor the author's biography.
LISTING_FIELDS = (
    "id", "slug", "title", "status", "summary", "published_at", "updated_at", "reading_time", "sticky",
    "featured_image", "featured_image_url", "featured_image_alt", "allow_comments", "author_id",
    "author__id", "author__user_id", "author__slug", "author__display_name", "author__role_title",
    "author__avatar", "author__avatar_thumbnail", "author__avatar_renditions", "featured_image_renditions",
    "featured_media_id", "featured_media__id", "featured_media__file", "featured_media__alt_text",
    "featured_media__width", "featured_media__height", "featured_media__renditions",
)  # fmt: skip
# What the post page and the API detail leave out: the Markdown source and the search vector.
DETAIL_DEFERRED = ("body", "search_vector", "author__bio")


def validate_not_reserved(value):
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is reserved for the site’s own addresses; choose another slug."),
            code="reserved",
            params={"slug": value},
        )


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    description = models.TextField(_("description"), blank=True)
    wordpress_id = models.PositiveBigIntegerField(_("WordPress id"), null=True, blank=True, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Category, self.name, instance=self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_path("blog:category", self.slug)

    def surrogate_keys(self):
        return [f"category-{self.pk}"]

    def list_keys(self, descendant_ids):
        """The keys of a list of this category's posts: those filed under it or any descendant."""
        return [*self.surrogate_keys(), *(f"category-{pk}-posts" for pk in descendant_ids)]

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A category cannot be its own ancestor.")})
            ancestor = ancestor.parent

    def descendant_ids(self):
        """This category's id and those of every category below it (one query)."""
        children = {}
        for pk, parent_id in Category.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        ids, stack = [], [self.pk]
        while stack:
            pk = stack.pop()
            ids.append(pk)
            stack.extend(children.get(pk, []))
        return ids


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    wordpress_id = models.PositiveBigIntegerField(_("WordPress id"), null=True, blank=True, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Tag, self.name, instance=self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_path("blog:tag", self.slug)

    def surrogate_keys(self):
        return [f"tag-{self.pk}"]


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Pending review")
    PUBLISHED = "published", _("Published")


class ContentQuerySet(models.QuerySet):
    def published(self, now=None):
        """The one definition of public: published, and its date has come (by `now`, else now)."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=now or timezone.now())

    def scheduled(self, now=None):
        """Published with a date still to come: it goes live by itself at that time."""
        return self.filter(status=Status.PUBLISHED, published_at__gt=now or timezone.now())

    def publication_dates(self, now=None):
        """The latest publication now live and the next scheduled one, as one-date querysets.

        For the response cache's one-query content state (core.caching, which compiles it
        once with a stand-in `now`); each is read from the (status, published_at) index.
        """
        return (
            self.published(now).order_by("-published_at").values("published_at")[:1],
            self.scheduled(now).order_by("published_at").values("published_at")[:1],
        )

    def search(self, query):
        """Containment search; see `blog.search` for the PostgreSQL full-text version."""
        from .search import search

        return search(self, query)


class PostQuerySet(ContentQuerySet):
    def _prefetch_related_objects(self):
        # A page of posts (or one) with only its taxonomies to fetch: through prepared queries
        # (core.prepared), the same rows Django's prefetch reads, for a fraction of its work.
        lookups, posts = self._prefetch_related_lookups, self._result_cache
        if (
            0 < len(posts) <= TAXONOMY_BATCH
            and all(isinstance(post, Post) for post in posts)
            and all(isinstance(lookup, TaxonomyPrefetch) for lookup in lookups)
        ):
            for lookup in lookups:
                _attach_taxonomy(posts, lookup)
            self._prefetch_done = True
            return
        super()._prefetch_related_objects()

    def for_listing(self):
        """What a list of posts shows, and only that, fetched in a fixed number of queries."""
        return (
            self.select_related("author", "featured_media")
            .only(*LISTING_FIELDS)
            .prefetch_related(*taxonomy_prefetches())
        )

    def for_feed(self):
        """What a feed item shows: a listing's columns, the categories but not the tags."""
        return self.for_listing().prefetch_related(None).prefetch_related(taxonomy_prefetches()[0])

    def for_detail(self):
        """What the post page and the API detail show: every column but the source and search vector."""
        return (
            self.select_related("author", "featured_media")
            .defer(*DETAIL_DEFERRED)
            .prefetch_related(*taxonomy_prefetches())
        )

    def with_comment_count(self):
        """`comment_count`: the public comments, counted in the same query (see blog.extensions)."""
        return self.annotate(comment_count=comment_count())

    def ordered_for_home(self):
        return self.order_by("-sticky", "-published_at", "-pk")


class TaxonomyPrefetch(models.Prefetch):
    """The prefetch of posts' categories or tags (a page of posts' goes through prepared queries)."""


# name: (model, its link on the through table, the columns a link to it needs)
TAXONOMY_COLUMNS = {
    "categories": (Category, "category", ("id", "name", "slug", "parent_id")),
    "tags": (Tag, "tag", ("id", "name", "slug")),
}
# The most posts whose taxonomies come through the prepared queries (one query compiled per count).
TAXONOMY_BATCH = 50


def taxonomy_prefetches():
    """A post's categories and tags with what a link to them needs (name, slug; the parent's id)."""
    return tuple(
        TaxonomyPrefetch(name, model.objects.only(*columns))
        for name, (model, _link, columns) in TAXONOMY_COLUMNS.items()
    )


class ContentModel(models.Model):
    """Fields and rendering shared by posts and pages: Markdown in, sanitized HTML stored."""

    title = models.CharField(_("title"), max_length=255, blank=True)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        allow_unicode=True,
        blank=True,
        validators=[validate_not_reserved],
        help_text=_("Its address: /slug/. Made from the title when left blank."),
    )
    body = MarkdownxField(_("body"), blank=True, help_text=_("Markdown."))
    body_html = models.TextField(_("rendered body"), blank=True, editable=False)
    toc = models.JSONField(_("table of contents"), default=list, blank=True, editable=False)
    # What is kept of each heading between saves, so a renamed one keeps its id (core.anchors).
    anchors = models.JSONField(_("heading anchors"), default=list, blank=True, editable=False)
    word_count = models.PositiveIntegerField(_("word count"), default=0, editable=False)
    reading_time = models.PositiveIntegerField(_("reading time (minutes)"), default=0, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("A date in the future schedules the post: it goes live at that time."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    seo_title = models.CharField(_("SEO title"), max_length=255, blank=True)
    meta_description = models.CharField(_("meta description"), max_length=320, blank=True)
    canonical_url = models.URLField(_("canonical URL"), blank=True)
    # The publication date content_published was sent for (blog.tasks.announce_publication).
    announced_for = models.DateTimeField(
        _("announced as published for"), null=True, blank=True, editable=False
    )
    wordpress_id = models.PositiveBigIntegerField(_("WordPress id"), null=True, blank=True, unique=True)
    # Filled by a PostgreSQL trigger (migration 0003), whatever writes the row: see blog.search.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title or _("(untitled)")

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_path("blog:detail", self.slug)

    def fill_derived_fields(self, rendered=None):
        """
        What saving derives from what was typed; bulk inserts (the importer's) call it
        themselves, with `rendered` when they rendered the body already (`render(body)`).
        """
        if not self.slug:
            self.slug = unique_slug(type(self), self.title, instance=self, reserved=RESERVED_SLUGS)
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.render_body(rendered)

    def render_body(self, rendered=None):
        # The headings' ids of the last save come in, those to keep for the next one out
        # (the importer passes bodies its workers rendered, with no earlier ids to keep).
        if rendered is None:
            rendered = render(self.body, anchors=self.anchors)
        self.body_html = rendered
        self.toc = rendered.toc
        self.anchors = rendered.anchors
        self.word_count = rendered.word_count
        self.reading_time = rendered.reading_time
        return rendered

    @property
    def is_public(self):
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )


class Post(ContentModel):
    author = models.ForeignKey(
        "authors.Author", on_delete=models.PROTECT, related_name="posts", verbose_name=_("author")
    )
    excerpt = models.TextField(
        _("excerpt"), blank=True, help_text=_("Optional: the first paragraph is used when left blank.")
    )
    summary = models.TextField(_("summary"), blank=True, editable=False)
    categories = models.ManyToManyField(
        Category, blank=True, related_name="posts", verbose_name=_("categories")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts", verbose_name=_("tags"))
    featured_image = models.ImageField(_("featured image"), upload_to="featured/%Y/%m/", blank=True)
    featured_image_url = models.URLField(
        _("featured image URL"), max_length=500, blank=True, help_text=_("An image hosted elsewhere.")
    )
    featured_image_alt = models.CharField(_("featured image alt text"), max_length=255, blank=True)
    # An image of the media library; when set it is the featured image (featured_image and
    # featured_image_url stay for posts written before it, and for images hosted elsewhere).
    featured_media = models.ForeignKey(
        Media,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("featured image (media library)"),
    )
    # The renditions of featured_image (core.images.render_image).
    featured_image_renditions = models.JSONField(default=dict, blank=True, editable=False)
    allow_comments = models.BooleanField(_("allow comments"), default=True)
    sticky = models.BooleanField(_("sticky"), default=False, help_text=_("Shown first on the home page."))
    submitted_at = models.DateTimeField(_("submitted for review"), null=True, blank=True, editable=False)
    review_note = models.TextField(
        _("review note"), blank=True, editable=False, help_text=_("Why an editor sent the post back.")
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        permissions = [
            ("publish_post", _("Can publish posts")),
            ("edit_others_posts", _("Can edit others’ posts")),
        ]
        indexes = [
            models.Index(fields=["status", "published_at"], name="blog_post_status_pub_idx"),
            # The orders listings use, so a page of posts is read from an index, not sorted from all.
            models.Index(fields=["-sticky", "-published_at", "-id"], name="blog_post_home_order_idx"),
            models.Index(fields=["-published_at", "-id"], name="blog_post_latest_order_idx"),
        ]

    def render_body(self, rendered=None):
        rendered = super().render_body(rendered)
        source = self.excerpt.strip() or rendered.first_paragraph
        self.summary = Truncator(source).chars(EXCERPT_LENGTH)
        return rendered

    def surrogate_keys(self):
        """What a page showing this post shows of it (core.surrogate); no query."""
        keys = [f"post-{self.pk}", f"author-{self.author_id}"]
        # Category and tag names are shown where they were fetched with the post.
        prefetched = getattr(self, "_prefetched_objects_cache", {})
        keys += [f"category-{category.pk}" for category in prefetched.get("categories", ())]
        keys += [f"tag-{tag.pk}" for tag in prefetched.get("tags", ())]
        return keys

    @property
    def featured_image_src(self):
        if self.featured_media_id:
            return self.featured_media.url
        return self.featured_image.url if self.featured_image else self.featured_image_url

    @property
    def featured_image_info(self):
        """The featured image as `{% picture %}` and the API show it (src, alt, width, height, sizes)."""
        if self.featured_media_id:
            return self.featured_media.image_info(alt=self.featured_image_alt or None)
        src = self.featured_image_src
        if not src:
            return None
        sizes = (
            renditions_of(self.featured_image_renditions, self.featured_image.name)
            if self.featured_image
            else []
        )
        largest = max(sizes, key=lambda size: size["width"], default={})
        return {
            "src": src,
            "alt": self.featured_image_alt,
            "width": largest.get("width"),
            "height": largest.get("height"),
            "sizes": sizes,
        }

    def get_previous_published(self):
        return self._neighbour("previous")

    def get_next_published(self):
        return self._neighbour("next")

    def _neighbour(self, side):
        """
        The published post just older ("previous") or just newer ("next") than this one, as a
        light instance (id, slug, title), or None; asked once per instance.

        One `LIMIT 1` query per side, read from blog_post_latest_order_idx (published_at, id)
        from this post's place on: measured faster than both sides as correlated subqueries
        of the post's own query, which cost more to plan than to run (bench/RESULTS.md).
        """
        cache = self.__dict__.setdefault("_neighbours", {})
        if side not in cache:
            if self.published_at is None:
                cache[side] = None
            else:
                found = NEIGHBOURS[side].instances(date=self.published_at, pk=self.pk, now=timezone.now())
                cache[side] = found[0] if found else None
        return cache[side]


class Page(ContentModel):
    author = models.ForeignKey(
        "authors.Author",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pages",
        verbose_name=_("author"),
    )
    menu_order = models.PositiveIntegerField(
        _("menu order"), default=0, help_text=_("Position in the site’s navigation.")
    )
    show_in_menu = models.BooleanField(_("show in menu"), default=True)
    # Off by default (unlike posts): a page takes comments only when an editor says so (a
    # guestbook, an "about" page), or when WordPress said its comment_status was open.
    allow_comments = models.BooleanField(
        _("allow comments"),
        default=False,
        help_text=_("Readers may comment on this page (a guestbook, an “about” page)."),
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["menu_order", "title"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def surrogate_keys(self):
        return [f"page-{self.pk}", f"author-{self.author_id}" if self.author_id else ""]


class Revision(models.Model):
    """
    One saved state of a post or a page: who saved it, when, and a JSON snapshot of
    every field a reader or an editor sees (blog.revisions.snapshot). Written by the
    services on every save; never public (no selector, page, feed or search reads it).
    """

    post, page = post_or_page.foreign_keys("revisions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    created_at = models.DateTimeField(_("saved"), default=timezone.now)
    # Copied out of the snapshot so pruning keeps every published version without reading JSON.
    status = models.CharField(_("status"), max_length=10, choices=Status)
    # What changed since the previous revision, as data (blog.revisions.changes), so the
    # one-line summary is written in the reader's language when shown.
    changes = models.JSONField(_("what changed"), default=list, blank=True)
    data = models.JSONField(_("snapshot"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        indexes = [
            models.Index(fields=["post", "-created_at", "-id"], name="blog_revision_post_idx"),
            models.Index(fields=["page", "-created_at", "-id"], name="blog_revision_page_idx"),
        ]
        constraints = [post_or_page.exactly_one("blog_revision_of_one_thing")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M}"

    @property
    def target(self):
        return self.post if self.post_id else self.page


class Autosave(models.Model):
    """
    The text an editor typed in a post's or a page's admin form and has not saved:
    one row per user and object (and one per user for a new, unsaved post or page),
    written every half-minute or so and when the tab is left (blog.services.autosave).
    It never touches the post itself; the form offers it back when it is newer than
    the saved post. A save refused as stale (blog.versions) is kept here too.
    """

    class Kind(models.TextChoices):
        POST = "post", _("post")
        PAGE = "page", _("page")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=4, choices=Kind)
    # Both empty: the form of a new post or page, not saved yet.
    post, page = post_or_page.foreign_keys("+")
    # The form's fields as it would post them: {name: value or [values]}.
    data = models.JSONField(_("unsaved text"), default=dict)
    # The version of the post the text was typed on (blog.versions.version_of), "" for a new one.
    base_version = models.CharField(_("written on version"), max_length=32, blank=True)
    refused = models.BooleanField(_("kept from a refused save"), default=False)
    saved_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("autosave")
        verbose_name_plural = _("autosaves")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "post"], condition=Q(post__isnull=False), name="blog_autosave_one_per_post"
            ),
            models.UniqueConstraint(
                fields=["user", "page"], condition=Q(page__isnull=False), name="blog_autosave_one_per_page"
            ),
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(post__isnull=True, page__isnull=True),
                name="blog_autosave_one_new_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(post__isnull=True) | Q(page__isnull=True), name="blog_autosave_of_one_thing"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.post_id or self.page_id or '+'} ({self.saved_at:%Y-%m-%d %H:%M})"


def _neighbour_query(side):
    """The published post just older ("previous") or newer ("next") than (date, pk), at `now`."""
    cmp, order = ("lt", "-") if side == "previous" else ("gt", "")

    def build(date, pk, now):
        return (
            Post.objects.published(now)
            .only(*NEIGHBOUR_FIELDS)
            .filter(**{f"published_at__{cmp}e": date})
            .filter(Q(**{f"published_at__{cmp}": date}) | Q(published_at=date, **{f"pk__{cmp}": pk}))
            .order_by(f"{order}published_at", f"{order}pk")[:1]
        )

    return PreparedQuery(Post, build, date=datetime.datetime, pk=int, now=datetime.datetime)


def _taxonomy_query(name, count):
    """The (post id, *columns) rows of `count` posts' categories or tags, in the model's order."""
    model, link, columns = TAXONOMY_COLUMNS[name]
    through = Post._meta.get_field(name).remote_field.through
    order = [f"{'-' if key.startswith('-') else ''}{link}__{key.lstrip('-')}" for key in model._meta.ordering]

    def build(**ids):
        rows = through.objects.filter(post_id__in=list(ids.values())).order_by(*order, f"{link}__id")
        return rows.values_list("post_id", *(f"{link}__{column}" for column in columns))

    return PreparedQuery(through, build, **{f"post_{number}": int for number in range(count)})


_taxonomy_queries = {}


def prefetch_taxonomies(posts):
    """Prefetch `posts`' categories and tags as for_listing() and for_detail() do (same rows, queries)."""
    for lookup in taxonomy_prefetches():
        _attach_taxonomy(posts, lookup)


def _attach_taxonomy(posts, lookup):
    """Fill each post's prefetched `lookup` (categories or tags) as Django's prefetch_one_level does."""
    name = lookup.prefetch_to
    model, _link, columns = TAXONOMY_COLUMNS[name]
    ids = list(dict.fromkeys(post.pk for post in posts))
    query = _taxonomy_queries.get((name, len(ids)))
    if query is None:
        query = _taxonomy_queries[(name, len(ids))] = _taxonomy_query(name, len(ids))
    rows, using = query.rows(**{f"post_{number}": pk for number, pk in enumerate(ids)})
    found = {pk: [] for pk in ids}
    for row in rows:
        found[row[0]].append(model.from_db(using, columns, row[1:]))
    for post in posts:
        related = getattr(post, name)._apply_rel_filters(lookup.queryset)
        related._result_cache, related._prefetch_done = list(found[post.pk]), True
        post.__dict__.setdefault("_prefetched_objects_cache", {})[name] = related


# A post's neighbours are read on every post page and API detail: compiled once (core.prepared).
NEIGHBOURS = {side: _neighbour_query(side) for side in ("previous", "next")}
