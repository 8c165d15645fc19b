"""What export_wordpress and export_json share: a file written whole or not at all, the summary."""

import os
import tempfile

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class ExportCommand(BaseCommand):
    """A subclass names `kind` (the file's, for the help), `suffix`, and `export(out, include_emails)`."""

    kind = ""
    suffix = ""

    def export(self, *, out, include_emails):
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help=f"Where to write the {self.kind} file (“-” for the standard output)."
        )
        parser.add_argument(
            "--include-emails",
            action="store_true",
            help="Include commenters’ e-mail addresses and IPs (personal data: left out by default).",
        )

    def handle(self, *args, file, include_emails=False, **options):
        if file == "-":
            self.export(out=self.stdout, include_emails=include_emails)
            return
        directory = os.path.dirname(os.path.abspath(file))
        if os.path.isdir(file):
            raise CommandError(_("%(path)s is a directory: give a file name.") % {"path": file})
        if not os.path.isdir(directory):
            raise CommandError(_("The folder %(path)s does not exist.") % {"path": directory})
        # Written beside its destination, then renamed: a failed export leaves no half file behind.
        try:
            handle, temporary = tempfile.mkstemp(dir=directory, prefix=".export-", suffix=self.suffix)
        except OSError as error:
            raise CommandError(
                _("Cannot write to %(path)s: %(error)s") % {"path": directory, "error": error.strerror}
            ) from None
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                counts = self.export(out=out, include_emails=include_emails)
            os.chmod(temporary, 0o644)
            os.replace(temporary, file)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(path)s: %(error)s") % {"path": file, "error": error.strerror}
            ) from None
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Exported to %(file)s: %(authors)s authors, %(categories)s categories, %(tags)s tags, "
                    "%(posts)s posts, %(pages)s pages, %(comments)s comments."
                )
                % {"file": file, **counts}
            )
        )
        if not include_emails:
            self.stdout.write(_("Commenters’ e-mail addresses and IPs were left out (--include-emails)."))
