from django import template

from core.picture import picture as picture_html

register = template.Library()


@register.simple_tag
def picture(image, sizes="100vw", lazy=True, priority=False, alt=None, width=None, height=None, css_class=""):
    """`{% picture post.featured_image_info sizes="…" %}`: an image dict (src, alt, width, height, sizes).

    `width` and `height`: the box to reserve when the image's own size is unknown (hosted elsewhere).
    """
    if not image:
        return ""
    return picture_html(
        image["src"],
        image.get("sizes") or [],
        alt=image.get("alt", "") if alt is None else alt,
        width=image.get("width") or width,
        height=image.get("height") or height,
        sizes_attr=sizes,
        lazy=lazy,
        priority=priority,
        css_class=css_class,
    )
