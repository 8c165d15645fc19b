"""
The Markdown editor's endpoints (django-markdownx): the live preview and image upload.

django-markdownx serves both to anyone and trusts the type an upload declares, so that
a file that is not an image ended in a 500. Here they are for staff accounts only (the
people who write in the admin), and an upload must really be an image: otherwise a 400
with the reason, as markdownx answers other invalid uploads.
"""

from functools import wraps

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from markdownx import views
from markdownx.forms import ImageForm

from core.markdown import render


class ImageUploadForm(ImageForm):
    image = forms.ImageField()  # Django's: opens the file with Pillow and refuses what is not an image


class ImageUploadView(views.ImageUploadView):
    form_class = ImageUploadForm


class MarkdownifyView(views.MarkdownifyView):
    def post(self, request, *args, **kwargs):
        # The one Markdown pipeline (sanitized); no `content` is an empty preview, not a 500.
        return HttpResponse(render(request.POST.get("content", "")))


def staff_only(view):
    """403 for anyone who may not use the admin: these are the editor's background requests, not pages."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


image_upload = staff_only(ImageUploadView.as_view())
markdownify = staff_only(MarkdownifyView.as_view())
