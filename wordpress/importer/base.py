"""What every part of an import shares: the report, the outcome book-keeping and field checks."""

import functools
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db.models import Model
from django.db.models.expressions import DatabaseDefault
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from comments.models import Comment
from core.text import repair

from ..wxr import WxrError

IMPORT_KINDS = ("authors", "categories", "tags", "posts", "pages", "comments", "redirects")
UNTITLED_WORDS = 8
SLUG_RE = re.compile(r"^[-\w]+\Z")
COMMENT_STATUSES = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
    "post-trashed": Comment.Status.TRASH,
}
COMMENT_KINDS = {
    "": Comment.Kind.COMMENT,
    "comment": Comment.Kind.COMMENT,
    "pingback": Comment.Kind.PINGBACK,
    "trackback": Comment.Kind.TRACKBACK,
}
FALLBACK_AUTHOR_LOGIN = "wordpress"
OUTCOME_RANK = {"skipped": 0, "updated": 1, "created": 2}


@dataclass
class KindCounts:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    repaired: int = 0  # text fields whose mojibake was repaired


@dataclass
class ImportReport:
    """What an import did (or would do, on a dry run), per kind of object."""

    dry_run: bool = False
    counts: dict = field(default_factory=lambda: {kind: KindCounts() for kind in IMPORT_KINDS})
    warnings: list = field(default_factory=list)
    # Private and password-protected items, imported as drafts: someone should decide about them.
    drafted: list = field(default_factory=list)
    # WordPress item types Plume has no place for (attachments, menus…), with how many were left out.
    ignored: dict = field(default_factory=dict)

    def warn(self, message):
        self.warnings.append(message)


class ImportBase:
    def record(self, kind, key, outcome):
        current = self.outcomes[kind].get(key)
        if current is None or OUTCOME_RANK[outcome] > OUTCOME_RANK[current]:
            self.outcomes[kind][key] = outcome

    def skip(self, kind, count=1):
        """Something of the file left out, that no object stands for."""
        self.report.counts[kind].skipped += count

    def fit(self, value, max_length, label):
        """`value` cut to `max_length` characters if it must be, and the cut reported."""
        if len(value) <= max_length:
            return value
        cut = Truncator(value).chars(max_length)
        self.report.warn(
            _("Cut to fit: %(label)s had %(length)s characters, more than the %(max)s kept: “%(cut)s”.")
            % {"label": label, "length": len(value), "max": max_length, "cut": cut}
        )
        return cut

    def repaired(self, kind, text):
        text = text or ""
        fixed = repair(text)
        if fixed != text:
            self.report.counts[kind].repaired += 1
        return fixed

    def valid_email(self, value, label):
        if not value:
            return ""
        try:
            validate_email(value)
        except ValidationError:
            self.report.warn(
                _("The e-mail address “%(value)s” of %(label)s is not valid: left out.")
                % {"value": value, "label": label}
            )
            return ""
        return value

    def valid_url(self, value, label):
        if not value or value in ("http://", "https://"):
            return ""
        try:
            URLValidator()(value)
            if len(value) > 500:
                raise ValidationError("too long")
        except ValidationError:
            self.report.warn(
                _("The address “%(value)s” of %(label)s is not valid: left out.")
                % {"value": value, "label": label}
            )
            return ""
        return value

    @staticmethod
    def assign(obj, values):
        """Set the values that differ; True when any did."""
        changed = False
        for name, value in values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed = True
        return changed

    def save(self, obj, *, label):
        self.clean(obj, exclude=self.relations(type(obj)), label=label)
        obj.save()

    @staticmethod
    @functools.cache
    def relations(model):
        # Relations were resolved from what was loaded: validating them would query each.
        return [f.name for f in model._meta.get_fields() if f.is_relation]

    @staticmethod
    def clean(obj, *, exclude, label):
        """
        Validate `obj`'s fields as `full_clean` does (but uniqueness, settled in memory from
        ids, logins and slugs, which asking the database again would cost a query per row),
        without its per-call overhead; anything invalid refuses the import with a report.
        A comment's body is kept whole even past the comment form's limit.
        """
        errors = {}
        for model_field in ImportBase.checked_fields(type(obj), tuple(exclude)):
            raw = getattr(obj, model_field.attname)
            if (model_field.blank and raw in model_field.empty_values) or isinstance(raw, DatabaseDefault):
                continue
            try:
                setattr(obj, model_field.attname, model_field.clean(raw, obj))
            except ValidationError as error:
                errors[model_field.name] = error.error_list
        if type(obj).clean is not Model.clean:  # as full_clean, even when a field is invalid
            try:
                obj.clean()
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            details = "; ".join(
                f"{name}: {' '.join(messages)}"
                for name, messages in ValidationError(errors).message_dict.items()
            )
            raise WxrError(
                _("“%(label)s” cannot be imported: %(details)s") % {"label": label, "details": details}
            ) from None

    @staticmethod
    @functools.cache
    def checked_fields(model, exclude):
        """The fields `clean` validates: what `Model.clean_fields` would, but `exclude`."""
        exclude = {*exclude, "body"} if model is Comment else set(exclude)
        return [field for field in model._meta.fields if field.name not in exclude and not field.generated]
