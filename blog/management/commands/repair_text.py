from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from blog.services import REPAIR_KINDS, text_repair

KIND_LABELS = {
    "posts": pgettext_lazy("import report", "Posts"),
    "pages": pgettext_lazy("import report", "Pages"),
    "comments": pgettext_lazy("import report", "Comments"),
    "authors": pgettext_lazy("import report", "Authors"),
}


class Command(BaseCommand):
    help = gettext_lazy(
        "Repair mojibake (“dĂ©jĂ ” for “déjà”) in the posts, pages, comments and author bios already stored."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("Count what would be repaired; save nothing.")
        )

    def handle(self, *args, dry_run=False, **options):
        report = text_repair(dry_run=dry_run)
        write = self.stdout.write
        if dry_run:
            write(self.style.WARNING(_("Dry run: nothing was saved.")))
        headers = [
            "",
            pgettext("repair report", "checked"),
            pgettext("repair report", "repaired"),
            pgettext("repair report", "fields"),
        ]
        rows = [[str(KIND_LABELS[kind]), *map(str, report.counts[kind])] for kind in REPAIR_KINDS]
        widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
        for row in [headers, *rows]:
            write(
                "  ".join(
                    [row[0].ljust(widths[0])]
                    + [cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)]
                )
            )
