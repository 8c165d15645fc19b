from django.db import models


class ContentClock(models.Model):
    """When the public content last changed: one row, shared by every process (see core.api.caching)."""

    changed_at = models.DateTimeField()

    def __str__(self):
        return self.changed_at.isoformat()
