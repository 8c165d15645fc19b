"""Absolute URLs: the one place that decides which origin a link in a feed, API answer or e-mail gets."""

from django.conf import settings
from django.contrib.sites.models import Site


def absolute_url(path, *, request=None, base_url=""):
    """
    `path` as an absolute URL: on the host `request` came to, else on `base_url`
    ("https://host", remembered from a request by work done later), else on the
    `Site` row's domain.
    """
    if request is not None:
        return request.build_absolute_uri(path)
    if base_url:
        return f"{base_url}{path}"
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{Site.objects.get_current().domain}{path}"
