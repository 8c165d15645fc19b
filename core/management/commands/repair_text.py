from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.management.tables import write_table
from core.text import repairables, text_repair


class Command(BaseCommand):
    help = (
        "Repair mojibake (“dĂ©jĂ ” for “déjà”) in the posts, pages, comments and author bios already stored."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be repaired; save nothing."
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
        rows = [[str(item.label), *map(str, report.counts[item.kind])] for item in repairables]
        write_table(write, headers, rows)
