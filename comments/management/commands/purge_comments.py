from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from comments import services


class Command(BaseCommand):
    help = (
        "Delete spam and trashed comments untouched for more than N days. Replies under a deleted "
        "comment are kept and moved up to its nearest remaining ancestor. Subscriptions to comments "
        "never confirmed within COMMENTS_SUBSCRIPTION_CONFIRM_DAYS days are deleted too."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            dest="days",
            metavar="N",
            help="Age in days (a whole number, at least 1) since the comment was marked spam or trashed.",
        )

    def handle(self, *args, days, **options):
        if days is None:
            raise CommandError("Say how old: `purge_comments --older-than N` (N days, at least 1).")
        try:
            days = int(days)
        except (TypeError, ValueError) as error:
            raise CommandError(f"--older-than expects a whole number of days, not “{days}”.") from error
        if days < 1:
            raise CommandError("--older-than expects at least 1 day.")
        count = services.comments_purge(older_than_days=days)
        self.stdout.write(self.style.SUCCESS(f"{count} spam or trashed comment(s) deleted."))
        dropped = services.subscriptions_purge_unconfirmed()
        self.stdout.write(
            self.style.SUCCESS(
                f"{dropped} subscription(s) not confirmed within "
                f"{settings.COMMENTS_SUBSCRIPTION_CONFIRM_DAYS} days deleted."
            )
        )
