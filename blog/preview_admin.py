"""
The admin's preview links for posts and pages: a page listing a post's links, with
a form that creates one (its address shown once: only a hash of the token is kept)
and "Revoke" on each; and, with PLUME_PREVIEW_URL, "View on site" opening the
frontend through a short link. Rules: blog.permissions.can_share_preview; writes:
blog.services.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .permissions import can_share_preview
from .previews import preview_url
from .services import preview_link_create, preview_link_revoke
from .services.previews import MAX_DAYS


class PreviewLinkForm(forms.Form):
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=7
    )
    label = forms.CharField(
        label=gettext_lazy("For whom"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("A note for you, such as the reviewer’s name."),
    )


def site_view_url(admin, obj):
    """The admin's "View on site": the frontend's preview with PLUME_PREVIEW_URL, else the page itself."""
    if settings.PLUME_PREVIEW_URL:
        return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_view_on_frontend", args=[obj.pk])
    return obj.get_absolute_url()


class PreviewLinksAdmin:
    """Mixed into PostAdmin and PageAdmin: three views under <id>/, for those who may edit."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/previews/",
                view(self.preview_links_view),
                name="{}_{}_previews".format(*info),
            ),
            path(
                "<path:object_id>/previews/<int:link_id>/revoke/",
                view(self.preview_revoke_view),
                name="{}_{}_preview_revoke".format(*info),
            ),
            path(
                "<path:object_id>/view-on-frontend/",
                view(self.view_on_frontend),
                name="{}_{}_view_on_frontend".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        may_share = obj is not None and can_share_preview(request.user, obj)
        extra_context = {**(extra_context or {}), "may_share_preview": may_share}
        return super().change_view(request, object_id, form_url, extra_context)

    def _shareable(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None or not can_share_preview(request.user, obj):
            raise Http404
        return obj

    def preview_links_view(self, request, object_id):
        obj = self._shareable(request, object_id)
        form = PreviewLinkForm(request.POST or None, initial={"days": settings.PLUME_PREVIEW_DAYS})
        created = None
        if request.method == "POST" and form.is_valid():
            try:
                link, token = preview_link_create(
                    target=obj,
                    by=request.user,
                    days=form.cleaned_data["days"],
                    label=form.cleaned_data["label"],
                )
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as error:
                form.add_error(None, error)
            else:
                created = {"link": link, "url": preview_url(obj, token, request)}
                form = PreviewLinkForm(initial={"days": settings.PLUME_PREVIEW_DAYS})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": _("Preview links of “%(title)s”") % {"title": obj},
            "form": form,
            "created": created,
            "links": list(obj.preview_links.active().select_related("created_by")),
            "url_prefix": f"admin:{self.opts.app_label}_{self.opts.model_name}",
        }
        return TemplateResponse(request, "admin/blog/preview_links.html", context)

    def preview_revoke_view(self, request, object_id, link_id):
        obj = self._shareable(request, object_id)
        if request.method != "POST":
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_previews", obj.pk)
        link = get_object_or_404(obj.preview_links, pk=link_id)
        try:
            preview_link_revoke(link=link, by=request.user)
        except PermissionDenied:
            raise Http404 from None
        messages.success(request, _("The preview link is revoked: it no longer opens anything."))
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_previews", obj.pk)

    def view_on_frontend(self, request, object_id):
        """With PLUME_PREVIEW_URL: a link of PLUME_PREVIEW_VIEW_MINUTES for the editor, on the frontend."""
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not settings.PLUME_PREVIEW_URL or not can_share_preview(request.user, obj):
            return redirect(obj.get_absolute_url())
        _link, token = preview_link_create(
            target=obj,
            by=request.user,
            minutes=settings.PLUME_PREVIEW_VIEW_MINUTES,
            label=_("View on site"),
        )
        return redirect(preview_url(obj, token, request))
