from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "plume.api"
    label = "plume_api"
    verbose_name = "API"

    def ready(self):
        from plume import changes

        # Every content change, once, to everything that depends on it (plume/changes.py).
        changes.wire()
