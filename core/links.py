"""Absolute URLs: the one place that decides which origin a link in a feed, API answer or e-mail gets."""

from functools import lru_cache
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.encoding import iri_to_uri


def site_origin(*, request=None, base_url=""):
    """
    "scheme://host[:port]" of the site's absolute URLs: `PLUME_SITE_URL` when it is set
    (the Host header is then never echoed into a link), else the host `request` came
    to, else `base_url` (remembered from a request by work done later), else the
    `Site` row's domain.
    """
    if settings.PLUME_SITE_URL:
        return settings.PLUME_SITE_URL
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    if base_url:
        return base_url.rstrip("/")
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{Site.objects.get_current().domain}"


def absolute_url(path, *, request=None, base_url=""):
    """
    `path` (a path, or a URL, which is returned as is) as an absolute URL on
    `site_origin()`. A relative path is taken from the request's path, as Django's
    `build_absolute_uri` does.
    """
    origin = site_origin(request=request, base_url=base_url)
    if path.startswith("/") and not path.startswith("//") and "/./" not in path and "/../" not in path:
        return iri_to_uri(f"{origin}{path}")
    return iri_to_uri(urljoin(f"{origin}{request.path if request is not None else '/'}", path))


def slug_path(viewname, slug):
    """
    `reverse(viewname, kwargs={"slug": slug})`, reversed once per process: a page of posts
    links each post, its author and its categories several times, and reversing is the
    same work every time for the same slug (under the same URLconf and script prefix).
    """
    return _slug_path(viewname, slug, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@lru_cache(maxsize=16384)
def _slug_path(viewname, slug, prefix, urlconf):
    return reverse(viewname, kwargs={"slug": slug}, urlconf=urlconf)


@receiver(setting_changed)
def _forget_paths(setting, **kwargs):
    # Tests change ROOT_URLCONF (and Django clears its own URL caches then): so does this one.
    if setting == "ROOT_URLCONF":
        _slug_path.cache_clear()
