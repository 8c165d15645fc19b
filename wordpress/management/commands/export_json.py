import os
import tempfile

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wordpress.json_export import json_export


class Command(BaseCommand):
    help = (
        "Export the whole site as one JSON file, for other tools: authors, categories, tags, posts and "
        "pages with every status, comments with their threads, redirects."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the JSON file (“-” for the standard output).")
        parser.add_argument(
            "--include-emails",
            action="store_true",
            help="Include commenters’ e-mail addresses and IPs (personal data: left out by default).",
        )

    def handle(self, *args, file, include_emails=False, **options):
        if file == "-":
            json_export(out=self.stdout, include_emails=include_emails)
            return
        directory = os.path.dirname(os.path.abspath(file))
        if os.path.isdir(file):
            raise CommandError(_("%(path)s is a directory: give a file name.") % {"path": file})
        if not os.path.isdir(directory):
            raise CommandError(_("The folder %(path)s does not exist.") % {"path": directory})
        # Written beside its destination, then renamed: a failed export leaves no half file behind.
        try:
            handle, temporary = tempfile.mkstemp(dir=directory, prefix=".export-", suffix=".json")
        except OSError as error:
            raise CommandError(
                _("Cannot write to %(path)s: %(error)s") % {"path": directory, "error": error.strerror}
            ) from None
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                counts = json_export(out=out, include_emails=include_emails)
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
