from django.conf import settings
from django.core.cache import cache
from django.core.validators import RegexValidator
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from core.prepared import PreparedQuery

SITE_SETTINGS_KEY = "core:site-settings"
DEFAULT_ACCENT = "#8a3b12"


class SiteSettingsQuerySet(models.QuerySet):
    def current(self, request=None):
        """
        The one row of settings, created with the defaults on first use and kept in the
        cache until it is saved again. A cache that is down costs a query, never the page.
        Read once per `request` when given (the templates and the schema.org data share it),
        even with no cache.
        """
        found = getattr(request, "_plume_site_settings", None)
        if found is not None:
            return found
        found = self._current()
        if request is not None:
            request._plume_site_settings = found
        return found

    def _current(self):
        # The cache never raises for an outage (core.cache.RedisCache answers as an empty one).
        found = cache.get(SITE_SETTINGS_KEY)
        if isinstance(found, SiteSettings):
            return found
        rows = SITE_SETTINGS_ROW.instances(pk=1)
        if rows:
            found = rows[0]
        else:
            # The first request ever: create the row; two at once both end with it (pk 1), no error.
            try:
                with transaction.atomic():
                    found = self.create(
                        pk=1, site_name=settings.PLUME_SITE_NAME, tagline=settings.PLUME_SITE_DESCRIPTION
                    )
            except IntegrityError:
                found = self.get(pk=1)
        found.remember()
        return found


class SiteSettings(models.Model):
    """What every blog changes about itself: one row, edited in the admin."""

    site_name = models.CharField(_("site name"), max_length=100, default="Plume")
    tagline = models.CharField(
        _("tagline"),
        max_length=200,
        blank=True,
        help_text=_("One line under the name, and the home page's description."),
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="site/",
        blank=True,
        help_text=_("Shown beside the name; square, at least 96 px."),
    )
    default_social_image = models.ImageField(
        _("default social image"),
        upload_to="site/",
        blank=True,
        help_text=_("Shared on social networks for pages without a featured image; 1200 × 630 px is best."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default=DEFAULT_ACCENT,
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("A colour like #8a3b12."))],
        help_text=_("Links and buttons. Darkened or lightened as needed so that text on it stays readable."),
    )
    footer_text = models.TextField(_("footer text"), blank=True)

    objects = SiteSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self):
        return self.site_name

    def save(self, *args, **kwargs):
        self.pk = 1  # a singleton: every save writes the same row
        super().save(*args, **kwargs)
        self.forget()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.forget()
        return result

    def remember(self):
        cache.set(SITE_SETTINGS_KEY, self, None)

    @staticmethod
    def forget():
        cache.delete(SITE_SETTINGS_KEY)


class ContentClock(models.Model):
    """When the public content last changed: one row, shared by every process (see core.api.caching)."""

    changed_at = models.DateTimeField()

    def __str__(self):
        return self.changed_at.isoformat()


# Read by every page when no cache keeps it: compiled once (core.prepared).
SITE_SETTINGS_ROW = PreparedQuery(SiteSettings, lambda pk: SiteSettings.objects.filter(pk=pk), pk=int)
