from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from blog.services import revisions_prune


class Command(BaseCommand):
    help = _(
        "Delete old revisions of posts and pages, keeping for each its last N revisions and every "
        "published version (N: --keep, or the PLUME_REVISIONS_KEEP setting; 0 there keeps them all)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep", type=int, help=_("How many of the latest revisions to keep (at least 1).")
        )

    def handle(self, *args, keep=None, **options):
        if keep is None:
            keep = settings.PLUME_REVISIONS_KEEP
            if not keep:
                self.stdout.write(_("PLUME_REVISIONS_KEEP is 0: every revision is kept."))
                return
        try:
            deleted = revisions_prune(keep=keep)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(_("%(count)d revision(s) deleted.") % {"count": deleted})
