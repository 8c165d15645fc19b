from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("markdownx/", include("markdownx.urls")),
    path("", include("blog.urls")),
]

if settings.PLUME_BENCH:
    from bench.views import baseline

    # Before the blog's catch-all slug pattern.
    urlpatterns.insert(0, path("bench/baseline/", baseline, name="bench-baseline"))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
