"""
The admin side of review: "Submit for review" on a draft's form and in the list,
the note a post was sent back with shown on its form, and the editor's
"Send back" page. The rules are blog.permissions'; the writes blog.services'.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import Status
from .permissions import can_review, can_submit
from .services import post_send_back, post_submit

SUBMIT = "_submit_review"


class SendBackForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note for the author"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("What should change before the post can be published."),
    )


class ReviewAdmin:
    """Mixed into PostAdmin."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/send-back/", view(self.send_back_view), name="blog_post_send_back"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        post = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "may_submit": post is not None and can_submit(request.user, post),
            "may_review": post is not None and can_review(request.user, post),
            "submit_name": SUBMIT,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "may_submit": True, "submit_name": SUBMIT}
        return super().add_view(request, form_url, extra_context)

    def submitting(self, request, stored=None):
        """Whether this save is "Submit for review" (of a new post, or of a draft the user may submit)."""
        return SUBMIT in request.POST and (stored is None or can_submit(request.user, stored))

    def send_back_view(self, request, object_id):
        post = self.get_object(request, object_id)
        if post is None or not can_review(request.user, post):
            raise Http404
        form = SendBackForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                post_send_back(post=post, by=request.user, note=form.cleaned_data["note"])
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("“%(title)s” is back with its author, with your note.") % {"title": post}
                )
                return redirect("admin:blog_post_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": post,
            "form": form,
            "title": _("Send “%(title)s” back to its author") % {"title": post},
        }
        return TemplateResponse(request, "admin/blog/send_back.html", context)

    def service_data(self, request, stored):
        return {"status": Status.PENDING} if self.submitting(request, stored) else {}

    @admin.action(description=gettext_lazy("Submit the selected drafts for review"))
    def submit_selected(self, request, queryset):
        done = self._apply(request, queryset, post_submit)
        if done:
            message = ngettext(
                "%(count)d post submitted for review.", "%(count)d posts submitted for review.", done
            )
            self.message_user(request, message % {"count": done}, messages.SUCCESS)
