from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from blog import editor
from core.views import web_manifest

admin.site.site_header = _("Plume administration")
admin.site.site_title = _("Plume")
admin.site.index_title = _("Writing and moderation")


urlpatterns = [
    path("admin/", admin.site.urls),
    # django-markdownx's own views, but for staff only and checking uploads (see blog.editor).
    path("markdownx/upload/", editor.image_upload, name="markdownx_upload"),
    path("markdownx/markdownify/", editor.markdownify, name="markdownx_markdownify"),
    path("api/", include(("plume.api.urls", "api"))),
    path("manifest.webmanifest", web_manifest, name="site-manifest"),
    path("wp-json/", include("wordpress.wp_api.urls")),
    path("", include("comments.urls")),
    path("", include("blog.urls")),
]

# page_not_found renders templates/404.html with the full request context (navigation,
# search); core.errors.server_error renders its templates with an empty context, so the
# error page still works when the database or a context processor is what failed, and
# answers 503 (JSON under /api/) when the database is unreachable.
handler404 = "django.views.defaults.page_not_found"
handler500 = "core.errors.server_error"

if settings.PLUME_BENCH:
    from bench.views import baseline

    # Before the blog's catch-all slug pattern.
    urlpatterns.insert(0, path("bench/baseline/", baseline, name="bench-baseline"))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
