"""
Reading WordPress exports (WXR 1.0 to 1.2), without touching the database.

- `read_wxr(path)` stream-parses a file with defusedxml (no DTD, no entities:
  XXE and entity bombs are refused) and yields authors, terms and items as
  plain dataclasses, one at a time.
- `html_to_markdown(html)` turns WordPress content (classic or Gutenberg) into
  the Markdown Plume stores, so headings feed the table of contents.
- `repair(text)` undoes mojibake with ftfy.

The database side is `blog.services.wordpress_import`.
"""

import functools
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import ParseError

import ftfy
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils import timezone
from django.utils.translation import gettext as _
from ftfy.badness import is_bad
from ftfy.chardata import CHARMAP_ENCODINGS, UTF8_DETECTOR_RE
from ftfy.fixes import restore_byte_a0
from markdownify import ATX, MarkdownConverter

SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")


class WxrError(Exception):
    """A file that cannot be imported; the message is for the person running the import."""


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


def read_wxr(path, *, progress=None):
    """
    Yield the `WxrAuthor`, `WxrTerm` and `WxrItem` of a WXR file, in file order,
    and `WxrWarning` for what had to be cleaned up to read it.

    `progress(position, size)`, if given, is called after each item with the
    bytes read so far. Raises `WxrError` for anything that is not a readable,
    safe WXR 1.0-1.2 file, possibly after having yielded part of it: callers
    that write must do so in a transaction.
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
        yield from _read(reader, size, progress)
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

    def __init__(self, raw):
        self.raw = raw
        self.removed = 0

    def read(self, size=-1):
        data = self.raw.read(size)
        cleaned = data.translate(None, CONTROL_BYTES)
        self.removed += len(data) - len(cleaned)
        return cleaned

    def tell(self):
        return self.raw.tell()


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
            elif name in ("wp:author", "wp:category", "wp:tag", "wp:term", "item"):
                if version is None:
                    raise WxrError(
                        _("This RSS file is not a WordPress export (WXR): it has no wp:wxr_version.")
                    )
                if name == "wp:author":
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


# ---------------------------------------------------------------------------
# Text repair

_FTFY_CONFIG = ftfy.TextFixerConfig(
    # Content is HTML or Markdown: an escaped "&lt;" must stay escaped.
    unescape_html=False,
    # French typography uses real apostrophes (’): straightening them is not a repair.
    uncurl_quotes=False,
    # Line endings are not mojibake; leaving them keeps the "fields repaired" count honest.
    fix_line_breaks=False,
    fix_character_width=False,
    explain=False,
)


def repair(text):
    """
    Undo mojibake (UTF-8 read as Windows-1252/1250/…), keeping the rest of the text as it is.

    ftfy decides per line and gives up on a line where real typography (“’”,
    “è”) sits beside mojibake (“dĂ©jĂ ”), as in the seed article: a real “è”
    cannot be encoded back to Windows-1250 and a real “’” is no valid UTF-8
    byte on its own. So each sequence ftfy recognises as UTF-8 mojibake is
    then decoded on its own: all of them when ftfy judges the text broken,
    else only those that decode to a letter inside a lowercase word, which
    short fields (“Ă bientĂ´t”) need and legitimate text (“PĂŞUNE”) is not.
    """
    if not text or text.isascii():
        return text
    if not UTF8_DETECTOR_RE.search(text) and not is_bad(text):
        # ftfy's own detectors see nothing to decode: spare its full pass (milliseconds per post).
        return text
    fixed = ftfy.fix_text(text, _FTFY_CONFIG)
    return UTF8_DETECTOR_RE.sub(_decode_mojibake if is_bad(fixed) else _decode_mojibake_in_word, fixed)


def _decoded(sequence):
    for encoding in CHARMAP_ENCODINGS:
        try:
            # restore_byte_a0: a no-break space (byte A0, as in "à") that became a plain space.
            return restore_byte_a0(sequence.encode(encoding)).decode("utf-8")
        except UnicodeError:
            continue
    return None


def _decode_mojibake(match):
    return _decoded(match.group(0)) or match.group(0)


def _decode_mojibake_in_word(match):
    sequence, text = match.group(0), match.string
    decoded = _decoded(sequence)
    letter = (decoded or "").rstrip(" ")
    if len(letter) != 1 or not letter.isalpha() or letter.isascii():
        return sequence
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    if decoded != letter:
        # "Ă " for "à ": the end of a word ("dĂ©jĂ ") or the word itself, not an uppercase "…RĂ ".
        return sequence if before.isupper() else decoded
    return decoded if before.islower() or after.islower() else sequence


# ---------------------------------------------------------------------------
# HTML to Markdown

BLOCK_COMMENT_RE = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
# "Read more" and page-break markers: Plume has its own summary and no paged posts.
MARKER_COMMENT_RE = re.compile(r"<!--\s*(?:more|nextpage|noteaser)\b.*?-->", re.DOTALL)


def has_blocks(html):
    return "<!-- wp:" in html


def html_to_markdown(html):
    """
    WordPress post content -> Markdown.

    Classic content relies on WordPress adding paragraphs at display time
    (wpautop); Gutenberg content has its HTML written out, with the block
    delimiters in comments, and WordPress does not run wpautop on it.
    Shortcodes (“[gallery]”) stay visible as text: there is nothing in Plume to
    render them, and dropping them would lose what they stood for.
    """
    if not html or not html.strip():
        return ""
    html = MARKER_COMMENT_RE.sub("\n\n", html)
    html = BLOCK_COMMENT_RE.sub("\n", html) if has_blocks(html) else wpautop(html)
    markdown = _link_bare_urls(_CONVERTER.convert(html))
    return re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"


BARE_URL_LINE_RE = re.compile(r"^https?://[^\s<>]+$")


def _link_bare_urls(markdown):
    """A URL alone on its line is an embed in WordPress (a video, a post): here, a link to it."""
    lines, in_code = markdown.split("\n"), False
    for index, line in enumerate(lines):
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and BARE_URL_LINE_RE.match(line):
            lines[index] = "<" + line.replace("\\_", "_").replace("\\*", "*") + ">"
    return "\n".join(lines)


def comment_to_markdown(html):
    """A WordPress comment (HTML with wpautop'd paragraphs) -> the Markdown of Plume comments."""
    if not html or not html.strip():
        return ""
    return re.sub(r"\n{3,}", "\n\n", _CONVERTER.convert(wpautop(html))).strip()


class _Converter(MarkdownConverter):
    """markdownify, escaping only what Markdown would otherwise misread."""

    # Python-Markdown has no backslash escape for "<": an entity it is.
    HTML_LIKE_RE = re.compile(r"<(?=[A-Za-z/!?])")
    ENTITY_LIKE_RE = re.compile(r"&(?=#?\w+;)")
    LINE_START_RE = re.compile(r"(^|\n)([>+#]|-+(?:\s|$))")
    ORDERED_ITEM_RE = re.compile(r"(^|\n)(\d{1,9})([.)]\s)")

    def escape(self, text, parent_tags):
        text = text.replace("\\", "\\\\").replace("`", "\\`")
        # Text that reads as a tag or an entity ("&lt;div&gt;" in a tutorial) must show as such.
        text = self.ENTITY_LIKE_RE.sub("&amp;", text)
        text = self.HTML_LIKE_RE.sub("&lt;", text)
        text = self.LINE_START_RE.sub(r"\1\\\2", text)
        text = self.ORDERED_ITEM_RE.sub(r"\1\2\\\3", text)
        return super().escape(text, parent_tags)

    def convert_li(self, el, text, parent_tags):
        # Python-Markdown nests by four spaces; markdownify indents by the bullet's width ("- ", "1. ").
        item = super().convert_li(el, text, parent_tags)
        bullet = re.match(r"\S+ ", item)
        if bullet is None:
            return item
        width = len(bullet.group(0))
        first, *rest = item.split("\n")
        rest = ["    " + line[width:] if line.startswith(" " * width) else line for line in rest]
        return "\n".join([first, *rest])

    def convert_iframe(self, el, text, parent_tags):
        # Embedded players are not allowed through Plume's sanitizer; a link keeps what was there.
        src = el.get("src", "")
        if not src.startswith(("http://", "https://", "//")):
            return ""
        if src.startswith("//"):
            src = "https:" + src
        return f"\n\n<{src}>\n\n"


_CONVERTER = _Converter(heading_style=ATX, bullets="-", code_language="", escape_misc=False)


# WordPress's own wpautop() (wp-includes/formatting.php), ported: no maintained Python
# package does it, and WordPress content is only right with WordPress's rules.
_ALLBLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area"
    r"|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header"
    r"|footer|nav|figure|figcaption|details|menu|summary)"
)
_PRESERVED_RE = re.compile(r"<(pre|script|style|svg|math)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_AUTOP_STEPS = [
    (re.compile(r"<br\s*/?>\s*<br\s*/?>", re.IGNORECASE), "\n\n"),
    (re.compile(rf"(<{_ALLBLOCKS}[\s/>])", re.IGNORECASE), r"\n\n\1"),
    (re.compile(rf"(</{_ALLBLOCKS}>)", re.IGNORECASE), r"\1\n\n"),
    (re.compile(r"\n\n+"), "\n\n"),
]
_UNAUTOP_STEPS = [
    (re.compile(r"<p>\s*</p>"), ""),
    (re.compile(r"<p>([^<]+)</(div|address|form)>"), r"<p>\1</p></\2>"),
    (re.compile(rf"<p>\s*(</?{_ALLBLOCKS}[^>]*>)\s*</p>", re.IGNORECASE), r"\1"),
    (re.compile(r"<p>(<li.+?)</p>", re.IGNORECASE), r"\1"),
    (re.compile(r"<p><blockquote([^>]*)>", re.IGNORECASE), r"<blockquote\1><p>"),
    (re.compile(r"</blockquote></p>", re.IGNORECASE), "</p></blockquote>"),
    (re.compile(rf"<p>\s*(</?{_ALLBLOCKS}[^>]*>)", re.IGNORECASE), r"\1"),
    (re.compile(rf"(</?{_ALLBLOCKS}[^>]*>)\s*</p>", re.IGNORECASE), r"\1"),
    (re.compile(r"<br\s*/?>", re.IGNORECASE), "<br />"),
    (re.compile(r"(?<!<br />)\s*\n"), "<br />\n"),
    (re.compile(rf"(</?{_ALLBLOCKS}[^>]*>)\s*<br />", re.IGNORECASE), r"\1"),
    (re.compile(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", re.IGNORECASE), r"\1"),
]


def wpautop(text):
    """Paragraphs from blank lines and line breaks from single newlines, the way WordPress shows them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return ""
    preserved = []

    def stash(match):
        preserved.append(match.group(0))
        # A <pre> stand-in, as WordPress does, so that the block rules below apply to it.
        return f'<pre wpautop="{len(preserved) - 1}"></pre>'

    text = _PRESERVED_RE.sub(stash, text + "\n")
    for pattern, replacement in _AUTOP_STEPS:
        text = pattern.sub(replacement, text)
    paragraphs = (chunk.strip("\n") for chunk in re.split(r"\n\s*\n", text))
    text = "".join(f"<p>{chunk}</p>\n" for chunk in paragraphs if chunk.strip())
    for pattern, replacement in _UNAUTOP_STEPS:
        text = pattern.sub(replacement, text)
    text = re.sub(r'<pre wpautop="(\d+)"></pre>', lambda match: preserved[int(match.group(1))], text)
    return text.rstrip("\n")
