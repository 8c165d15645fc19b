import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from comments import services

ACTIONS = ("export", "erase")


class Command(BaseCommand):
    help = (
        "A commenter's personal data, by e-mail address (RGPD/GDPR): `export` prints every comment "
        "and stored datum as JSON; `erase` anonymizes them (the text is kept)."
    )

    def add_arguments(self, parser):
        # Checked in handle() rather than by argparse, so that bad input exits with code 1
        # and a sentence, like every other error of this command.
        parser.add_argument("action", nargs="?", help="export or erase")
        parser.add_argument("email", nargs="?", help="the commenter's e-mail address")

    def handle(self, *args, action, email, **options):
        if action not in ACTIONS:
            raise CommandError(
                f"Say what to do: `comments_personal_data export EMAIL` or `comments_personal_data erase "
                f"EMAIL` (got “{action or ''}”)."
            )
        email = (email or "").strip()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"“{email}” is not a valid e-mail address.") from error
        if action == "export":
            data = services.personal_data_export(email=email)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        count = services.personal_data_erase(email=email)
        if count:
            self.stdout.write(self.style.SUCCESS(f"{count} comment(s) by {email} anonymized."))
        else:
            self.stdout.write(f"No comment by {email}: nothing to erase.")
