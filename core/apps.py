from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The tools every app uses; it imports Django and libraries only, never another app."""

    name = "core"
    verbose_name = "Plume"

    def ready(self):
        from . import checks  # noqa: F401 (registers the system checks)
