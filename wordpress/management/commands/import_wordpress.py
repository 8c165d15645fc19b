from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy
from tqdm import tqdm

from core.management.tables import write_table
from wordpress.importer import IMPORT_KINDS, WxrError, wordpress_import

KIND_LABELS = {
    "authors": pgettext_lazy("import report", "Authors"),
    "categories": pgettext_lazy("import report", "Categories"),
    "tags": pgettext_lazy("import report", "Tags"),
    "posts": pgettext_lazy("import report", "Posts"),
    "pages": pgettext_lazy("import report", "Pages"),
    "comments": pgettext_lazy("import report", "Comments"),
    "redirects": pgettext_lazy("import report", "Redirects"),
}


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR file): authors, categories, tags, posts, pages and comments, "
        "with the old addresses redirected. Running it again updates what changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The WXR file: WordPress, Tools → Export.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Do everything and print the report, then roll back: nothing is saved.",
        )
        parser.add_argument(
            "--default-author",
            metavar="SLUG",
            help="Slug of the author given the posts that have none (default: a “WordPress” author).",
        )

    def handle(self, *args, file, dry_run=False, default_author=None, **options):
        bar = None
        progress = None
        if self.stdout.isatty():
            bar = tqdm(unit="B", unit_scale=True, desc=_("Importing"), leave=False)

            def progress(position, size):
                bar.total = size
                bar.update(position - bar.n)

        try:
            report = wordpress_import(
                path=file, dry_run=dry_run, default_author=default_author, progress=progress
            )
        except WxrError as error:
            raise CommandError(str(error)) from None
        except DatabaseError as error:
            raise CommandError(
                _("The database refused the import, nothing was saved: %(error)s") % {"error": error}
            ) from None
        finally:
            if bar is not None:
                bar.close()
        self.print_report(report, file)

    def print_report(self, report, file):
        write = self.stdout.write
        if report.dry_run:
            write(
                self.style.WARNING(
                    _("Dry run of the import of %(file)s: nothing was saved.") % {"file": file}
                )
            )
        else:
            write(self.style.SUCCESS(_("Imported %(file)s.") % {"file": file}))
        headers = [
            "",
            pgettext("import report", "created"),
            pgettext("import report", "updated"),
            pgettext("import report", "skipped"),
            pgettext("import report", "repaired"),
        ]
        rows = [
            [str(KIND_LABELS[kind]), *map(str, (c.created, c.updated, c.skipped, c.repaired))]
            for kind, c in ((kind, report.counts[kind]) for kind in IMPORT_KINDS)
        ]
        write_table(write, headers, rows)
        write(_("Skipped: unchanged or left out. Repaired: text fields whose encoding was fixed."))
        if report.ignored:
            left_out = ", ".join(f"{name} × {count}" for name, count in sorted(report.ignored.items()))
            write(_("Not imported (Plume has no place for them): %(items)s") % {"items": left_out})
        if report.drafted:
            write(self.style.WARNING(_("Imported as drafts, to review before publishing:")))
            for line in report.drafted:
                write(f"  - {line}")
        if report.warnings:
            write(self.style.WARNING(_("Warnings (%(count)s):") % {"count": len(report.warnings)}))
            for line in report.warnings:
                write(f"  - {line}")
