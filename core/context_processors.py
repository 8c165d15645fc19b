from django.templatetags.static import static
from django.utils.translation import get_language, to_locale

from .colours import accent_palette
from .links import absolute_url
from .models import SiteSettings

# Open Graph wants a territory; a language Plume ships without one gets its usual one.
OG_TERRITORIES = {"en": "en_US", "fr": "fr_FR"}


def og_locale(language):
    locale = to_locale(language or "fr")
    if "_" in locale:
        return locale
    return OG_TERRITORIES.get(locale, f"{locale}_{locale.upper()}")


def default_social_image(request, current):
    """The image shared for a page that has none of its own: the site's, else Plume's."""
    path = (
        current.default_social_image.url if current.default_social_image else static("img/social-default.png")
    )
    return absolute_url(path, request=request)


def site_settings(request):
    """The site's name, tagline, logo, colours and footer (SiteSettings, cached), for every template."""
    current = SiteSettings.objects.current(request)
    return {
        "site_settings": current,
        "site_name": current.site_name,
        "site_description": current.tagline,
        "site_accent": accent_palette(current.accent_colour),
        "default_social_image": default_social_image(request, current),
        "og_locale": og_locale(get_language()),
    }
