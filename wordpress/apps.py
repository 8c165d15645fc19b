from django.apps import AppConfig


class WordPressConfig(AppConfig):
    """Everything WordPress: reading exports, converting their HTML, importing, old-URL redirects."""

    name = "wordpress"
    verbose_name = "WordPress"
