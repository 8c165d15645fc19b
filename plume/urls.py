from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from markdownx.views import ImageUploadView, MarkdownifyView, markdownify_func

admin.site.site_header = _("Plume administration")
admin.site.site_title = _("Plume")
admin.site.index_title = _("Writing and moderation")


def staff_only(view):
    """
    django-markdownx's views check nobody: its upload would store anyone's files. They serve
    the admin's editor, so they answer those who may use the admin (403 for anyone else).
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class MarkdownPreviewView(MarkdownifyView):
    """markdownx's preview; a request without `content` previews nothing instead of failing with a 500."""

    def post(self, request, *args, **kwargs):
        return HttpResponse(markdownify_func(request.POST.get("content", "")))


urlpatterns = [
    path("admin/", admin.site.urls),
    path("markdownx/upload/", staff_only(ImageUploadView.as_view()), name="markdownx_upload"),
    path("markdownx/markdownify/", staff_only(MarkdownPreviewView.as_view()), name="markdownx_markdownify"),
    path("api/", include(("plume.api.urls", "api"))),
    path("", include("comments.urls")),
    path("", include("blog.urls")),
]

# page_not_found renders templates/404.html with the full request context (navigation,
# search); plume.errors.server_error renders its templates with an empty context, so the
# error page still works when the database or a context processor is what failed, and
# answers 503 (JSON under /api/) when the database is unreachable.
handler404 = "django.views.defaults.page_not_found"
handler500 = "plume.errors.server_error"

if settings.PLUME_BENCH:
    from bench.views import baseline

    # Before the blog's catch-all slug pattern.
    urlpatterns.insert(0, path("bench/baseline/", baseline, name="bench-baseline"))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
