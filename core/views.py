from django.http import JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from .colours import accent_palette
from .models import SiteSettings


@require_safe
def web_manifest(request):
    """The web app manifest: the site's name, colours and icons (the browser's tab colour, install)."""
    site = SiteSettings.objects.current()
    manifest = {
        "name": site.site_name,
        "short_name": site.site_name[:12],
        "description": site.tagline,
        "start_url": reverse("blog:home"),
        "scope": "/",
        "display": "browser",
        "background_color": "#fbfaf7",
        "theme_color": accent_palette(site.accent_colour)["light"],
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = JsonResponse(
        manifest, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
    patch_cache_control(response, public=True, max_age=3600)
    return response
