"""
Import a WordPress (WXR) export: `wordpress_import(path=...)` returns an `ImportReport`.

One run is a `WordPressImport`, put together from one part per kind of thing
imported (authors, terms, content, comments, redirects), each in its module.
"""

from collections import deque

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from authors.models import Author
from blog.models import Page, Post
from blog.search import search_vectors_deferred
from blog.services import schedule_announcements
from comments.models import Comment
from core.bulk import bulk_insert_values
from core.changes import everything_changed

from .. import wxr
from ..wxr import WxrAuthor, WxrError, WxrTerm, WxrWarning
from .authors import AuthorsImport
from .base import IMPORT_KINDS, ImportReport
from .comments import CommentsImport
from .content import ContentImport
from .conversion import Converter, workers_for
from .redirects import RedirectsImport
from .terms import TermsImport

__all__ = ["IMPORT_KINDS", "ImportReport", "WxrError", "wordpress_import"]


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
    try:
        return _import(
            path, dry_run=dry_run, default_author=default_author, progress=progress, tolerant=False
        )
    except wxr.NeedsTolerantRead:
        # Nothing of the strict read was kept (its transaction rolled back): read it all again.
        return _import(path, dry_run=dry_run, default_author=default_author, progress=progress, tolerant=True)


def _import(path, *, dry_run, default_author, progress, tolerant):
    report = ImportReport(dry_run=dry_run)
    # Started before anything is read: the workers are copies of this process (conversion.Converter).
    converter = Converter(workers_for(path))
    try:
        with transaction.atomic():
            # The search documents are computed a batch at a time, each distinct body once (blog.search).
            with search_vectors_deferred():
                importer = WordPressImport(report, default_author=default_author, converter=converter)
                for record in wxr.read_wxr(path, progress=progress, tolerant=tolerant):
                    importer.add(record)
                importer.finish()
            if dry_run:
                transaction.set_rollback(True)
            else:
                # Bulk inserts send no model signal: the caches hear of the import once, at its commit,
                # and what is scheduled gets its go-live announcement as a saved post would.
                everything_changed(sender=WordPressImport)
                for model in (Post, Page):
                    schedule_announcements(model.objects.filter(wordpress_id__isnull=False))
    finally:
        converter.close()
    return report


class WordPressImport(AuthorsImport, TermsImport, ContentImport, CommentsImport, RedirectsImport):
    """One run of an import: what the file said so far, and what the database already holds."""

    def __init__(self, report, *, default_author=None, converter=None):
        self.report = report
        self.converter = converter or Converter()
        self.in_flight = deque()  # (batch, its pending conversion): see ContentImport.flush_batch
        self.default_author = None
        if default_author:
            self.default_author = Author.objects.filter(slug=default_author).first()
            if self.default_author is None:
                raise WxrError(_("No author has the slug “%(slug)s”.") % {"slug": default_author})
        self.file_authors = []
        self.file_terms = []
        self.late_terms = []  # declared after the first item
        self.prepared = False
        # kind -> {key: "created" | "updated" | "skipped"}: an object counts once, whatever touched it.
        self.outcomes = {kind: {} for kind in IMPORT_KINDS}
        self.attachments = {}  # WordPress id -> (URL, alt text)
        self.batch = []  # (item, kind) read but not yet imported: see ContentImport.flush_batch
        self.thumbnails = []  # LightPost, with its attachment id
        self.redirects = {}  # old path -> new path
        self.new_term_rows = {}  # (through model, term column) -> (post id, term id) to insert
        self.search_documents = {}  # body -> its part of the search document (blog.search)

    # Records arrive in file order: authors and terms first, then items.

    def add(self, record):
        if isinstance(record, WxrAuthor):
            self.file_authors.append(record)
            if self.prepared:  # declared after the first item: some exporters and merged files do it
                self.declare_author(record)
        elif isinstance(record, WxrTerm):
            self.file_terms.append(record)
            if self.prepared:
                self.declare_term(record)
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
        self.term_objects = {"category": {}, "post_tag": {}}  # pk -> Category or Tag, as set_terms met them
        imported = Q(post__wordpress_id__isnull=False)
        for taxonomy, through, column in self.term_relations():
            for post_id, term_id in through.objects.filter(imported).values_list("post_id", column):
                self.post_terms[taxonomy].setdefault(post_id, set()).add(term_id)
        self.comments = {c.wordpress_id: c for c in Comment.objects.filter(wordpress_id__isnull=False)}

    def finish(self):
        if not self.prepared:
            self.prepare()
        self.flush_batch()
        self.set_late_parents()
        for (through, column), rows in self.new_term_rows.items():
            bulk_insert_values(through, ["post_id", column], rows)
        self.import_featured_images()
        self.import_redirects()
        for kind, outcomes in self.outcomes.items():
            counts = self.report.counts[kind]
            for outcome in outcomes.values():
                setattr(counts, outcome, getattr(counts, outcome) + 1)
