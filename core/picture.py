"""`<picture>` markup for an image with renditions (core.images): srcset, sizes, width, height, lazy."""

from django.core.files.storage import default_storage
from django.utils.html import format_html, format_html_join

WEBP = "image/webp"


def rendition_url(name):
    return default_storage.url(name)


def srcset(sizes):
    return ", ".join(f"{rendition_url(size['name'])} {size['width']}w" for size in sorted(sizes, key=_width))


def _width(size):
    return size["width"]


def picture(
    src,
    sizes,
    *,
    alt="",
    width=None,
    height=None,
    sizes_attr="100vw",
    lazy=True,
    priority=False,
    css_class="",
):
    """The image at `src` offered in every rendition of `sizes`; a plain <img> without any."""
    originals = [size for size in sizes if size["type"] != WEBP] or [
        size for size in sizes if size["type"] == WEBP
    ]
    webp = [size for size in sizes if size["type"] == WEBP]
    if sizes:
        largest = max(sizes, key=_width)
        width, height = largest["width"], largest["height"]
    attributes = [("class", css_class)] if css_class else []
    attributes += [("src", src), ("alt", alt)]
    if originals:
        attributes += [("srcset", srcset(originals)), ("sizes", sizes_attr)]
    if width and height:
        attributes += [("width", width), ("height", height)]
    attributes += [("loading", "lazy")] if lazy else []
    attributes += [("fetchpriority", "high")] if priority else [("decoding", "async")]
    img = format_html("<img {}>", format_html_join(" ", '{}="{}"', attributes))
    if not webp or webp is originals or all(size["type"] == WEBP for size in originals):
        return img
    return format_html(
        '<picture><source type="{}" srcset="{}" sizes="{}">{}</picture>', WEBP, srcset(webp), sizes_attr, img
    )
