"""
The admin side of autosave, presence and stale saves, for PostAdmin and PageAdmin.

- The change and add forms carry the version they were loaded from (VERSION_FIELD);
  the update services refuse a save from another version (StaleVersion): the
  refused text is kept as the editor's autosave, and the form, loaded again with
  the stored post, says who changed what meanwhile and offers that text back.
- static/blog/desk.js autosaves the form (every PLUME_AUTOSAVE_SECONDS when it
  changed, and when the tab is hidden or closed, with navigator.sendBeacon) to the
  `autosave/` endpoint, and sends the presence heartbeat to `presence/`. Without
  JavaScript the form saves as any admin form does.

The endpoints are admin views (logged-in staff, CSRF-checked) and answer 404 to
whoever may not edit the object (blog.permissions.can_work_on).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .permissions import can_work_on
from .presence import heartbeat_seconds, presence_beat
from .selectors import pending_autosave
from .services import autosave_discard, autosave_save
from .versions import StaleVersion, changes_since, person_name, typed_over, version_of

VERSION_FIELD = "_plume_version"
# What a form posts that is not the writer's text.
NOT_TEXT = {"csrfmiddlewaretoken", VERSION_FIELD}


def autosave_seconds():
    return getattr(settings, "PLUME_AUTOSAVE_SECONDS", 30)


def expected_version(request):
    """The version the submitted form was loaded from; None when it does not say (a crafted POST)."""
    return request.POST.get(VERSION_FIELD) or None


class DeskAdmin:
    """Mixed into PostAdmin and PageAdmin (before WritesThroughServices)."""

    class Media:
        js = ["blog/desk.js"]

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path("autosave/", view(self.autosave_view), name="{}_{}_autosave_new".format(*info)),
            path(
                "autosave/discard/",
                view(self.autosave_discard_view),
                name="{}_{}_autosave_discard_new".format(*info),
            ),
            path("<path:object_id>/autosave/", view(self.autosave_view), name="{}_{}_autosave".format(*info)),
            path(
                "<path:object_id>/autosave/discard/",
                view(self.autosave_discard_view),
                name="{}_{}_autosave_discard".format(*info),
            ),
            path("<path:object_id>/presence/", view(self.presence_view), name="{}_{}_presence".format(*info)),
            *super().get_urls(),
        ]

    @property
    def kind(self):
        return self.opts.model_name

    def _workable(self, request, object_id):
        """The object (None for a new one) if `request.user` may work on it; else Http404."""
        obj = None
        if object_id is not None:
            obj = self.get_object(request, object_id)
            if obj is None:
                raise Http404
        if not can_work_on(request.user, self.kind, obj):
            raise Http404
        return obj

    def form_text(self, request, obj):
        """The writer's fields of the posted form: {name: value or [values]} (buttons and tokens left out)."""
        names = set(self.get_form(request, obj).base_fields)
        data = {}
        for name, values in request.POST.lists():
            if name in NOT_TEXT or name.startswith("_"):
                continue
            if name in names or name.rsplit("_", 1)[0] in names:  # a split date's _0 and _1
                data[name] = values[0] if len(values) == 1 else values
        return data

    # The endpoints.

    def autosave_view(self, request, object_id=None):
        if request.method != "POST":
            return JsonResponse({"detail": _("Use POST.")}, status=405)
        obj = self._workable(request, object_id)
        try:
            autosave = autosave_save(
                by=request.user,
                kind=self.kind,
                obj=obj,
                data=self.form_text(request, obj),
                base_version=request.POST.get(VERSION_FIELD, ""),
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            return JsonResponse({"errors": error.messages}, status=400)
        when = formats.time_format(timezone.localtime(autosave.saved_at), "H:i")
        return JsonResponse({"saved_at": autosave.saved_at.isoformat(), "time": when})

    def autosave_discard_view(self, request, object_id=None):
        if request.method != "POST":
            return JsonResponse({"detail": _("Use POST.")}, status=405)
        obj = self._workable(request, object_id)
        autosave_discard(by=request.user, kind=self.kind, obj=obj)
        if request.headers.get("X-Requested-With") == "fetch":
            return JsonResponse({"discarded": True})
        # Without JavaScript, the notice's button posts here: back to the form.
        return redirect(self._form_url(obj))

    def presence_view(self, request, object_id):
        if request.method != "POST":
            return JsonResponse({"detail": _("Use POST.")}, status=405)
        obj = self._workable(request, object_id)
        others = presence_beat(self.kind, obj.pk, request.user, person_name(request.user))
        return JsonResponse({"others": others, "message": self._presence_message(others)})

    def _presence_message(self, others):
        if self.kind == "post":
            line = _("%(name)s is editing this post since %(time)s")
        else:
            line = _("%(name)s is editing this page since %(time)s")
        return [line % {"name": other["name"], "time": other["since"]} for other in others]

    def _form_url(self, obj):
        info = self.opts.app_label, self.opts.model_name
        if obj is None:
            return reverse("admin:{}_{}_add".format(*info))
        return reverse("admin:{}_{}_change".format(*info), args=[obj.pk])

    # The forms.

    def _desk_context(self, request, obj):
        """
        What the form's desk needs. On a POST (the context is for the form shown again with
        its errors) the version stays the one the writer loaded, so the check still applies
        to the next try; the notice and the presence are for a form just opened.
        """
        info = self.opts.app_label, self.opts.model_name
        args = [obj.pk] if obj is not None else []
        suffix = "" if obj is not None else "_new"
        opened = request.method == "GET"
        context = {
            "version_field": VERSION_FIELD,
            "version": version_of(obj) if opened else request.POST.get(VERSION_FIELD, ""),
            "autosave": None,
            "autosave_url": reverse("admin:{}_{}_autosave{}".format(*info, suffix), args=args),
            "discard_url": reverse("admin:{}_{}_autosave_discard{}".format(*info, suffix), args=args),
            "autosave_seconds": autosave_seconds(),
            # Filled in by the script with the time the server answers.
            "saved_label": _("Autosaved at %(time)s"),
            "presence_url": "",
            "others": [],
        }
        if obj is not None:
            context["presence_url"] = reverse("admin:{}_{}_presence".format(*info), args=args)
            context["heartbeat_seconds"] = heartbeat_seconds()
        if not opened:
            return {"desk": context}
        autosave = context["autosave"] = pending_autosave(request.user, self.kind, obj)
        if autosave is not None:
            # What "restore" puts in the form: every field, or after others saved meanwhile
            # only the text fields this writer changed (the rest stays as saved since).
            changed = changes_since(obj, autosave.base_version) if obj is not None else None
            context["changed_meanwhile"] = changed
            fields = autosave.data if changed is None else typed_over(autosave.data, changed["loaded"])
            context["offered"] = {"fields": fields, "complete": changed is None}
            # Readable without the script: the texts that matter most, under their labels.
            context["autosaved_texts"] = [
                (self.opts.get_field(name).verbose_name, autosave.data[name])
                for name in ("title", "excerpt", "body")
                if autosave.data.get(name) and any(field.name == name for field in self.opts.fields)
            ]
        if obj is not None:
            # Opening the form counts as a heartbeat: seen by others even before the script runs.
            others = presence_beat(self.kind, obj.pk, request.user, person_name(request.user))
            context["others"] = self._presence_message(others)
        return {"desk": context}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and self.has_change_permission(request, obj):
            extra_context = {**(extra_context or {}), **self._desk_context(request, obj)}
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        if self.has_add_permission(request):
            extra_context = {**(extra_context or {}), **self._desk_context(request, None)}
        return super().add_view(request, form_url, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleVersion as stale:
            return self._refuse(request, stale)

    def _refuse(self, request, stale):
        """A save from an old version: keep the text as an autosave and go back to the form."""
        obj = type(stale.obj).objects.get(pk=stale.obj.pk)
        autosave_save(
            by=request.user,
            kind=self.kind,
            obj=obj,
            data=self.form_text(request, obj),
            base_version=stale.expected,
            refused=True,
        )
        changed = changes_since(obj, stale.expected) or {"by": "—", "time": ""}
        messages.error(
            request,
            _(
                "Not saved: %(name)s saved this since you opened it (at %(time)s). Your text is "
                "kept as an autosave: compare, then restore it into the form below."
            )
            % {"name": changed["by"], "time": changed["time"]},
        )
        return redirect(self._form_url(obj))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Saved: the autosave has done its work (for a new one, the "new" autosave).
        autosave_discard(by=request.user, kind=self.kind, obj=obj if change else None)
