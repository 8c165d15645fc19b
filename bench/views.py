"""The benchmark's baseline: fixed bytes through the whole stack (middleware, URL routing, WSGI)."""

from django.http import HttpResponse

# About the size of a small API response, so that the baseline pays for sending bytes too.
BASELINE_BODY = ("Plume baseline: fixed bytes through the same stack.\n" * 40).encode()


def baseline(request):
    """Mounted only when settings.PLUME_BENCH is on (see plume/urls.py)."""
    return HttpResponse(BASELINE_BODY, content_type="text/plain; charset=utf-8")
