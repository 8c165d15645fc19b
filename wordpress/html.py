"""WordPress content (classic or Gutenberg) to the Markdown Plume stores, so headings feed the Sommaire."""

import functools
import re
from html.entities import html5

from markdownify import ATX, MarkdownConverter

BLOCK_COMMENT_RE = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
# "Read more" and page-break markers: Plume has its own summary and no paged posts.
MARKER_COMMENT_RE = re.compile(r"<!--\s*(?:more|nextpage|noteaser)\b.*?-->", re.DOTALL)


def has_blocks(html):
    return "<!-- wp:" in html


ENTITY_RE = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
# In HTML (outside SVG and MathML), "<![CDATA[" opens a bogus comment that the first ">"
# closes: a browser shows nothing of it. Script and style text is not HTML: left alone.
CDATA_RE = re.compile(r"<!\[CDATA\[[^>]*>")
RAW_TEXT_RE = re.compile(r"(<(script|style)\b.*?</\2\s*>)", re.DOTALL | re.IGNORECASE)


def as_a_browser_reads(html):
    """
    The HTML, with what a browser would show and the parser would not kept as it shows.

    - `&name;` with an unknown name is text to a browser ("R&D; team", `int *p = &x;`);
      the HTML parser drops its semicolon: its `&` is escaped so the text stays whole.
    - CDATA sections are hidden by a browser: they are removed.
    """
    html = ENTITY_RE.sub(lambda m: m.group(0) if f"{m.group(1)};" in html5 else f"&amp;{m.group(1)};", html)
    parts = RAW_TEXT_RE.split(html)
    # split() with two groups yields text, whole raw block, tag name, text…: hide CDATA in the text only.
    return "".join(
        CDATA_RE.sub("", part) if index % 3 == 0 else part if index % 3 == 1 else ""
        for index, part in enumerate(parts)
    )


@functools.lru_cache(maxsize=256)
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
    html = MARKER_COMMENT_RE.sub("\n\n", as_a_browser_reads(html))
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


@functools.lru_cache(maxsize=256)
def comment_to_markdown(html):
    """A WordPress comment (HTML with wpautop'd paragraphs) -> the Markdown of Plume comments."""
    if not html or not html.strip():
        return ""
    plain = plain_comment_markdown(html)
    return plain if plain is not None else parsed_comment_to_markdown(html)


def parsed_comment_to_markdown(html):
    """What `comment_to_markdown` gives, through the HTML parser whatever the comment."""
    return re.sub(r"\n{3,}", "\n\n", _CONVERTER.convert(wpautop(as_a_browser_reads(html)))).strip()


# Prose that wpautop and markdownify would only cut into paragraphs and lines: no markup, no
# entity, nothing either escapes (anywhere, or at a line's start), no whitespace but spaces
# and line breaks. Most comments are such prose.
NOT_PLAIN_RE = re.compile(r"[<>&\\`*_\x00-\x09\x0b-\x1f\x7f]|[^\S \n]|(?:^|\n) *[-+#=>0-9]|(?:^|\n) ")


def plain_comment_markdown(text):
    """
    The Markdown `comment_to_markdown` gives a comment of plain prose, without parsing it as
    HTML (a tenth of the time: the import's comments are most of its conversions); None
    for any other comment.
    """
    if NOT_PLAIN_RE.search(text):
        return None
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", text):
        # wpautop: a line break within a paragraph is a <br />, which markdownify writes "  \n".
        lines = [re.sub(" +", " ", line).strip(" ") for line in chunk.strip("\n").split("\n")]
        if any(lines):
            paragraphs.append("  \n".join(line for line in lines if line))
    return "\n\n".join(paragraphs).strip()


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
