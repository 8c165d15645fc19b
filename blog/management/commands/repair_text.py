from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blog.services import REPAIR_KINDS, text_repair

KIND_LABELS = {
    "posts": gettext_lazy("Posts"),
    "pages": gettext_lazy("Pages"),
    "comments": gettext_lazy("Comments"),
    "authors": gettext_lazy("Authors"),
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
        headers = ["", _("checked"), _("repaired"), _("fields")]
        rows = [[str(KIND_LABELS[kind]), *map(str, report.counts[kind])] for kind in REPAIR_KINDS]
        widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
        for row in [headers, *rows]:
            write(
                "  ".join(
                    [row[0].ljust(widths[0])]
                    + [cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)]
                )
            )
