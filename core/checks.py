"""Plume's own deployment checks (`manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks

from .cache import is_per_process


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs=None, **kwargs):
    """Each process with a cache of its own hears of a change only when it made it itself."""
    if settings.DEBUG or not is_per_process():
        return []
    return [
        checks.Warning(
            "The cache is kept per process (local memory or none): with several workers, anonymous "
            "API answers and the menu may stay out of date for up to PLUME_API_CACHE_SECONDS after "
            "a change, and every worker keeps its own copy.",
            hint="Share one cache between every process: CACHE_URL=redis://host:6379/0.",
            id="plume.W001",
        )
    ]
