"""Import a WordPress (WXR) export, and repair mojibake in what is already stored."""

import functools
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.contrib.redirects.models import Redirect
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _

from authors.models import Author
from comments.models import Comment
from comments.privacy import truncate_ip

from .. import wordpress
from ..markdown import plain_text, render
from ..models import RESERVED_SLUGS, Category, Page, Post, Status, Tag
from ..slugs import unique_slug
from ..wordpress import WxrAuthor, WxrError, WxrTerm, WxrWarning, repair

IMPORT_KINDS = ("authors", "categories", "tags", "posts", "pages", "comments", "redirects")
REPAIR_KINDS = ("posts", "pages", "comments", "authors")
UNTITLED_WORDS = 8
SLUG_RE = re.compile(r"^[-\w]+\Z")
COMMENT_STATUSES = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
    "post-trashed": Comment.Status.TRASH,
}
COMMENT_KINDS = {
    "": Comment.Kind.COMMENT,
    "comment": Comment.Kind.COMMENT,
    "pingback": Comment.Kind.PINGBACK,
    "trackback": Comment.Kind.TRACKBACK,
}
FALLBACK_AUTHOR_LOGIN = "wordpress"
OUTCOME_RANK = {"skipped": 0, "updated": 1, "created": 2}


@dataclass
class KindCounts:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    repaired: int = 0  # text fields whose mojibake was repaired


@dataclass
class ImportReport:
    """What an import did (or would do, on a dry run), per kind of object."""

    dry_run: bool = False
    counts: dict = field(default_factory=lambda: {kind: KindCounts() for kind in IMPORT_KINDS})
    warnings: list = field(default_factory=list)
    # Private and password-protected items, imported as drafts: someone should decide about them.
    drafted: list = field(default_factory=list)
    # WordPress item types Plume has no place for (attachments, menus…), with how many were left out.
    ignored: dict = field(default_factory=dict)

    def warn(self, message):
        self.warnings.append(message)


# ---------------------------------------------------------------------------
# WordPress import


def wordpress_import(*, path, dry_run=False, default_author=None, progress=None):
    """
    Import a WordPress export (WXR) file; return an `ImportReport`.

    Everything happens in one transaction: a file that fails midway (raising
    `WxrError`) leaves the database as it was, and a dry run rolls back once
    the report is complete. Items are keyed by their WordPress ids, so
    importing the same file again updates what changed and creates nothing
    twice. `default_author` is the slug of the Author given the posts whose
    author is missing. `progress(position, size)` is called as the file is read.
    """
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        importer = _WordPressImport(report, default_author=default_author)
        for record in wordpress.read_wxr(path, progress=progress):
            importer.add(record)
        importer.finish()
        if dry_run:
            transaction.set_rollback(True)
    return report


class _WordPressImport:
    """One run of an import: what the file said so far, and what the database already holds."""

    def __init__(self, report, *, default_author=None):
        self.report = report
        self.default_author = None
        if default_author:
            self.default_author = Author.objects.filter(slug=default_author).first()
            if self.default_author is None:
                raise WxrError(_("No author has the slug “%(slug)s”.") % {"slug": default_author})
        self.file_authors = []
        self.file_terms = []
        self.prepared = False
        # kind -> {key: "created" | "updated" | "skipped"}: an object counts once, whatever touched it.
        self.outcomes = {kind: {} for kind in IMPORT_KINDS}
        self.attachments = {}  # WordPress id -> (URL, alt text)
        self.thumbnails = []  # (post, attachment id)
        self.redirects = {}  # old path -> new path
        self.new_term_rows = {}  # through model -> rows to insert

    # Records arrive in file order: authors and terms first, then items.

    def add(self, record):
        if isinstance(record, WxrAuthor):
            self.file_authors.append(record)
        elif isinstance(record, WxrTerm):
            self.file_terms.append(record)
        elif isinstance(record, WxrWarning):
            self.report.warn(record.message)
        else:
            if not self.prepared:
                self.prepare()
            self.import_item(record)

    def prepare(self):
        """Bring in authors and terms, then load what items will be matched against, once."""
        self.prepared = True
        self.import_authors()
        self.import_terms()
        self.posts = {post.wordpress_id: post for post in Post.objects.filter(wordpress_id__isnull=False)}
        self.pages = {page.wordpress_id: page for page in Page.objects.filter(wordpress_id__isnull=False)}
        self.slugs_taken = set(Post.objects.order_by().values_list("slug", flat=True))
        self.slugs_taken |= set(Page.objects.order_by().values_list("slug", flat=True))
        self.post_terms = {"category": {}, "post_tag": {}}
        imported = Q(post__wordpress_id__isnull=False)
        for taxonomy, through, column in self.term_relations():
            for post_id, term_id in through.objects.filter(imported).values_list("post_id", column):
                self.post_terms[taxonomy].setdefault(post_id, set()).add(term_id)
        self.comments = {c.wordpress_id: c for c in Comment.objects.filter(wordpress_id__isnull=False)}

    def finish(self):
        if not self.prepared:
            self.prepare()
        for through, rows in self.new_term_rows.items():
            through.objects.bulk_create(rows, batch_size=1000)
        self.import_featured_images()
        self.import_redirects()
        for kind, outcomes in self.outcomes.items():
            counts = self.report.counts[kind]
            for outcome in outcomes.values():
                setattr(counts, outcome, getattr(counts, outcome) + 1)

    def record(self, kind, key, outcome):
        current = self.outcomes[kind].get(key)
        if current is None or OUTCOME_RANK[outcome] > OUTCOME_RANK[current]:
            self.outcomes[kind][key] = outcome

    def skip(self, kind, count=1):
        """Something of the file left out, that no object stands for."""
        self.report.counts[kind].skipped += count

    # Authors

    def import_authors(self):
        self.authors = {}  # login as written in the file -> Author
        self.users_by_wordpress_id = {}
        self.warned_logins = set()
        logins = {self.username_for(author.login, warn=False) for author in self.file_authors}
        self.users = {user.username: user for user in get_user_model().objects.filter(username__in=logins)}
        profiles = Author.objects.filter(user__username__in=logins).select_related("user")
        self.profiles = {author.user.username: author for author in profiles}
        for wxr_author in self.file_authors:
            if wxr_author.login in self.authors:
                continue
            author = self.author_for(wxr_author)
            self.authors[wxr_author.login] = author
            if wxr_author.wordpress_id:
                self.users_by_wordpress_id[wxr_author.wordpress_id] = author.user_id

    def username_for(self, login, *, warn=True):
        """The login itself when Django accepts it as a username, else a normalized form of it."""
        username = login[:150]
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            username = (slugify(login, allow_unicode=True) or "author")[:150]
            if warn:
                self.report.warn(
                    _("The login “%(login)s” is not a valid username: imported as “%(username)s”.")
                    % {"login": login, "username": username}
                )
        return username

    def author_for(self, wxr_author):
        """The Author for a WordPress user, created when missing; an existing account is never overwritten."""
        username = self.username_for(wxr_author.login, warn=wxr_author.login not in self.warned_logins)
        self.warned_logins.add(wxr_author.login)
        display_name = self.repaired("authors", wxr_author.display_name)
        first_name = self.repaired("authors", wxr_author.first_name)[:150]
        last_name = self.repaired("authors", wxr_author.last_name)[:150]
        display_name = (display_name or f"{first_name} {last_name}".strip() or username)[:150]
        email = self.valid_email(wxr_author.email, _("author “%(login)s”") % {"login": wxr_author.login})

        outcome = "skipped"
        user = self.users.get(username)
        if user is None:
            user = get_user_model()(
                username=username, email=email, first_name=first_name, last_name=last_name
            )
            # Imported people log in once an administrator gives them a password and a role.
            user.set_unusable_password()
            self.clean(user, exclude=["password"], label=username)
            user.save()
            self.users[username] = user
            outcome = "created"
        else:
            # Only blanks are filled: an existing account's e-mail is how it resets its password.
            filled = []
            for name, value in (("email", email), ("first_name", first_name), ("last_name", last_name)):
                if value and not getattr(user, name):
                    setattr(user, name, value)
                    filled.append(name)
            if filled:
                user.save(update_fields=filled)
                outcome = "updated"

        author = self.profiles.get(username)
        if author is None:
            author = Author(user=user, display_name=display_name, slug=unique_slug(Author, display_name))
            self.save(author, label=username)
            self.profiles[username] = author
            outcome = "created"
        elif wxr_author.display_name and author.display_name != display_name:
            author.display_name = display_name
            self.save(author, label=username)
            outcome = "updated" if outcome == "skipped" else outcome
        self.record("authors", username, outcome)
        return author

    def author_of(self, item, title):
        if item.creator in self.authors:
            return self.authors[item.creator]
        if not item.creator:
            author = self.fallback_author()
            self.report.warn(
                _("“%(title)s” has no author: given to %(author)s.") % {"title": title, "author": author}
            )
            return author
        # A login the file does not declare (WXR 1.0 declares none): an account of that name, or a new one.
        self.load_account(self.username_for(item.creator, warn=False))
        author = self.author_for(WxrAuthor(login=item.creator))
        self.report.warn(
            _("“%(login)s”, the author of “%(title)s”, is not among the file’s authors: given to %(author)s.")
            % {"login": item.creator, "title": title, "author": author}
        )
        self.authors[item.creator] = author
        return author

    def load_account(self, username):
        if username not in self.users:
            user = get_user_model().objects.filter(username=username).first()
            if user is not None:
                self.users[username] = user
                author = Author.objects.filter(user=user).first()
                if author is not None:
                    self.profiles[username] = author

    def fallback_author(self):
        if self.default_author is None:
            self.load_account(FALLBACK_AUTHOR_LOGIN)
            self.default_author = self.author_for(
                WxrAuthor(login=FALLBACK_AUTHOR_LOGIN, display_name="WordPress")
            )
        return self.default_author

    # Categories and tags

    def import_terms(self):
        self.terms = {"category": {}, "post_tag": {}}  # slug as written in the file -> Category or Tag
        self.terms_by_id, self.terms_by_slug = {}, {}
        for taxonomy, model in (("category", Category), ("post_tag", Tag)):
            existing = list(model.objects.all())
            self.terms_by_id[taxonomy] = {obj.wordpress_id: obj for obj in existing if obj.wordpress_id}
            self.terms_by_slug[taxonomy] = {obj.slug: obj for obj in existing}
        for term in self.file_terms:
            self.term_for(term)
        for term in self.file_terms:
            if term.taxonomy == "category" and term.parent_slug and term.slug in self.terms["category"]:
                self.set_parent(term, self.terms["category"][term.slug])

    def term_for(self, term, *, declared=True):
        """
        The Category or Tag a WXR term stands for, created or updated; None when it has neither name nor slug.

        Terms are declared at the top of the file; items may name more (`declared=False`), which
        are created when missing but not updated from what an item says of them.
        """
        taxonomy = term.taxonomy
        key = term.slug or term.name
        if key in self.terms[taxonomy]:
            return self.terms[taxonomy][key]
        is_category = taxonomy == "category"
        kind, model = ("categories", Category) if is_category else ("tags", Tag)
        by_id, by_slug = self.terms_by_id[taxonomy], self.terms_by_slug[taxonomy]
        name = plain_text(self.repaired(kind, term.name))
        slug = (self.clean_slug(term.slug) or slugify(name) or slugify(name, allow_unicode=True))[:100]
        if not slug:
            if is_category:
                self.report.warn(_("A category with neither name nor slug was left out."))
            else:
                self.report.warn(_("A tag with neither name nor slug was left out."))
            self.skip(kind)
            return None
        values = {"name": Truncator(name or slug).chars(100)}
        if is_category and declared:
            values["description"] = self.repaired(kind, term.description)
        obj = by_id.get(term.wordpress_id) if term.wordpress_id else None
        if obj is None and slug in by_slug:
            same_slug = by_slug[slug]
            # One with that slug already: the same term, unless another WordPress site's import made it.
            if not (
                same_slug.wordpress_id and term.wordpress_id and same_slug.wordpress_id != term.wordpress_id
            ):
                obj = same_slug
        if term.wordpress_id:
            values["wordpress_id"] = term.wordpress_id
        if obj is None:
            if slug in by_slug:
                slug = unique_slug(model, slug)
            obj = model(slug=slug, **values)
            self.save(obj, label=values["name"])
            self.record(kind, obj.pk, "created")
        elif declared and self.assign(obj, values):
            self.save(obj, label=values["name"])
            self.record(kind, obj.pk, "updated")
        else:
            self.record(kind, obj.pk, "skipped")
        by_slug[obj.slug] = obj
        if obj.wordpress_id:
            by_id[obj.wordpress_id] = obj
        self.terms[taxonomy][key] = obj
        return obj

    def set_parent(self, term, category):
        parent = self.terms["category"].get(term.parent_slug)
        if parent is None:
            self.report.warn(
                _("The parent “%(parent)s” of the category “%(name)s” is not in the file.")
                % {"parent": term.parent_slug, "name": category.name}
            )
            return
        ancestor = parent
        while ancestor is not None:
            if ancestor == category:
                self.report.warn(
                    _("The category “%(name)s” would be its own ancestor: its parent was left out.")
                    % {"name": category.name}
                )
                return
            ancestor = ancestor.parent
        if category.parent_id != parent.pk:
            category.parent = parent
            category.save(update_fields=["parent"])
            self.record("categories", category.pk, "updated")

    # Posts and pages

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
        obj = self.import_content(item, kind)
        if kind == "posts":
            self.import_comments(item, obj)
        elif item.comments:
            self.report.warn(
                _("%(count)s comment(s) on the page “%(title)s” left out: Plume has comments on posts only.")
                % {"count": len(item.comments), "title": obj.title}
            )
            self.skip("comments", len(item.comments))
        for old_path in self.old_paths(item):
            self.redirects[old_path] = obj.get_absolute_url()

    def ignore(self, post_type):
        self.report.ignored[post_type] = self.report.ignored.get(post_type, 0) + 1

    def import_content(self, item, kind):
        is_post = kind == "posts"
        model, existing = (Post, self.posts) if is_post else (Page, self.pages)
        obj = existing.get(item.wordpress_id)
        content = self.repaired(kind, item.content)
        title = self.title_for(item, kind, content)
        status, published_at = self.status_for(item, title)
        if published_at is None and status == Status.PUBLISHED and obj is not None:
            published_at = obj.published_at  # undated in the file: keep the date it was given last time
        values = {
            "title": title,
            "slug": self.slug_for(item, title, current=obj.slug if obj else None),
            "body": wordpress.html_to_markdown(content),
            "status": status,
            "published_at": published_at,
            "author_id": self.author_of(item, title).pk,
        }
        if is_post:
            values["excerpt"] = plain_text(self.repaired(kind, item.excerpt))
            values["sticky"] = item.sticky
            values["allow_comments"] = item.comment_status != "closed"
        else:
            values["menu_order"] = item.menu_order
            # Plume's pages are flat: the top-level ones make the menu, as WordPress's page list did.
            values["show_in_menu"] = item.parent_id is None
        if obj is None:
            obj = model(wordpress_id=item.wordpress_id, **values)
            self.save(obj, label=title)
            existing[item.wordpress_id] = obj
            outcome = "created"
        elif self.assign(obj, values):
            self.save(obj, label=title)
            outcome = "updated"
        else:
            outcome = "skipped"
        if is_post and self.set_terms(obj, item):
            outcome = "updated" if outcome == "skipped" else outcome
        self.record(kind, obj.pk, outcome)
        if is_post:
            self.thumbnails.append((obj, wordpress.parse_int(item.meta.get("_thumbnail_id"))))
        return obj

    def title_for(self, item, kind, content):
        # WordPress titles are HTML ("Title <em>With</em> Markup"); Plume's are text.
        title = plain_text(self.repaired(kind, item.title))
        if not title:
            words = plain_text(content).split()
            title = Truncator(" ".join(words[:UNTITLED_WORDS])).chars(80) if words else _("(untitled)")
            self.report.warn(
                _("Item %(id)s has no title: titled “%(title)s”.") % {"id": item.wordpress_id, "title": title}
            )
        return Truncator(title).chars(255)

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
        if item.status not in ("draft", "pending"):
            self.report.warn(
                _("“%(title)s” has the unknown status “%(status)s”: imported as a draft.")
                % {"title": title, "status": item.status}
            )
        return Status.DRAFT, None

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
            have = self.post_terms[taxonomy].get(post.pk, set())
            if wanted == have:
                continue
            if have - wanted:
                through.objects.filter(post_id=post.pk, **{f"{column}__in": have - wanted}).delete()
            # Inserted together at the end: two queries per post fewer.
            self.new_term_rows.setdefault(through, []).extend(
                through(post_id=post.pk, **{column: pk}) for pk in wanted - have
            )
            self.post_terms[taxonomy][post.pk] = wanted
            changed = True
        return changed

    def import_featured_images(self):
        """Featured images stay on the old site (never downloaded): their URLs, once attachments are known."""
        for post, attachment_id in self.thumbnails:
            url, alt = "", ""
            if attachment_id:
                url, alt = self.attachments.get(attachment_id, ("", ""))
                if not url:
                    self.report.warn(
                        _("The featured image %(id)s of “%(title)s” is not in the file.")
                        % {"id": attachment_id, "title": post.title}
                    )
                url = self.valid_url(url, _("the featured image of “%(title)s”") % {"title": post.title})
            alt = Truncator(plain_text(alt)).chars(255) if url else ""
            if (post.featured_image_url, post.featured_image_alt) != (url, alt):
                Post.objects.filter(pk=post.pk).update(featured_image_url=url, featured_image_alt=alt)
                post.featured_image_url, post.featured_image_alt = url, alt
                self.record("posts", post.pk, "updated")

    # Comments

    def import_comments(self, item, post):
        by_id = {c.wordpress_id: c for c in item.comments if c.wordpress_id}
        for level in self.threads(item.comments, by_id):
            new = []
            for wxr_comment in level:
                if wxr_comment.wordpress_id is None:
                    self.report.warn(
                        _("A comment without a WordPress id on “%(title)s” was left out.") % {"title": post}
                    )
                    self.skip("comments")
                    continue
                kind = COMMENT_KINDS.get(wxr_comment.type.lower())
                if kind is None:
                    self.report.warn(
                        _("Comment %(id)s is of the type “%(type)s”, which Plume does not have: left out.")
                        % {"id": wxr_comment.wordpress_id, "type": wxr_comment.type}
                    )
                    self.skip("comments")
                    continue
                comment = self.import_comment(wxr_comment, post, kind)
                if comment is not None:
                    new.append(comment)
            # New comments are inserted a level at a time: replies need their parent's id.
            Comment.objects.bulk_create(new)
            for comment in new:
                self.comments[comment.wordpress_id] = comment
                self.record("comments", comment.pk, "created")

    @staticmethod
    def threads(comments, by_id):
        """Comments by depth in their thread: the first level answers the post, the next replies to it…"""

        def depth(comment):
            seen, level = set(), 0
            while comment.parent_id in by_id and comment.parent_id not in seen:
                seen.add(comment.parent_id)
                comment = by_id[comment.parent_id]
                level += 1
            return level

        levels = {}
        for comment in comments:
            levels.setdefault(depth(comment), []).append(comment)
        return [levels[depth] for depth in sorted(levels)]

    def import_comment(self, wxr_comment, post, kind):
        """Update an imported comment in place; return a new one, rendered and validated, to be inserted."""
        label = _("comment %(id)s") % {"id": wxr_comment.wordpress_id}
        status = COMMENT_STATUSES.get(wxr_comment.approved.lower())
        if status is None:
            self.report.warn(
                _("Comment %(id)s has the unknown status “%(status)s”: held for moderation.")
                % {"id": wxr_comment.wordpress_id, "status": wxr_comment.approved}
            )
            status = Comment.Status.PENDING
        parent = self.comments.get(wxr_comment.parent_id) if wxr_comment.parent_id else None
        if wxr_comment.parent_id and (parent is None or parent.post_id != post.pk):
            self.report.warn(
                _("Comment %(id)s answers comment %(parent)s, which is not there: shown as a new thread.")
                % {"id": wxr_comment.wordpress_id, "parent": wxr_comment.parent_id}
            )
            parent = None
        author_name = plain_text(self.repaired("comments", wxr_comment.author_name)) or _("Anonymous")
        values = {
            "post_id": post.pk,
            "parent_id": parent.pk if parent else None,
            "user_id": self.users_by_wordpress_id.get(wxr_comment.user_id),
            "author_name": Truncator(author_name).chars(100),
            "author_email": self.valid_email(wxr_comment.author_email, label),
            "author_url": self.valid_url(wxr_comment.author_url, label),
            "body": wordpress.comment_to_markdown(self.repaired("comments", wxr_comment.content)) or "…",
            "status": status,
            "kind": kind,
            "ip_address": truncate_ip(wxr_comment.author_ip),
            "created_at": wxr_comment.date or post.published_at or timezone.now(),
        }
        comment = self.comments.get(wxr_comment.wordpress_id)
        if comment is None:
            comment = Comment(
                wordpress_id=wxr_comment.wordpress_id,
                moderation_rule="import",
                moderation_reason=_("Imported from WordPress"),
                **values,
            )
            self.clean(comment, exclude=self.relations(Comment), label=label)
            # What Comment.save() does, for an insert in bulk.
            comment.body_html = render(comment.body, comment=True)
            return comment
        if self.assign(comment, values):
            self.save(comment, label=label)
            self.record("comments", comment.pk, "updated")
        else:
            self.record("comments", comment.pk, "skipped")
        return None

    # Old addresses

    def old_paths(self, item):
        """The item's old permalink (path and query only) and its /?p=ID form."""
        paths = []
        if item.link:
            parts = urlsplit(item.link)
            # The form request.get_full_path() gives, which is what redirects are matched against.
            path = escape_uri_path(unquote(parts.path or "/"))
            paths.append(f"{path}?{parts.query}" if parts.query else path)
        paths.append(f"/?p={item.wordpress_id}")
        if item.post_type == "page":
            paths.append(f"/?page_id={item.wordpress_id}")
        return paths

    def import_redirects(self):
        site_id = settings.SITE_ID
        max_length = Redirect._meta.get_field("old_path").max_length
        # All of the site's: an IN list of every old path would outgrow SQLite's limit on a large blog.
        existing = {r.old_path: r for r in Redirect.objects.filter(site_id=site_id)}
        new, changed = [], []
        current_paths = set(self.redirects.values())
        for old_path, new_path in self.redirects.items():
            if old_path in current_paths:
                continue  # an imported item lives there now (or it did not move)
            if len(old_path) > max_length or len(new_path) > max_length:
                self.report.warn(
                    _("The old address %(old)s is too long to be redirected to %(new)s.")
                    % {"old": old_path, "new": new_path}
                )
                self.skip("redirects")
                continue
            redirect = existing.get(old_path)
            if redirect is None:
                new.append(Redirect(site_id=site_id, old_path=old_path, new_path=new_path))
                self.record("redirects", old_path, "created")
            elif redirect.new_path != new_path:
                redirect.new_path = new_path
                changed.append(redirect)
                self.record("redirects", old_path, "updated")
            else:
                self.record("redirects", old_path, "skipped")
        Redirect.objects.bulk_create(new, batch_size=1000)
        Redirect.objects.bulk_update(changed, ["new_path"], batch_size=1000)

    # Helpers

    def repaired(self, kind, text):
        text = text or ""
        fixed = repair(text)
        if fixed != text:
            self.report.counts[kind].repaired += 1
        return fixed

    def valid_email(self, value, label):
        if not value:
            return ""
        try:
            validate_email(value)
        except ValidationError:
            self.report.warn(
                _("The e-mail address “%(value)s” of %(label)s is not valid: left out.")
                % {"value": value, "label": label}
            )
            return ""
        return value

    def valid_url(self, value, label):
        if not value or value in ("http://", "https://"):
            return ""
        try:
            URLValidator()(value)
            if len(value) > 500:
                raise ValidationError("too long")
        except ValidationError:
            self.report.warn(
                _("The address “%(value)s” of %(label)s is not valid: left out.")
                % {"value": value, "label": label}
            )
            return ""
        return value

    @staticmethod
    def assign(obj, values):
        """Set the values that differ; True when any did."""
        changed = False
        for name, value in values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed = True
        return changed

    def save(self, obj, *, label):
        self.clean(obj, exclude=self.relations(type(obj)), label=label)
        obj.save()

    @staticmethod
    @functools.cache
    def relations(model):
        # Relations were resolved from what was loaded: validating them would query each.
        return [f.name for f in model._meta.get_fields() if f.is_relation]

    @staticmethod
    def clean(obj, *, exclude, label):
        # Uniqueness is settled in memory (ids, logins, slugs): asking the database again would
        # cost a query per row. A comment's body is kept whole even past the comment form's limit.
        try:
            obj.full_clean(
                exclude=[*exclude, "body"] if isinstance(obj, Comment) else exclude,
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            details = "; ".join(
                f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
            )
            raise WxrError(
                _("“%(label)s” cannot be imported: %(details)s") % {"label": label, "details": details}
            ) from None


# ---------------------------------------------------------------------------
# Text repair of what is already in the database


@dataclass
class RepairReport:
    dry_run: bool = False
    # kind -> [objects checked, objects changed, fields repaired]
    counts: dict = field(default_factory=lambda: {kind: [0, 0, 0] for kind in REPAIR_KINDS})


def text_repair(*, dry_run=False):
    """Repair mojibake in posts, pages, comments and author bios already stored, re-rendering what changed."""
    report = RepairReport(dry_run=dry_run)
    targets = (
        ("posts", Post.objects.all(), ("title", "body", "excerpt")),
        ("pages", Page.objects.all(), ("title", "body")),
        ("comments", Comment.objects.all(), ("author_name", "body")),
        ("authors", Author.objects.all(), ("display_name", "role_title", "bio")),
    )
    with transaction.atomic():
        for kind, queryset, fields in targets:
            counts = report.counts[kind]
            for obj in queryset.iterator(chunk_size=500):
                counts[0] += 1
                fixed = {name: repair(getattr(obj, name)) for name in fields}
                changed = [name for name, value in fixed.items() if value != getattr(obj, name)]
                if not changed:
                    continue
                counts[1] += 1
                counts[2] += len(changed)
                if not dry_run:
                    for name in changed:
                        setattr(obj, name, fixed[name])
                    obj.save()  # re-renders body_html, toc, summary, bio_html
        if dry_run:
            transaction.set_rollback(True)
    return report
