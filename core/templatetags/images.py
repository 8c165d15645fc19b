from django import template

from core.picture import picture as picture_html

register = template.Library()


@register.simple_tag
def picture(image, sizes="100vw", lazy=True, priority=False, alt=None):
    """`{% picture post.featured_image_info sizes="…" %}`: an image dict (src, alt, width, height, sizes)."""
    if not image:
        return ""
    return picture_html(
        image["src"],
        image.get("sizes") or [],
        alt=image.get("alt", "") if alt is None else alt,
        width=image.get("width"),
        height=image.get("height"),
        sizes_attr=sizes,
        lazy=lazy,
        priority=priority,
    )
