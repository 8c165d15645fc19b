"""
Export the whole site as a WordPress export (WXR 1.2): `wordpress_export(out=..., include_emails=...)`.

The file has the elements and namespaces of WordPress's own export
(`wp-admin/includes/export.php`), so WordPress's importer reads it, and
Plume's (`import_wordpress`) brings back exactly what was exported:

- authors, categories (parents first) and tags, then posts and pages with
  every status (draft, scheduled as `future`, published), their terms, sticky
  flag and comments with their threads and statuses;
- `content:encoded` holds the rendered HTML; the Markdown itself is in the
  `_plume_markdown` post meta, which Plume's importer prefers;
- a post's featured image is an attachment item (`_thumbnail_id`), as in WordPress;
- the old addresses that redirect to an item are in its `_plume_redirect_from` meta;
- ids are those of the WordPress-compatible API (`wordpress.wp_api.ids`).

Commenters' e-mail addresses and IPs are personal data: written only with
`include_emails=True`. Authors' e-mails are their accounts' and always written.
"""

import re
from datetime import UTC
from email.utils import format_datetime

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.db.models import Prefetch
from django.utils import timezone

from authors.models import Author
from blog.models import Category, Page, Post, Status, Tag
from comments.models import Comment
from core.links import absolute_url

from .wp_api.ids import id_of, wp_id
from .wxr import MARKDOWN_META, REDIRECTS_META, SEO_META

WXR_VERSION = "1.2"
# Characters XML 1.0 cannot hold, even in CDATA.
INVALID_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
COMMENT_APPROVED = {
    Comment.Status.APPROVED: "1",
    Comment.Status.PENDING: "0",
    Comment.Status.SPAM: "spam",
    Comment.Status.TRASH: "trash",
}


def cdata(value):
    """WordPress's wxr_cdata(): text in a CDATA section, a `]]>` inside split across two."""
    value = INVALID_XML_RE.sub("", str(value or ""))
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text(value):
    value = INVALID_XML_RE.sub("", str(value or ""))
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def mysql_date(value, *, gmt=False):
    if value is None:
        return "0000-00-00 00:00:00"
    value = value.astimezone(UTC) if gmt else timezone.localtime(value)
    return value.strftime("%Y-%m-%d %H:%M:%S")


def rfc822(value):
    return format_datetime((value or timezone.now()).astimezone(UTC)).replace("-0000", "+0000")


def element(name, value, *, indent=2):
    return "\t" * indent + f"<{name}>{value}</{name}>\n"


def wordpress_export(*, out, include_emails=False):
    """Write the site to `out` (a text file); return the counts of what was written."""
    exporter = Exporter(out, include_emails=include_emails)
    exporter.write()
    return exporter.counts


class Exporter:
    def __init__(self, out, *, include_emails):
        self.out = out
        self.include_emails = include_emails
        self.counts = dict.fromkeys(("authors", "categories", "tags", "posts", "pages", "comments"), 0)
        self.redirects = {}
        for old_path, new_path in Redirect.objects.filter(site_id=settings.SITE_ID).values_list(
            "old_path", "new_path"
        ):
            self.redirects.setdefault(new_path, []).append(old_path)

    def write(self):
        write = self.out.write
        home = absolute_url("/")
        write('<?xml version="1.0" encoding="UTF-8" ?>\n')
        write("<!-- A WordPress eXtended RSS (WXR) export of a Plume site. -->\n")
        write(
            '<rss version="2.0"\n'
            f'\txmlns:excerpt="http://wordpress.org/export/{WXR_VERSION}/excerpt/"\n'
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
            f'\txmlns:wp="http://wordpress.org/export/{WXR_VERSION}/"\n>\n\n<channel>\n'
        )
        for name, value in (
            ("title", text(settings.PLUME_SITE_NAME)),
            ("link", text(home)),
            ("description", text(settings.PLUME_SITE_DESCRIPTION)),
            ("pubDate", rfc822(timezone.now())),
            ("language", text(settings.LANGUAGE_CODE)),
            ("wp:wxr_version", WXR_VERSION),
            ("wp:base_site_url", text(home)),
            ("wp:base_blog_url", text(home)),
        ):
            write(element(name, value, indent=1))
        write("\n")
        self.write_authors()
        self.write_terms()
        write("\t<generator>Plume</generator>\n\n")
        self.write_content()
        write("</channel>\n</rss>\n")

    def write_authors(self):
        for author in Author.objects.select_related("user").order_by("pk"):
            user = author.user
            self.out.write(
                "\t<wp:author>"
                f"<wp:author_id>{id_of(author, 'user')}</wp:author_id>"
                f"<wp:author_login>{cdata(user.get_username())}</wp:author_login>"
                f"<wp:author_email>{cdata(user.email)}</wp:author_email>"
                f"<wp:author_display_name>{cdata(author.display_name)}</wp:author_display_name>"
                f"<wp:author_first_name>{cdata(user.first_name)}</wp:author_first_name>"
                f"<wp:author_last_name>{cdata(user.last_name)}</wp:author_last_name>"
                "</wp:author>\n"
            )
            self.counts["authors"] += 1

    def write_terms(self):
        write = self.out.write
        categories = {category.pk: category for category in Category.objects.order_by("pk")}
        for category in parents_first(categories):
            parent = categories.get(category.parent_id)
            write("\t<wp:category>\n")
            write(element("wp:term_id", id_of(category, "category")))
            write(element("wp:category_nicename", cdata(category.slug)))
            write(element("wp:category_parent", cdata(parent.slug if parent else "")))
            write(element("wp:cat_name", cdata(category.name)))
            write(element("wp:category_description", cdata(category.description)))
            write("\t</wp:category>\n")
            self.counts["categories"] += 1
        for tag in Tag.objects.order_by("pk"):
            write("\t<wp:tag>\n")
            write(element("wp:term_id", id_of(tag, "tag")))
            write(element("wp:tag_slug", cdata(tag.slug)))
            write(element("wp:tag_name", cdata(tag.name)))
            write("\t</wp:tag>\n")
            self.counts["tags"] += 1
        write("\n")

    def write_content(self):
        users = {author.pk: author.user.get_username() for author in Author.objects.select_related("user")}
        self.user_ids = {author.user_id: id_of(author, "user") for author in Author.objects.all()}
        posts = Post.objects.order_by("pk").prefetch_related(
            Prefetch("categories", Category.objects.order_by("pk")),
            Prefetch("tags", Tag.objects.order_by("pk")),
        )
        threads = self.threads("post_id")
        for post in posts.iterator(chunk_size=500):
            self.write_item(post, "post", users.get(post.author_id, ""), threads(post.pk))
        threads = self.threads("page_id")  # WordPress keeps a page's comments in its item too
        for page in Page.objects.order_by("pk").iterator(chunk_size=500):
            self.write_item(page, "page", users.get(page.author_id, ""), threads(page.pk))

    @staticmethod
    def threads(column):
        """
        `thread(pk)`: the comments of post (or page) `pk`, read from one ordered iterator as the
        items are written in pk order, so memory holds one thread at a time.
        """
        comments = (
            Comment.objects.filter(**{f"{column}__isnull": False})
            .select_related("parent")
            .order_by(column, "created_at", "pk")
            .iterator()
        )
        pending = [next(comments, None)]

        def thread(pk):
            found = []
            while pending[0] is not None and getattr(pending[0], column) <= pk:
                if getattr(pending[0], column) == pk:
                    found.append(pending[0])
                pending[0] = next(comments, None)
            return found

        return thread

    def write_item(self, obj, kind, login, comments):
        write = self.out.write
        api_id = id_of(obj, kind)
        url = absolute_url(obj.get_absolute_url())
        is_post = kind == "post"
        status = {Status.DRAFT: "draft", Status.PENDING: "pending"}.get(
            obj.status, "future" if obj.is_scheduled else "publish"
        )
        write("\t<item>\n")
        write(element("title", cdata(obj.title)))
        write(element("link", text(url)))
        write(element("pubDate", rfc822(obj.published_at or obj.created_at)))
        write(element("dc:creator", cdata(login)))
        write(f'\t\t<guid isPermaLink="false">{text(url)}</guid>\n')
        write("\t\t<description></description>\n")
        write(element("content:encoded", cdata(obj.body_html)))
        write(element("excerpt:encoded", cdata(obj.excerpt if is_post else "")))
        write(element("wp:post_id", api_id))
        date = obj.published_at or obj.created_at
        write(element("wp:post_date", cdata(mysql_date(date))))
        write(element("wp:post_date_gmt", cdata(mysql_date(obj.published_at, gmt=True))))
        write(element("wp:post_modified", cdata(mysql_date(obj.updated_at))))
        write(element("wp:post_modified_gmt", cdata(mysql_date(obj.updated_at, gmt=True))))
        write(element("wp:comment_status", cdata("open" if obj.allow_comments else "closed")))
        write(element("wp:ping_status", cdata("closed")))
        write(element("wp:post_name", cdata(obj.slug)))
        write(element("wp:status", cdata(status)))
        write(element("wp:post_parent", 0))
        write(element("wp:menu_order", 0 if is_post else obj.menu_order))
        write(element("wp:post_type", cdata(kind)))
        write(element("wp:post_password", cdata("")))
        write(element("wp:is_sticky", int(is_post and obj.sticky)))
        if is_post:
            terms = [("category", term) for term in obj.categories.all()]
            terms += [("post_tag", term) for term in obj.tags.all()]
            for domain, term in terms:
                nicename = text(term.slug)
                write(
                    f'\t\t<category domain="{domain}" nicename="{nicename}">{cdata(term.name)}</category>\n'
                )
        meta = {MARKDOWN_META: obj.body}
        for field, key in SEO_META.items():
            if getattr(obj, field):
                meta[key] = getattr(obj, field)
        old_paths = self.redirects.get(obj.get_absolute_url())
        if old_paths:
            meta[REDIRECTS_META] = "\n".join(sorted(old_paths))
        if is_post and obj.featured_image_src:
            meta["_thumbnail_id"] = wp_id("media", None, obj.pk)
        for key, value in meta.items():
            write("\t\t<wp:postmeta>\n")
            write(element("wp:meta_key", cdata(key), indent=3))
            write(element("wp:meta_value", cdata(value), indent=3))
            write("\t\t</wp:postmeta>\n")
        for comment in comments:
            self.write_comment(comment)
        write("\t</item>\n")
        self.counts["posts" if is_post else "pages"] += 1
        if is_post and obj.featured_image_src:
            self.write_attachment(obj, api_id)

    def write_comment(self, comment):
        write = self.out.write
        private = self.include_emails
        write("\t\t<wp:comment>\n")
        write(element("wp:comment_id", id_of(comment, "comment"), indent=3))
        write(element("wp:comment_author", cdata(comment.author_name), indent=3))
        write(element("wp:comment_author_email", cdata(comment.author_email if private else ""), indent=3))
        write(element("wp:comment_author_url", text(comment.author_url), indent=3))
        write(element("wp:comment_author_IP", cdata(comment.ip_address if private else ""), indent=3))
        write(element("wp:comment_date", cdata(mysql_date(comment.created_at)), indent=3))
        write(element("wp:comment_date_gmt", cdata(mysql_date(comment.created_at, gmt=True)), indent=3))
        write(element("wp:comment_content", cdata(comment.body_html), indent=3))
        write(element("wp:comment_approved", cdata(COMMENT_APPROVED[comment.status]), indent=3))
        write(element("wp:comment_type", cdata(comment.kind), indent=3))
        parent = id_of(comment.parent, "comment") if comment.parent_id else 0
        write(element("wp:comment_parent", parent, indent=3))
        write(element("wp:comment_user_id", self.user_ids.get(comment.user_id, 0), indent=3))
        write("\t\t\t<wp:commentmeta>\n")
        write(element("wp:meta_key", cdata(MARKDOWN_META), indent=4))
        write(element("wp:meta_value", cdata(comment.body), indent=4))
        write("\t\t\t</wp:commentmeta>\n")
        write("\t\t</wp:comment>\n")
        self.counts["comments"] += 1

    def write_attachment(self, post, post_id):
        """The featured image as WordPress holds it: an attachment whose parent is the post."""
        write = self.out.write
        source = post.featured_image_src
        source_url = absolute_url(source) if source.startswith("/") else source
        write("\t<item>\n")
        write(element("title", cdata(post.featured_image_alt or post.title)))
        write(element("link", text(source_url)))
        write(element("pubDate", rfc822(post.published_at or post.created_at)))
        write(element("dc:creator", cdata("")))
        write(f'\t\t<guid isPermaLink="false">{text(source_url)}</guid>\n')
        write("\t\t<description></description>\n")
        write(element("content:encoded", cdata("")))
        write(element("excerpt:encoded", cdata("")))
        write(element("wp:post_id", wp_id("media", None, post.pk)))
        write(element("wp:post_date", cdata(mysql_date(post.published_at or post.created_at))))
        write(element("wp:post_date_gmt", cdata(mysql_date(post.published_at, gmt=True))))
        write(element("wp:status", cdata("inherit")))
        write(element("wp:post_parent", post_id))
        write(element("wp:post_type", cdata("attachment")))
        write(element("wp:attachment_url", cdata(source_url)))
        if post.featured_image_alt:
            write("\t\t<wp:postmeta>\n")
            write(element("wp:meta_key", cdata("_wp_attachment_image_alt"), indent=3))
            write(element("wp:meta_value", cdata(post.featured_image_alt), indent=3))
            write("\t\t</wp:postmeta>\n")
        write("\t</item>\n")


def parents_first(categories):
    """Categories ordered so that each comes after its parent, as WordPress's export orders them."""
    done, ordered = set(), []

    def visit(category, seen=()):
        if category.pk in done or category.pk in seen:
            return
        parent = categories.get(category.parent_id)
        if parent is not None:
            visit(parent, (*seen, category.pk))
        done.add(category.pk)
        ordered.append(category)

    for category in categories.values():
        visit(category)
    return ordered
