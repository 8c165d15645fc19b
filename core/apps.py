from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The tools every app uses; it imports Django and libraries only, never another app."""

    name = "core"
    verbose_name = "Plume"
