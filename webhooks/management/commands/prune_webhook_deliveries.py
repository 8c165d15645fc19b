from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from webhooks.models import Delivery


class Command(BaseCommand):
    help = _(
        "Delete the webhook deliveries that were sent or given up more than --days days ago "
        "(30 by default); those still waiting are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help=_("Age in days (at least 1)."))

    def handle(self, *args, days, **options):
        if days < 1:
            raise CommandError(_("--days must be at least 1."))
        done = Delivery.objects.filter(
            status__in=[Delivery.Status.SUCCEEDED, Delivery.Status.FAILED],
            created_at__lt=timezone.now() - timedelta(days=days),
        )
        deleted, _by_model = done.delete()
        self.stdout.write(_("%(count)d webhook delivery(ies) deleted.") % {"count": deleted})
