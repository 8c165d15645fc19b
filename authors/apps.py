from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuthorsConfig(AppConfig):
    name = "authors"
    verbose_name = _("Authors")

    def ready(self):
        from django.utils.translation import pgettext_lazy

        from core.text import register_repairable

        from .models import Author

        register_repairable(
            "authors",
            pgettext_lazy("import report", "Authors"),
            Author,
            ("display_name", "role_title", "bio"),
        )
