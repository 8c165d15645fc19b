"""Posts and pages: their Markdown, status, slug, terms and featured image."""

from dataclasses import dataclass
from urllib.parse import unquote

from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _

from blog.models import RESERVED_SLUGS, Page, Post, Status
from blog.search import set_search_documents
from blog.services.revisions import revisions_amend, revisions_record_imported
from core.bulk import bulk_insert
from core.markdown import plain_text

from .. import wxr
from .base import SLUG_RE, ImportBase
from .conversion import BODY_MEMO_SIZE, body_key, own_copy, release_memory

# Items imported together: large enough for bulk inserts to pay (COPY pays from a few rows), small
# enough to keep memory flat (two batches are in memory at once: one converted, one imported).
BATCH_SIZE = 100
# Rows per INSERT where there is no COPY (core.bulk; SQLite): a post row carries its body, HTML and
# search document (tens of kB), and the statement is built whole in memory before it is sent.
INSERT_SIZE = 100


class ContentImport(ImportBase):
    def import_item(self, item):
        if item.post_type == "attachment":
            if item.wordpress_id:
                alt = item.meta.get("_wp_attachment_image_alt", "")
                self.attachments[item.wordpress_id] = (item.attachment_url, alt)
            self.ignore(item.post_type)
            return
        if item.post_type not in ("post", "page") or item.status in ("trash", "auto-draft", "inherit"):
            label = item.post_type or "?"
            self.ignore(label if item.post_type not in ("post", "page") else f"{label} ({item.status})")
            return
        kind = "posts" if item.post_type == "post" else "pages"
        if item.wordpress_id is None:
            self.report.warn(
                _("An item without a WordPress id was left out: “%(title)s”.") % {"title": item.title}
            )
            self.skip(kind)
            return
        self.batch.append((item, kind))
        if len(self.batch) >= BATCH_SIZE:
            self.flush_batch(last=False)

    def flush_batch(self, *, last=True):
        """
        Hand the items read so far to the converter (conversion.Converter), and import
        the batches it converted: all of them when `last`, else all but the newest when
        a pool converts, so that the pool works on it while the next batch is read.
        """
        if self.batch:
            batch, self.batch = self.batch, []
            self.in_flight.append((batch, self.converter.submit(batch)))
        keep = 0 if last or self.converter.pool is None else 1
        while len(self.in_flight) > keep:
            batch, pending = self.in_flight.popleft()
            self.import_batch(batch, *self.converter.collect(pending))
            del batch, pending
            release_memory()

    def import_batch(self, batch, bodies, comments):
        """
        Import a batch: new posts and pages inserted in bulk with their first revision,
        then their terms, comments and old addresses. `bodies` and `comments` are the
        batch's conversions (conversion.Converter.collect).

        Only light references to what was imported are kept afterwards, so memory
        stays flat whatever the size of the file.
        """
        imported = [
            (item, kind, *self.import_content(item, kind, bodies[body_key(item)])) for item, kind in batch
        ]
        changed = [obj for *_ignored, obj, outcome in imported if outcome != "skipped"]
        set_search_documents(changed, memo=self.search_documents)
        while len(self.search_documents) > BODY_MEMO_SIZE:  # the oldest bodies' go first
            del self.search_documents[next(iter(self.search_documents))]
        for model in (Post, Page):
            new = [obj for *_ignored, obj, outcome in imported if outcome == "created" and type(obj) is model]
            bulk_insert(model, new, batch_size=INSERT_SIZE)
        for *_ignored, obj, outcome in imported:
            if outcome == "updated":
                obj.save()
        with_comments, revised = [], []
        for index, (item, kind, obj, outcome) in enumerate(imported):
            if kind == "posts" and self.set_terms(obj, item):
                outcome = "updated" if outcome == "skipped" else outcome
                imported[index] = (item, kind, obj, outcome)
            if outcome != "skipped":
                revised.append((obj, self.terms_of(obj) if kind == "posts" else None))
        # The history of what was imported starts at the import, with the item as imported.
        revisions = {revision.post_id: revision.pk for revision in revisions_record_imported(revised)}
        for item, kind, obj, outcome in imported:
            self.record(kind, obj.pk, outcome)
            with_comments.append((item, obj))  # pages have comments too
            if kind == "posts":
                thumbnail = wxr.parse_int(item.meta.get("_thumbnail_id"))
                revision = revisions.get(obj.pk) if thumbnail else None
                if thumbnail or obj.featured_image_url or obj.featured_image_alt:
                    # Without either, import_featured_images has nothing to do: not kept.
                    self.thumbnails.append(LightPost.of(obj, thumbnail, revision))
            for old_path in self.old_paths(item):
                self.redirects[old_path] = obj.get_absolute_url()
            existing = self.posts if kind == "posts" else self.pages
            existing[item.wordpress_id] = obj.pk  # the row, not the object: see `existing_content`
        self.import_comments(with_comments, comments)

    def ignore(self, post_type):
        self.report.ignored[post_type] = self.report.ignored.get(post_type, 0) + 1

    def import_content(self, item, kind, converted):
        """The post or page of `item`, its body `converted` (conversion.ConvertedBody); its outcome."""
        is_post = kind == "posts"
        model = Post if is_post else Page
        obj = self.existing_content(model, item.wordpress_id)
        if converted.repaired:
            self.report.counts[kind].repaired += 1
        title = self.title_for(item, kind, converted.first_words)
        status, published_at = self.status_for(item, title)
        if published_at is None and status == Status.PUBLISHED and obj is not None:
            published_at = obj.published_at  # undated in the file: keep the date it was given last time
        author = self.author_of(item, title)
        values = {
            "title": title,
            "slug": self.slug_for(item, title, current=obj.slug if obj else None),
            "body": converted.markdown,
            "status": status,
            "published_at": published_at,
            "author_id": author.pk,
        }
        for field, key in wxr.SEO_META.items():
            if key in item.meta:
                values[field] = item.meta[key]
        if is_post:
            values["excerpt"] = plain_text(self.repaired(kind, item.excerpt))
            values["sticky"] = item.sticky
            values["allow_comments"] = item.comment_status != "closed"
        else:
            values["menu_order"] = item.menu_order
            # A page takes comments only when WordPress said so (Plume's default for pages is off).
            values["allow_comments"] = item.comment_status == "open"
            # Plume's pages are flat: the top-level ones make the menu, as WordPress's page list did.
            values["show_in_menu"] = item.parent_id is None
        if obj is None:
            obj = model(wordpress_id=item.wordpress_id, **values)
            obj.author = author  # for its revision's snapshot, without a query
            self.clean(obj, exclude=self.relations(model), label=title)
            obj.fill_derived_fields(own_copy(converted.rendered))  # inserted in bulk by `import_batch`
            return obj, "created"
        obj.author = author
        if self.assign(obj, values):
            self.clean(obj, exclude=self.relations(model), label=title)
            obj.fill_derived_fields(own_copy(converted.rendered))  # saved by `import_batch`
            return obj, "updated"
        return obj, "skipped"

    def existing_content(self, model, wordpress_id):
        """
        The post or page already imported with this WordPress id, or None.

        `self.posts` / `self.pages` map WordPress ids to rows: an object loaded
        before the import began, or the primary key of one this import inserted
        (fetched again only when the file holds that item twice).
        """
        existing = self.posts if model is Post else self.pages
        found = existing.get(wordpress_id)
        if isinstance(found, int):
            found = existing[wordpress_id] = model.objects.get(pk=found)
        return found

    def title_for(self, item, kind, first_words):
        """`first_words`: of the body's visible text, for an untitled item."""
        # WordPress titles are HTML ("Title <em>With</em> Markup"); Plume's are text.
        title = plain_text(self.repaired(kind, item.title))
        if not title:
            title = Truncator(first_words).chars(80) if first_words else _("(untitled)")
            self.report.warn(
                _("Item %(id)s has no title: titled “%(title)s”.") % {"id": item.wordpress_id, "title": title}
            )
        return self.fit(title, 255, _("the title of item %(id)s") % {"id": item.wordpress_id})

    def status_for(self, item, title):
        """Plume's status and date for a WordPress status: what may not be public becomes a draft."""
        if item.password.strip() or item.status == "private":
            if item.password.strip():
                line = _("“%(title)s” (password-protected, WordPress id %(id)s)")
            else:
                line = _("“%(title)s” (private, WordPress id %(id)s)")
            self.report.drafted.append(line % {"title": title, "id": item.wordpress_id})
            return Status.DRAFT, item.date
        if item.status in ("publish", "future"):
            # A future date keeps the post scheduled: Post.objects.published() waits for it.
            return Status.PUBLISHED, item.date
        if item.status == "pending":
            return Status.PENDING, None
        if item.status != "draft":
            self.report.warn(
                _("“%(title)s” has the unknown status “%(status)s”: imported as a draft.")
                % {"title": title, "status": item.status}
            )
        # A draft keeps the publication date someone chose for it; others get theirs when published.
        return Status.DRAFT, item.date if item.date_chosen else None

    @staticmethod
    def clean_slug(value):
        """A WordPress slug as Plume can use it (WordPress percent-encodes non-ASCII ones)."""
        value = unquote(value or "").strip().lower()
        if value and not SLUG_RE.match(value):
            value = slugify(value, allow_unicode=True)
        return value

    def slug_for(self, item, title, *, current=None):
        """The WordPress slug, kept when free so that the address stays; unique across posts and pages."""
        max_length = Post._meta.get_field("slug").max_length
        wanted = self.clean_slug(item.slug) or slugify(title) or slugify(title, allow_unicode=True)
        wanted = wanted[: max_length - 4].strip("-") or item.post_type
        slug, n = wanted, 1
        while (slug in self.slugs_taken and slug != current) or slug in RESERVED_SLUGS:
            n += 1
            slug = f"{wanted}-{n}"
        if slug != wanted:
            if wanted in RESERVED_SLUGS:
                message = _("The slug “%(wanted)s” of “%(title)s” is reserved: it became “%(slug)s”.")
            else:
                message = _("The slug “%(wanted)s” of “%(title)s” is already taken: it became “%(slug)s”.")
            self.report.warn(message % {"wanted": wanted, "title": title, "slug": slug})
        self.slugs_taken.discard(current)
        self.slugs_taken.add(slug)
        return slug

    @staticmethod
    def term_relations():
        return (
            ("category", Post.categories.through, "category_id"),
            ("post_tag", Post.tags.through, "tag_id"),
        )

    def set_terms(self, post, item):
        """Categories and tags of an imported post; True when they changed."""
        changed = False
        for taxonomy, through, column in self.term_relations():
            wanted = set()
            for term in item.terms:
                if term.taxonomy == taxonomy:
                    obj = self.term_for(term, declared=False)
                    if obj is not None:
                        wanted.add(obj.pk)
                        self.term_objects[taxonomy][obj.pk] = obj
            have = set(self.post_terms[taxonomy].get(post.pk, ()))
            if wanted == have:
                continue
            if have - wanted:
                through.objects.filter(post_id=post.pk, **{f"{column}__in": have - wanted}).delete()
            # Inserted together at the end: two queries per post fewer.
            self.new_term_rows.setdefault((through, column), []).extend((post.pk, pk) for pk in wanted - have)
            # Kept for the whole import, for each post: a tuple takes a third of a set's memory.
            self.post_terms[taxonomy][post.pk] = tuple(wanted)
            changed = True
        return changed

    def terms_of(self, post):
        """A post's categories and tags as `set_terms` left them, as blog.revisions.snapshot takes them."""
        return {
            field: [self.term_objects[taxonomy][pk] for pk in self.post_terms[taxonomy].get(post.pk, ())]
            for field, taxonomy in (("categories", "category"), ("tags", "post_tag"))
        }

    def import_featured_images(self):
        """Featured images stay on the old site (never downloaded): their URLs, once attachments are known."""
        revised = {}
        for post in self.thumbnails:
            url, alt = "", ""
            if post.thumbnail_id:
                url, alt = self.attachments.get(post.thumbnail_id, ("", ""))
                if not url:
                    self.report.warn(
                        _("The featured image %(id)s of “%(title)s” is not in the file.")
                        % {"id": post.thumbnail_id, "title": post.title}
                    )
                url = self.valid_url(url, _("the featured image of “%(title)s”") % {"title": post.title})
            alt = Truncator(plain_text(alt)).chars(255) if url else ""
            if (post.featured_image_url, post.featured_image_alt) != (url, alt):
                Post.objects.filter(pk=post.pk).update(featured_image_url=url, featured_image_alt=alt)
                self.record("posts", post.pk, "updated")
                if post.revision is not None:
                    revised[post.revision] = {"featured_image_url": url, "featured_image_alt": alt}
        # The revision of the import shows the image too (attachments may come after the post).
        revisions_amend(revised)


@dataclass(frozen=True)
class LightPost:
    """What the end of an import needs of a post: not its body."""

    pk: int
    title: str
    featured_image_url: str
    featured_image_alt: str
    thumbnail_id: int | None
    revision: int | None  # the pk of the revision this import recorded, when it has a featured image

    @classmethod
    def of(cls, post, thumbnail_id, revision=None):
        return cls(
            post.pk, post.title, post.featured_image_url, post.featured_image_alt, thumbnail_id, revision
        )
