"""
The Markdown editor's endpoints (django-markdownx): the live preview and image upload.

django-markdownx serves both to anyone and trusts the type an upload declares, so that
a file that is not an image ended in a 500. Here they are for staff accounts only (the
people who write in the admin), and an upload must really be an image: otherwise a 400
with the reason, as markdownx answers other invalid uploads.
"""

from django import forms
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse
from markdownx import views
from markdownx.forms import ImageForm

from .markdown import render


class ImageUploadForm(ImageForm):
    image = forms.ImageField()  # Django's: opens the file with Pillow and refuses what is not an image


class ImageUploadView(views.ImageUploadView):
    form_class = ImageUploadForm


class MarkdownifyView(views.MarkdownifyView):
    def post(self, request, *args, **kwargs):
        # The one Markdown pipeline (sanitized); no `content` is an empty preview, not a 500.
        return HttpResponse(render(request.POST.get("content", "")))


image_upload = staff_member_required(ImageUploadView.as_view())
markdownify = staff_member_required(MarkdownifyView.as_view())
