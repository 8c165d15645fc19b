"""
The admin's revision pages for posts and pages: the history list, the diff of
two revisions and "restore this revision" (through blog.services, so the policy
decides and the restore is itself a revision).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from .revisions import compare, fields_of, summarize, when
from .services import revision_restore


class RevisionsAdmin:
    """Mixed into PostAdmin and PageAdmin: three views under <id>/revisions/, for those who may edit."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/revisions/", view(self.revisions_view), name="{}_{}_revisions".format(*info)
            ),
            path(
                "<path:object_id>/revisions/compare/",
                view(self.revision_compare_view),
                name="{}_{}_revision_compare".format(*info),
            ),
            path(
                "<path:object_id>/revisions/<int:revision_id>/restore/",
                view(self.revision_restore_view),
                name="{}_{}_revision_restore".format(*info),
            ),
            *super().get_urls(),
        ]

    def _editable(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_change_permission(request, obj):
            raise Http404
        return obj

    def _context(self, request, obj, title):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": title,
            "change_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]
            ),
            "url_prefix": f"admin:{self.opts.app_label}_{self.opts.model_name}",
        }

    def revisions_view(self, request, object_id):
        obj = self._editable(request, object_id)
        revisions = list(obj.revisions.select_related("user").defer("data"))
        for revision in revisions:
            revision.summary = summarize(revision)
        context = self._context(request, obj, _("History of “%(title)s”") % {"title": obj})
        context["revisions"] = revisions
        return TemplateResponse(request, "admin/blog/revisions.html", context)

    def revision_compare_view(self, request, object_id):
        obj = self._editable(request, object_id)
        chosen = {}
        for key in ("a", "b"):
            value = request.GET.get(key, "")
            if not value.isdigit():
                messages.error(request, _("Choose two revisions to compare."))
                return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_revisions", obj.pk)
            chosen[key] = get_object_or_404(obj.revisions.select_related("user"), pk=int(value))
        old, new = sorted(chosen.values(), key=lambda revision: (revision.created_at, revision.pk))
        context = self._context(request, obj, _("Compare two revisions of “%(title)s”") % {"title": obj})
        context.update(old=old, new=new, rows=compare(old.data, new.data, fields_of(obj)))
        return TemplateResponse(request, "admin/blog/revision_compare.html", context)

    def revision_restore_view(self, request, object_id, revision_id):
        obj = self._editable(request, object_id)
        revision = get_object_or_404(obj.revisions, pk=revision_id)
        if request.method != "POST":  # a confirmation page, as the admin's delete has
            context = self._context(request, obj, _("Restore a revision of “%(title)s”") % {"title": obj})
            context["when"] = when(revision)
            return TemplateResponse(request, "admin/blog/revision_restore.html", context)
        try:
            revision_restore(revision=revision, by=request.user)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_revisions", obj.pk)
        messages.success(request, _("The version of %(date)s is restored.") % {"date": when(revision)})
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", obj.pk)
