"""
The one Markdown pipeline of Plume.

Posts, pages, author bios, the markdownx preview in the admin and comments all
go through `render()`: Python-Markdown, then nh3. Rendering happens when
content is saved, never per request.
"""

import copy
import functools
import html
import json
import math
import re
import threading
from xml.etree import ElementTree

import markdown
import nh3
from django.conf import settings
from markdown.extensions import Extension
from markdown.extensions.toc import remove_fnrefs, render_inner_html
from markdown.extensions.toc import slugify as ascii_slugify
from markdown.extensions.toc import strip_tags as toc_strip_tags
from markdown.treeprocessors import Treeprocessor

from . import anchors as heading_anchors

POST_EXTENSIONS = ["toc", "tables", "fenced_code", "footnotes", "sane_lists", "attr_list"]

POST_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "section",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
}  # fmt: skip
POST_ATTRIBUTES = {
    "*": {"title", "lang", "dir"},
    "a": {"href", "id", "name"},
    "abbr": {"title"},
    "code": {"class"},
    "col": {"span"},
    "div": {"class", "id"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "img": {"src", "alt", "width", "height", "loading"},
    "li": {"id"},
    "ol": {"start"},
    "span": {"id"},
    "sup": {"id"},
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "scope", "style"},
}  # fmt: skip
COMMENT_TAGS = {"a", "br", "code", "em", "p", "strong"}
COMMENT_ATTRIBUTES = {"a": {"href"}}
COMMENT_INLINE_PATTERNS_OFF = (
    "image_link", "image_reference", "short_image_ref", "html", "entity", "autolink", "automail",
)  # fmt: skip
URL_SCHEMES = {"http", "https", "mailto"}
TEXT_ALIGN = {"text-align"}


# C0 control characters but tab and line breaks: nothing a writer means, and Markdown's own
# placeholders are made of two of them (STX, ETX).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# The ids the site's templates (templates/) give elements of the pages that show author
# Markdown. An author's id must not take one, or the skip link, "#comments", "#respond" or
# a comment's "#comment-12" would lead into the article: it gets AUTHOR_ID_PREFIX
# instead. tests/test_markdown_pipeline.py keeps this list in step with the templates.
SITE_IDS = frozenset({
    "commentform", "comments", "comments-pending", "comments-title", "content", "error-title", "notfound-q",
    "reply-title", "respond", "search-page-q", "search-q", "sommaire-title",
})  # fmt: skip
# Ids made per object (comment-12, comment-edit-12, report-reason-12) and by Django's form fields (id_body).
SITE_ID_PATTERN = re.compile(r"(?:comment|comment-edit|report-reason)-\d+|id_.*")
AUTHOR_ID_PREFIX = "md-"
# What Markdown leaves in an attribute while it works: stashed HTML and backslash escapes.
STASH_PLACEHOLDER = re.compile("\x02wzxhzdk:(\\d+)\x03")
ESCAPE_PLACEHOLDER = re.compile("\x02(\\d+)\x03")
ANY_PLACEHOLDER = re.compile("\x02[^\x03]*\x03?")


def author_id(value):
    """`value`, an id written in author Markdown, out of the site's own ids."""
    if value in SITE_IDS or SITE_ID_PATTERN.fullmatch(value):
        return AUTHOR_ID_PREFIX + value
    return value


def _heading_slug(value, separator):
    return author_id(ascii_slugify(value, separator))


def _raw_html_ids(element, attribute, value):
    """nh3's attribute filter: the same rule for ids (and anchor names) of raw HTML."""
    if attribute in ("id", "name"):
        return author_id(value) if value else None
    return value


class AuthorIdsTreeprocessor(Treeprocessor):
    """
    Ids an author wrote (`{#id}`, attr_list) as plain text, out of the site's ids: run
    after attr_list and before toc, so that the toc, its tokens and the heading agree.
    Markup inside `{#…}` (an entity, HTML) leaves Markdown placeholders in the value;
    they become their text, and an id left empty goes, for toc to make one.
    """

    def run(self, root):
        for element in root.iter():
            for attribute in ("id", "name"):
                if attribute in element.attrib:
                    value = self.plain(element.attrib[attribute])
                    if value:
                        element.attrib[attribute] = author_id(value)
                    else:
                        del element.attrib[attribute]

    def plain(self, value):
        def stashed_text(match):
            index = int(match.group(1))
            blocks = self.md.htmlStash.rawHtmlBlocks
            return html.unescape(strip_tags(str(blocks[index]))) if index < len(blocks) else ""

        value = STASH_PLACEHOLDER.sub(stashed_text, value)
        value = ESCAPE_PLACEHOLDER.sub(lambda match: chr(int(match.group(1))), value)
        value = CONTROL_CHARACTERS.sub("", ANY_PLACEHOLDER.sub("", value))
        return "".join(value.split())  # an id has no spaces


HEADING_TAG = re.compile("h[1-6]")


def heading_title(name):
    """A heading's text as the table of contents shows it, from toc's `name` (its inner HTML's text)."""
    title = html.unescape(strip_tags(ANY_PLACEHOLDER.sub("", name)))
    return " ".join(CONTROL_CHARACTERS.sub("", title).split())


class StableAnchorsTreeprocessor(Treeprocessor):
    """
    Before toc: a heading matched to one of the last save's (core.anchors) takes back
    its id, unless the author wrote one or another element holds it; toc ids the rest.
    """

    def run(self, root):
        records = self.md.plume_records
        headings = [el for el in root.iter() if isinstance(el.tag, str) and HEADING_TAG.fullmatch(el.tag)]
        found = [
            (heading_title(toc_strip_tags(render_inner_html(remove_fnrefs(el), self.md))), int(el.tag[1]))
            for el in headings
        ]
        matches = heading_anchors.match(records, found) if records else [None] * len(headings)
        used = {el.attrib["id"] for el in root.iter() if "id" in el.attrib}
        for el, index in zip(headings, matches, strict=True):
            if index is not None and "id" not in el.attrib and records[index]["id"] not in used:
                el.attrib["id"] = records[index]["id"]
                used.add(el.attrib["id"])
        self.md.plume_headings = list(zip(headings, found, matches, strict=True))


class AnchorRecordsTreeprocessor(Treeprocessor):
    """
    After toc: the records to keep for the next save, and each former id of a heading
    that now has another (an author's `{#id}`) as an empty `<span id>` at its start,
    so that links to it still land; a former id another element now holds is not emitted.
    """

    def run(self, root):
        records = self.md.plume_records
        taken = {el.attrib["id"] for el in root.iter() if "id" in el.attrib}
        kept = []
        for el, (title, level), index in self.md.plume_headings:
            kept.append(
                heading_anchors.record(
                    el.attrib["id"], title, level, records[index] if index is not None else None
                )
            )
            for alias in reversed(kept[-1]["aliases"]):
                if alias in taken:
                    continue
                taken.add(alias)
                span = ElementTree.Element("span", {"id": alias})
                span.tail, el.text = el.text, None
                el.insert(0, span)
        self.md.plume_anchors = kept


class AuthorIdsExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(AuthorIdsTreeprocessor(md), "author_ids", 6)
        # Around toc (5): ids taken back before it ids the rest, records made from its ids.
        md.treeprocessors.register(StableAnchorsTreeprocessor(md), "stable_anchors", 5.5)
        md.treeprocessors.register(AnchorRecordsTreeprocessor(md), "anchor_records", 4.9)


class Rendered(str):
    """
    Sanitized HTML, with what was learnt while rendering it.

    A `str` so that django-markdownx can use `render` as its preview function
    as is; the attributes are what `save()` stores next to the HTML.
    """

    toc: list
    anchors: list
    word_count: int
    first_paragraph: str

    def __new__(cls, html_text, *, toc=(), anchors=(), word_count=0, first_paragraph=""):
        value = super().__new__(cls, html_text)
        value.toc = list(toc)
        value.anchors = list(anchors)
        value.word_count = word_count
        value.first_paragraph = first_paragraph
        return value

    @property
    def reading_time(self):
        """Minutes, rounded up, at least one for any text."""
        if not self.word_count:
            return 0
        return max(1, math.ceil(self.word_count / settings.PLUME_WORDS_PER_MINUTE))


def render(text, *, comment=False, anchors=None):
    """
    Render Markdown to sanitized HTML (see `Rendered`); `comment=True` allows only a small subset.

    `anchors`: the heading records (core.anchors) the text's last save returned as
    `Rendered.anchors`; its headings keep their ids through renames. Still pure: the
    same text and records give the same HTML and records.
    """
    # Rendering is pure, and an import or a site of templated posts renders one body many times.
    known = json.dumps(anchors, sort_keys=True) if anchors and not comment else ""
    rendered = _render_once(CONTROL_CHARACTERS.sub("", text or ""), comment, known)
    return Rendered(
        rendered,
        toc=copy.deepcopy(rendered.toc),
        anchors=copy.deepcopy(rendered.anchors),
        word_count=rendered.word_count,
        first_paragraph=rendered.first_paragraph,
    )


@functools.lru_cache(maxsize=256)
def _render_once(text, comment, known):
    if comment:
        return _render_comment(text)
    md = _reusable("post", _post_markdown)
    md.plume_records = json.loads(known) if known else []
    # A blank text never reaches the tree processors: nothing of the last text may stay.
    md.plume_headings, md.plume_anchors = [], []
    body = md.convert(text)
    clean = nh3.clean(
        body,
        tags=POST_TAGS,
        clean_content_tags={"script", "style"},
        attributes=POST_ATTRIBUTES,
        attribute_filter=_raw_html_ids,
        link_rel="noopener",
        url_schemes=URL_SCHEMES,
        filter_style_properties=TEXT_ALIGN,
    )
    # A character reference (&#1;) still makes a control character.
    clean = CONTROL_CHARACTERS.sub("", clean)
    return Rendered(
        clean,
        toc=[_toc_node(token) for token in md.toc_tokens],
        anchors=md.plume_anchors,
        word_count=count_words(clean),
        first_paragraph=_first_paragraph(clean),
    )


def _post_markdown():
    return markdown.Markdown(
        extensions=[*POST_EXTENSIONS, AuthorIdsExtension()],
        extension_configs={"toc": {"slugify": _heading_slug, "permalink": False}},
        output_format="html",
    )


def _comment_markdown():
    md = markdown.Markdown(output_format="html")
    # A reader's comment is plain text with emphasis, links and inline code:
    # no headings, lists, quotes, images or raw HTML. Without the patterns that
    # read HTML (and `<https://…>` autolinks), a `<` stays text, which the
    # serializer escapes once, in inline code as anywhere else.
    for name in ("hashheader", "setextheader", "hr", "olist", "ulist", "quote", "code"):
        md.parser.blockprocessors.deregister(name)
    for name in COMMENT_INLINE_PATTERNS_OFF:
        md.inlinePatterns.deregister(name, strict=False)
    md.preprocessors.deregister("html_block")
    return md


_instances = threading.local()


def _reusable(kind, build):
    """
    A Markdown converter of this kind for the current thread, reset for a new text:
    building one (its parser and extensions) costs more than converting a comment.
    Instances are not thread-safe, hence one per thread.
    """
    md = getattr(_instances, kind, None)
    if md is None:
        md = build()
        setattr(_instances, kind, md)
    return md.reset()


def _render_comment(text):
    md = _reusable("comment", _comment_markdown)
    body = md.convert(text)
    clean = nh3.clean(
        body,
        tags=COMMENT_TAGS,
        clean_content_tags={"script", "style"},
        attributes=COMMENT_ATTRIBUTES,
        link_rel="nofollow ugc noopener",
        url_schemes=URL_SCHEMES,
    )
    return Rendered(clean, word_count=count_words(clean), first_paragraph=_first_paragraph(clean))


def _toc_node(token):
    return {
        "id": token["id"],
        "title": heading_title(token["name"]),
        "level": token["level"],
        "children": [_toc_node(child) for child in token["children"]],
    }


TAG_RE = re.compile(r"<[^>]+>")
FIRST_PARAGRAPH_RE = re.compile(r"<p>(.*?)</p>", re.DOTALL)
WORD_RE = re.compile(r"\w+(?:[’'-]\w+)*")


def strip_tags(value):
    return TAG_RE.sub(" ", value)


def plain_text(html_text):
    """The visible text of sanitized HTML, whitespace folded."""
    return " ".join(html.unescape(strip_tags(html_text)).split())


def count_words(html_text):
    return len(WORD_RE.findall(plain_text(html_text)))


def _first_paragraph(html_text):
    for match in FIRST_PARAGRAPH_RE.finditer(html_text):
        text = plain_text(match.group(1))
        if text:
            return text
    return ""
