"""Comments, with their threads and moderation status."""

import functools
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _

from comments.content import is_page
from comments.models import Comment
from comments.privacy import truncate_ip
from core.bulk import bulk_insert
from core.markdown import plain_text

from .. import wxr
from .base import COMMENT_KINDS, COMMENT_STATUSES, ImportBase


class CommentsImport(ImportBase):
    def import_comments(self, posts, converted):
        """
        The comments of a batch of `(item, post)` (`post` a post or a page): new ones inserted in
        bulk, a thread level at a time. `converted`: (content, markdown) -> conversion.ConvertedComment.
        """
        # Translated once a batch, not once a comment.
        self.comment_label, self.imported_reason = _("comment %(id)s"), _("Imported from WordPress")
        levels = []
        for item, post in posts:
            by_id = {c.wordpress_id: c for c in item.comments if c.wordpress_id}
            for depth, level in enumerate(self.threads(item.comments, by_id)):
                if depth == len(levels):
                    levels.append([])
                levels[depth].extend((wxr_comment, post) for wxr_comment in level)
        for level in levels:
            new = []
            for wxr_comment, post in level:
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
                key = (wxr_comment.content, wxr_comment.meta.get(wxr.MARKDOWN_META))
                comment = self.import_comment(wxr_comment, post, kind, converted[key])
                if comment is not None:
                    new.append(comment)
            # Replies need their parent's id: the level above is inserted first.
            bulk_insert(Comment, new, batch_size=1000)
            for comment in new:
                self.comments[comment.wordpress_id] = CommentRef(comment.pk, comment.post_id, comment.page_id)
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

    def import_comment(self, wxr_comment, post, kind, converted):
        """Update an imported comment in place; return a new one, rendered and validated, to be inserted."""
        if converted.repaired:
            self.report.counts["comments"].repaired += 1
        label = self.comment_label % {"id": wxr_comment.wordpress_id}
        status = COMMENT_STATUSES.get(wxr_comment.approved.lower())
        if status is None:
            self.report.warn(
                _("Comment %(id)s has the unknown status “%(status)s”: held for moderation.")
                % {"id": wxr_comment.wordpress_id, "status": wxr_comment.approved}
            )
            status = Comment.Status.PENDING
        parent = self.comments.get(wxr_comment.parent_id) if wxr_comment.parent_id else None
        on = {"post_id": None, "page_id": post.pk} if is_page(post) else {"post_id": post.pk, "page_id": None}
        if wxr_comment.parent_id and (
            parent is None or (parent.post_id, parent.page_id) != (on["post_id"], on["page_id"])
        ):
            self.report.warn(
                _("Comment %(id)s answers comment %(parent)s, which is not there: shown as a new thread.")
                % {"id": wxr_comment.wordpress_id, "parent": wxr_comment.parent_id}
            )
            parent = None
        author_name = plain_text(self.repaired("comments", wxr_comment.author_name)) or _("Anonymous")
        values = {
            **on,
            "parent_id": parent.pk if parent else None,
            "user_id": self.users_by_wordpress_id.get(wxr_comment.user_id),
            "author_name": self.fit(author_name, 100, _("the name on %(label)s") % {"label": label}),
            "author_email": self.valid_email(wxr_comment.author_email, label),
            "author_url": self.valid_url(wxr_comment.author_url, label),
            "body": converted.markdown,
            "status": status,
            "kind": kind,
            "ip_address": _truncated_ip(wxr_comment.author_ip),
            "created_at": wxr_comment.date or post.published_at or timezone.now(),
        }
        comment = self.existing_comment(wxr_comment.wordpress_id)
        if comment is None:
            comment = Comment(
                wordpress_id=wxr_comment.wordpress_id,
                moderation_rule="import",
                moderation_reason=self.imported_reason,
                **values,
            )
            self.clean(comment, exclude=self.relations(Comment), label=label)
            # What Comment.save() does, for an insert in bulk.
            comment.body_html = converted.body_html
            return comment
        if self.assign(comment, values):
            self.save(comment, label=label)
            self.record("comments", comment.pk, "updated")
        else:
            self.record("comments", comment.pk, "skipped")
        return None

    def existing_comment(self, wordpress_id):
        """The comment already imported with this id: loaded before the import, or fetched again."""
        found = self.comments.get(wordpress_id)
        if isinstance(found, CommentRef):
            found = self.comments[wordpress_id] = Comment.objects.get(pk=found.pk)
        return found


# Commenters' addresses repeat (one reader, many comments; a proxy for many readers).
_truncated_ip = functools.lru_cache(maxsize=4096)(truncate_ip)


class CommentRef(NamedTuple):
    """A comment this import inserted, as replies need it: not its text."""

    pk: int
    post_id: int | None
    page_id: int | None = None
