import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

register = template.Library()

# The characters that could end the <script> element or start an HTML entity,
# escaped the way Django's json_script does it.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(value):
    """`value` as a JSON-LD script element (json_script's escaping, with the ld+json type)."""
    data = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(data))  # noqa: S308


@register.inclusion_tag("includes/sommaire.html")
def sommaire(toc):
    """The "Sommaire" block, only when the post has two or more headings."""
    return {"entries": toc, "show": count_headings(toc) >= 2}


def count_headings(toc):
    return sum(1 + count_headings(entry.get("children", [])) for entry in toc)


@register.filter
def html_datetime(value):
    """A `<time datetime>` value HTML accepts: local time, to the second (no microseconds)."""
    if not value:
        return ""
    return localtime(value).replace(microsecond=0).isoformat()
