"""System checks of Plume's own settings (`manage.py check`, `manage.py check --deploy`)."""

import string
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

from .cache import is_per_process

# Absolute URLs (core.links) -----------------------------------------------------------


@checks.register(checks.Tags.security, deploy=True)
def check_site_url_is_set(app_configs, **kwargs):
    """In production, absolute URLs should not take their origin from the Host header."""
    if settings.DEBUG or settings.PLUME_SITE_URL:
        return []
    return [
        checks.Warning(
            "PLUME_SITE_URL is not set: feeds, the sitemap, canonical links, the API's URLs and "
            "e-mails take their origin from each request's Host header, port included.",
            hint="Set PLUME_SITE_URL to the site's public origin, e.g. https://blog.example.fr.",
            id="plume.W010",
        )
    ]


@checks.register(checks.Tags.urls)
def check_site_url_is_an_origin(app_configs, **kwargs):
    value = settings.PLUME_SITE_URL
    if not value:
        return []
    bits = urlsplit(value)
    try:
        bits.port  # noqa: B018 (raises ValueError on a port that is not one)
    except ValueError:
        bits = None
    if (
        bits
        and bits.scheme in ("http", "https")
        and bits.hostname
        and not (bits.path or bits.query or bits.fragment or bits.username or bits.password)
    ):
        return []
    return [
        checks.Error(
            f"PLUME_SITE_URL must be an origin (scheme and host, and a port if needed), not {value!r}.",
            hint="For example https://blog.example.fr, without a path.",
            id="plume.E010",
        )
    ]


# The cache (core.cache, core.caching) ---------------------------------------------


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs=None, **kwargs):
    """Each process with a cache of its own hears of a change only when it made it itself."""
    if settings.DEBUG or not is_per_process():
        return []
    return [
        checks.Warning(
            "The cache is kept per process (local memory or none): every worker keeps its own copy of "
            "pages and API answers, and checks the content's version in the database on every read.",
            hint="Share one cache between every process: CACHE_URL=redis://host:6379/0.",
            id="plume.W001",
        )
    ]


# Preview links (blog.previews) ----------------------------------------------------------

PREVIEW_URL_FIELDS = {"slug", "token", "kind"}


@checks.register(checks.Tags.urls)
def check_preview_url(app_configs, **kwargs):
    """PLUME_PREVIEW_URL: an http(s) URL with {token}, and no placeholder but {slug}, {token}, {kind}."""
    value = settings.PLUME_PREVIEW_URL
    if not value:
        return []
    try:
        fields = {
            name for _text, name, _spec, _conversion in string.Formatter().parse(value) if name is not None
        }
        value.format(**dict.fromkeys(PREVIEW_URL_FIELDS, "x"))
    except (AttributeError, IndexError, KeyError, ValueError):
        fields = None
    bits = urlsplit(value)
    if (
        fields is not None
        and "token" in fields
        and fields <= PREVIEW_URL_FIELDS
        and bits.scheme in ("http", "https")
        and bits.hostname
    ):
        return []
    return [
        checks.Error(
            f"PLUME_PREVIEW_URL must be an http(s) URL with {{token}} in it, not {value!r}.",
            hint="For example https://www.example.org/api/preview?slug={slug}&token={token} "
            "({kind} is “post” or “page”; write a literal brace as {{ or }}).",
            id="plume.E020",
        )
    ]
