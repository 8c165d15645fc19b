"""
Cross-site POSTs refused without a CSRF cookie: the `Origin` (or `Referer`) check.

The anonymous forms of public pages (comment, report) carry no CSRF token, so that the
pages set no cookie and a shared cache may keep them (core/surrogate.py). Their views
are `same_origin_post`: Django's CSRF middleware skips them, and a POST whose `Origin`
(or, without one, `Referer`) is not this site's own origin, or one of
CSRF_TRUSTED_ORIGINS, is refused with 403. Every current browser sends `Origin` with a
form POST (`null` from a page that hides its referrer: refused too); a request with
neither header does not come from a browser's cross-site form, and anyone able to send
it could as well read the page first, so it is let through: the comment form's signed
token and the moderation rules judge it like any other.
"""

import logging
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger(__name__)


def _origin_of(url):
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def is_same_origin(request):
    """Whether the browser says this request comes from a page of this site."""
    sent = request.META.get("HTTP_ORIGIN")
    if sent is None:
        sent = request.META.get("HTTP_REFERER")
        if not sent:
            return True
    origin = _origin_of(sent)
    if origin is None:  # "null", or not an address
        return False
    own = f"{request.scheme}://{request.get_host()}".lower()
    return origin == own or origin in {trusted.lower() for trusted in settings.CSRF_TRUSTED_ORIGINS}


def same_origin_post(view):
    """CSRF protection for a form posted without a token (see the module docstring)."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD", "OPTIONS") and not is_same_origin(request):
            logger.warning(
                "Cross-site POST to %s refused (Origin %r, Referer %r)",
                request.path,
                request.META.get("HTTP_ORIGIN"),
                request.META.get("HTTP_REFERER"),
            )
            raise PermissionDenied(_("This form can only be sent from this site."))
        return view(request, *args, **kwargs)

    return csrf_exempt(checked)
