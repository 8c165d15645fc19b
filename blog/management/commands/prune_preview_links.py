from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from blog.services import preview_links_prune


class Command(BaseCommand):
    help = _(
        "Delete the preview links that expired or were revoked more than --days days ago "
        "(30 by default); links still open are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help=_("Age in days (at least 1)."))

    def handle(self, *args, days, **options):
        try:
            deleted = preview_links_prune(days=days)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(_("%(count)d preview link(s) deleted.") % {"count": deleted})
