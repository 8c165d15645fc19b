from django import template

from ..media import with_renditions as body_with_renditions

register = template.Library()


@register.filter
def with_renditions(html):
    """`{{ post.body_html|with_renditions }}`: the body's library images with srcset and sizes."""
    return body_with_renditions(html)
