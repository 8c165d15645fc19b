"""
Reading WordPress exports (WXR 1.0 to 1.2), without touching the database.

`read_wxr(path)` stream-parses a file with defusedxml (no DTD, no entities:
XXE and entity bombs are refused) and yields authors, terms and items as
plain dataclasses, one at a time. The database side is `wordpress.importer`;
the HTML those items carry becomes Markdown in `wordpress.html`.
"""

import functools
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils import timezone
from django.utils.translation import gettext as _

SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")
# Post and comment meta written by Plume's export (wordpress.exporter) and read back by its
# importer, so that a Plume-to-Plume move keeps what WordPress has no field for.
MARKDOWN_META = "_plume_markdown"
REDIRECTS_META = "_plume_redirect_from"
SEO_META = {"seo_title": "_plume_seo_title", "meta_description": "_plume_meta_description"}


class WxrError(Exception):
    """A file that cannot be imported; the message is for the person running the import."""


class NeedsTolerantRead(WxrError):
    """
    Not well-formed XML, in the way WordPress before 3.1 wrote it: a `]]>` inside content
    (a `//<![CDATA[ … //]]>` script) ends its CDATA section early. `read_wxr(tolerant=True)`
    reads it; callers that wrote part of the strict read must start again.
    """


# ---------------------------------------------------------------------------
# Parsing


@dataclass
class WxrWarning:
    message: str


@dataclass
class WxrAuthor:
    login: str
    wordpress_id: int | None = None
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class WxrTerm:
    taxonomy: str  # "category" or "post_tag"
    slug: str
    name: str
    wordpress_id: int | None = None
    parent_slug: str = ""
    description: str = ""


@dataclass
class WxrComment:
    wordpress_id: int | None
    author_name: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    date: datetime | None = None
    content: str = ""
    approved: str = ""
    type: str = ""
    parent_id: int | None = None
    user_id: int | None = None
    meta: dict = field(default_factory=dict)


@dataclass
class WxrItem:
    wordpress_id: int | None
    post_type: str
    title: str = ""
    link: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    date: datetime | None = None
    # WordPress leaves a draft's GMT date at 0000-00-00 until someone chooses one.
    date_chosen: bool = False
    status: str = ""
    slug: str = ""
    password: str = ""
    sticky: bool = False
    menu_order: int = 0
    parent_id: int | None = None
    comment_status: str = ""
    attachment_url: str = ""
    terms: list = field(default_factory=list)  # WxrTerm, as the item references them
    meta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)


_NAMESPACES = (
    (re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/$"), "excerpt"),
    (re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/$"), "wp"),
    (re.compile(r"^http://purl\.org/rss/1\.0/modules/content/$"), "content"),
    (re.compile(r"^http://purl\.org/dc/elements/1\.1/$"), "dc"),
)


@functools.lru_cache(maxsize=512)
def _name(tag):
    """`{https://wordpress.org/export/1.2/}post_id` -> `wp:post_id`, whichever WXR version wrote it."""
    if not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    for pattern, prefix in _NAMESPACES:
        if pattern.match(uri):
            return f"{prefix}:{local}"
    return f"{{{uri}}}{local}"


def read_wxr(path, *, progress=None, tolerant=False):
    """
    Yield the `WxrAuthor`, `WxrTerm` and `WxrItem` of a WXR file, in file order,
    and `WxrWarning` for what had to be cleaned up to read it.

    `progress(position, size)`, if given, is called after each item with the
    bytes read so far. Raises `WxrError` for anything that is not a readable,
    safe WXR 1.0-1.2 file, possibly after having yielded part of it: callers
    that write must do so in a transaction. A file that fails only because of
    unescaped `]]>` (WordPress before 3.1) raises `NeedsTolerantRead`; read it
    again with `tolerant=True`, as WordPress's importer falls back to a second
    parser: the CDATA sections are mended in memory, then parsed as strictly
    (still no DTD, no entities, no network).
    """
    try:
        source = open(path, "rb")  # noqa: SIM115 (closed by the `with` below, once open errors are told apart)
    except FileNotFoundError:
        raise WxrError(_("File not found: %(path)s") % {"path": path}) from None
    except IsADirectoryError:
        raise WxrError(_("%(path)s is a directory, not a WXR file.") % {"path": path}) from None
    except OSError as error:
        raise WxrError(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
        ) from None
    with source:
        size = source.seek(0, 2)
        source.seek(0)
        reader = _WithoutControlCharacters(source)
        if tolerant:
            mended, count = mend_cdata(reader.read())
            reader = _WithoutControlCharacters(io.BytesIO(mended), removed=reader.removed)
            needed = []
            for record in _read(reader, len(mended), progress):
                if isinstance(record, WxrItem) and _holds_cdata_end(record):
                    needed.append(
                        _("“%(title)s” (%(id)s)") % {"title": record.title, "id": record.wordpress_id}
                    )
                yield record
            yield WxrWarning(
                _(
                    "The file is not well-formed XML: %(count)s “]]>” inside content ended CDATA sections "
                    "early (as WordPress before 3.1 exported them). It was read again with those sections "
                    "mended; items that needed it: %(items)s."
                )
                % {"count": count, "items": ", ".join(needed) or "—"}
            )
        else:
            try:
                yield from _read(reader, size, progress)
            except WxrError:
                source.seek(0)
                if mend_cdata(source.read().translate(None, CONTROL_BYTES))[1]:
                    raise NeedsTolerantRead(
                        _("Unescaped “]]>” inside content: to be read tolerantly.")
                    ) from None
                raise
        if reader.removed:
            yield WxrWarning(
                _("%(count)s control character(s), which XML does not allow, were removed from the file.")
                % {"count": reader.removed}
            )


# C0 control characters but tab, newline and carriage return: WordPress exports them when posts
# contain them (pasted from a word processor), and they make the whole file invalid XML. UTF-8
# never uses these bytes inside a multi-byte character, so deleting them is safe.
CONTROL_BYTES = bytes(set(range(32)) - {9, 10, 13})


class _WithoutControlCharacters:
    """A binary file, read without the control characters XML 1.0 forbids."""

    def __init__(self, raw, *, removed=0):
        self.raw = raw
        self.removed = removed

    def read(self, size=-1):
        data = self.raw.read(size)
        cleaned = data.translate(None, CONTROL_BYTES)
        self.removed += len(data) - len(cleaned)
        return cleaned

    def tell(self):
        return self.raw.tell()


# An element whose whole text is one CDATA section, up to the first `]]></same element>`.
CDATA_ELEMENT_RE = re.compile(rb"<([\w:]+)><!\[CDATA\[(.*?)\]\]></\1>", re.DOTALL)
# A `]]>` that is not already the first half of WordPress's split (`]]]]><![CDATA[>`).
UNESCAPED_CDATA_END_RE = re.compile(rb"\]\]>(?!<!\[CDATA\[)")


def mend_cdata(data):
    """The file with each `]]>` inside a CDATA section split as WordPress 3.1+ writes it; and how many."""
    count = 0

    def mend(match):
        nonlocal count
        inner, found = UNESCAPED_CDATA_END_RE.subn(b"]]]]><![CDATA[>", match.group(2))
        if not found:
            return match.group(0)
        count += found
        tag = match.group(1)
        return b"<" + tag + b"><![CDATA[" + inner + b"]]></" + tag + b">"

    return CDATA_ELEMENT_RE.sub(mend, data), count


def _holds_cdata_end(item):
    texts = [item.title, item.content, item.excerpt, *(comment.content for comment in item.comments)]
    return any("]]>" in text for text in texts)


def _read(source, size, progress):
    depth = 0
    channel = None
    version = None
    try:
        for event, elem in iterparse(source, events=("start", "end"), forbid_dtd=True):
            if event == "start":
                depth += 1
                if depth == 1 and elem.tag != "rss":
                    raise WxrError(
                        _("This XML file is not a WordPress export (WXR): it starts with <%(tag)s>.")
                        % {"tag": elem.tag.rsplit("}", 1)[-1]}
                    )
                if depth == 2 and elem.tag == "channel":
                    channel = elem
                continue
            depth -= 1
            if depth != 2 or channel is None:
                continue
            # A direct child of <channel> is complete.
            name = _name(elem.tag)
            if name == "wp:wxr_version":
                version = (elem.text or "").strip()
                if version not in SUPPORTED_VERSIONS:
                    raise WxrError(
                        _("Unsupported WXR version “%(version)s”: this importer reads %(supported)s.")
                        % {"version": version, "supported": ", ".join(SUPPORTED_VERSIONS)}
                    )
            elif name in ("wp:author", "wp:wp_author", "wp:category", "wp:tag", "wp:term", "item"):
                if version is None:
                    raise WxrError(
                        _("This RSS file is not a WordPress export (WXR): it has no wp:wxr_version.")
                    )
                if name in ("wp:author", "wp:wp_author"):  # the second: WordPress.com's exports
                    yield _author(elem)
                elif name == "item":
                    yield _item(elem)
                    if progress is not None:
                        progress(source.tell(), size)
                else:
                    term = _term(elem, name)
                    if term is not None:
                        yield term
            # What has been read is not kept: memory stays flat whatever the file's size.
            channel.remove(elem)
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        if "no element found" in str(error) or "unclosed token" in str(error):
            message = _("The file ends too early (truncated?) at line %(line)s.")
        else:
            message = _("Not a valid XML file: %(error)s.")
        raise WxrError(message % {"line": line, "column": column, "error": error}) from None
    except DefusedXmlException:
        raise WxrError(
            _(
                "Refused: the file declares a DTD or entities, which a WordPress export never does "
                "(an XML external entity or entity-expansion attack?)."
            )
        ) from None
    if version is None:
        raise WxrError(_("This file is not a WordPress export (WXR): it has no wp:wxr_version."))


def _children(elem):
    """First text of each child element, by prefixed name."""
    values = {}
    for child in elem:
        values.setdefault(_name(child.tag), child.text or "")
    return values


def parse_int(value):
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def _author(elem):
    values = _children(elem)
    return WxrAuthor(
        login=values.get("wp:author_login", "").strip(),
        wordpress_id=parse_int(values.get("wp:author_id")),
        email=values.get("wp:author_email", "").strip(),
        display_name=values.get("wp:author_display_name", "").strip(),
        first_name=values.get("wp:author_first_name", "").strip(),
        last_name=values.get("wp:author_last_name", "").strip(),
    )


def _term(elem, name):
    values = _children(elem)
    if name == "wp:category":
        return WxrTerm(
            taxonomy="category",
            wordpress_id=parse_int(values.get("wp:term_id")),
            slug=values.get("wp:category_nicename", "").strip(),
            parent_slug=values.get("wp:category_parent", "").strip(),
            name=values.get("wp:cat_name", "").strip(),
            description=values.get("wp:category_description", "").strip(),
        )
    if name == "wp:tag":
        return WxrTerm(
            taxonomy="post_tag",
            wordpress_id=parse_int(values.get("wp:term_id")),
            slug=values.get("wp:tag_slug", "").strip(),
            name=values.get("wp:tag_name", "").strip(),
            description=values.get("wp:tag_description", "").strip(),
        )
    taxonomy = values.get("wp:term_taxonomy", "").strip()
    if taxonomy not in ("category", "post_tag"):
        return None  # navigation menus, post formats, custom taxonomies: nothing in Plume holds them
    return WxrTerm(
        taxonomy=taxonomy,
        wordpress_id=parse_int(values.get("wp:term_id")),
        slug=values.get("wp:term_slug", "").strip(),
        parent_slug=values.get("wp:term_parent", "").strip(),
        name=values.get("wp:term_name", "").strip(),
        description=values.get("wp:term_description", "").strip(),
    )


def _item(elem):
    values, terms, meta, comments = {}, [], {}, []
    for child in elem:
        name = _name(child.tag)
        if name == "category":
            # WXR 1.0 also lists each category without a domain (skipped: its twin has one) and says "tag".
            taxonomy = {"tag": "post_tag"}.get(child.get("domain"), child.get("domain"))
            if taxonomy in ("category", "post_tag"):
                slug = (child.get("nicename") or "").strip()
                terms.append(WxrTerm(taxonomy=taxonomy, slug=slug, name=(child.text or "").strip()))
        elif name == "wp:postmeta":
            pair = _children(child)
            meta.setdefault(pair.get("wp:meta_key", ""), pair.get("wp:meta_value", ""))
        elif name == "wp:comment":
            comments.append(_comment(child))
        else:
            values.setdefault(name, child.text or "")
    return WxrItem(
        wordpress_id=parse_int(values.get("wp:post_id")),
        post_type=values.get("wp:post_type", "").strip(),
        title=values.get("title", "").strip(),
        link=values.get("link", "").strip(),
        creator=values.get("dc:creator", "").strip(),
        content=values.get("content:encoded", ""),
        excerpt=values.get("excerpt:encoded", ""),
        date=parse_date(values.get("wp:post_date_gmt"), values.get("wp:post_date"), values.get("pubDate")),
        date_chosen=parse_date(values.get("wp:post_date_gmt")) is not None,
        status=values.get("wp:status", "").strip(),
        slug=values.get("wp:post_name", "").strip(),
        password=values.get("wp:post_password", ""),
        sticky=values.get("wp:is_sticky", values.get("wp:sticky", "")).strip() == "1",
        menu_order=parse_int(values.get("wp:menu_order")) or 0,
        parent_id=parse_int(values.get("wp:post_parent")) or None,
        comment_status=values.get("wp:comment_status", "").strip(),
        attachment_url=values.get("wp:attachment_url", "").strip(),
        terms=terms,
        meta=meta,
        comments=comments,
    )


def _comment(elem):
    values = _children(elem)
    meta = {}
    for child in elem:
        if _name(child.tag) == "wp:commentmeta":
            pair = _children(child)
            meta.setdefault(pair.get("wp:meta_key", ""), pair.get("wp:meta_value", ""))
    return WxrComment(
        wordpress_id=parse_int(values.get("wp:comment_id")),
        author_name=values.get("wp:comment_author", "").strip(),
        author_email=values.get("wp:comment_author_email", "").strip(),
        author_url=values.get("wp:comment_author_url", "").strip(),
        author_ip=values.get("wp:comment_author_IP", "").strip(),
        date=parse_date(values.get("wp:comment_date_gmt"), values.get("wp:comment_date")),
        content=values.get("wp:comment_content", ""),
        approved=values.get("wp:comment_approved", "").strip(),
        type=values.get("wp:comment_type", "").strip(),
        parent_id=parse_int(values.get("wp:comment_parent")) or None,
        user_id=parse_int(values.get("wp:comment_user_id")) or None,
        meta=meta,
    )


def parse_date(gmt, local=None, rfc822=None):
    """
    The first usable of WordPress's dates, as an aware datetime, or None.

    Drafts carry `0000-00-00 00:00:00` as their GMT date; their local date is
    then read in the site's time zone (the export does not say which it was).
    """
    for value, zone in ((gmt, UTC), (local, None)):
        value = (value or "").strip()
        if not value or value.startswith("0000"):
            continue
        try:
            parsed = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            continue
        if zone is UTC:
            return parsed.replace(tzinfo=UTC)
        return timezone.make_aware(parsed)
    if rfc822 and rfc822.strip():
        try:
            parsed = parsedate_to_datetime(rfc822.strip())
        except (TypeError, ValueError):
            return None
        if parsed.year > 1:  # WordPress writes "Thu, 01 Jan 1970" or "-0001" for undated drafts
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None
