"""
From an event to its deliveries: one row per endpoint that wants the event,
created pending with a not-before time (the debounce), and a task for that time.
A later event about the same object for the same endpoint, while its delivery has
not been attempted yet, folds into it (its payload becomes the latest).
"""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.links import absolute_url

from .models import Delivery, Endpoint
from .tasks import deliver

logger = logging.getLogger(__name__)


def payload_for(event, build, at):
    fields = dict(build())
    for holder in (fields, fields.get("post") or {}):
        path = holder.pop("path", None)
        if path is not None:
            holder["url"] = absolute_url(path)
    return {"event": event, **fields, "time": at.isoformat()}


def can_wait():
    return deliver.get_backend().supports_defer


def record(event, subject, build, *, at):
    endpoints = [endpoint for endpoint in Endpoint.objects.filter(active=True) if endpoint.wants(event)]
    if not endpoints:
        return []
    payload = payload_for(event, build, at)
    debounce = settings.PLUME_WEBHOOK_DEBOUNCE_SECONDS if can_wait() else 0
    made = []
    for endpoint in endpoints:
        if debounce and fold(endpoint, event, subject, payload):
            continue
        delivery = Delivery.objects.create(
            endpoint=endpoint,
            event=event,
            subject=subject,
            payload=payload,
            next_attempt_at=timezone.now() + timedelta(seconds=debounce),
        )
        made.append(delivery)
        transaction.on_commit(partial(schedule, delivery), robust=True)
    return made


def fold(endpoint, event, subject, payload):
    """Put `payload` in the delivery of this event about this object still waiting for its first attempt."""
    waiting = Delivery.objects.filter(
        endpoint=endpoint, event=event, subject=subject, status=Delivery.Status.PENDING, attempts=0
    )
    # Conditional: a worker that claimed it meanwhile (attempts 1) makes this a new delivery.
    return bool(waiting.update(payload=payload, folded=F("folded") + 1))


def schedule(delivery):
    """Enqueue the attempt at `delivery.next_attempt_at`; a queue that is down leaves it pending, logged."""
    try:
        if can_wait() and delivery.next_attempt_at > timezone.now():
            deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery_id=delivery.pk)
        else:
            deliver.enqueue(delivery_id=delivery.pk)
    except Exception:
        logger.exception("Webhook delivery %s could not be queued; resend it from the admin", delivery.pk)


def resend(delivery):
    """A new delivery of `delivery`'s payload, attempted at once, with its own id and log."""
    again = Delivery.objects.create(
        endpoint=delivery.endpoint,
        event=delivery.event,
        subject=delivery.subject,
        payload=delivery.payload,
        next_attempt_at=timezone.now(),
        resent_from=delivery,
    )
    # After commit: a worker must find the row.
    transaction.on_commit(partial(schedule, again), robust=True)
    return again
