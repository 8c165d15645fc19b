"""
The delivery task: one attempt, logged on the delivery; a failure (an answer that is
not 2xx, a timeout, a refused connection) is tried again later, at the delays of
PLUME_WEBHOOK_RETRY_SECONDS (30 s, 2 min, 10 min, 1 h, 3 h, 6 h, 12 h: about a day),
then the delivery is failed. The admin's "Resend" makes a new one.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from .delivery import attempt
from .models import Delivery

logger = logging.getLogger(__name__)

# A task run this early (clocks of worker and web server) still counts as on time.
EARLY_TOLERANCE = timedelta(seconds=2)


@task()
def deliver(*, delivery_id):
    """Attempt `delivery_id` if it is due and still to send; "sent", "retrying", "failed" or "skipped"."""
    delivery = Delivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    waiting = (Delivery.Status.PENDING, Delivery.Status.RETRYING)
    now = timezone.now()
    if delivery is None or delivery.status not in waiting:
        return "skipped"  # sent, given up, or deleted with its endpoint
    if delivery.next_attempt_at and delivery.next_attempt_at > now + EARLY_TOLERANCE:
        return "skipped"  # a run for an earlier schedule: the task for this one is queued
    # Claim this attempt: of two workers, one goes on; saves folding into it stop now.
    claimed = Delivery.objects.filter(pk=delivery.pk, status__in=waiting, attempts=delivery.attempts).update(
        attempts=F("attempts") + 1, last_attempt_at=now
    )
    if not claimed:
        return "skipped"
    delivery.refresh_from_db()
    endpoint = delivery.endpoint
    if not endpoint.active:
        return finish(delivery, Delivery.Status.FAILED, error="endpoint disabled")
    outcome = attempt(
        url=endpoint.url,
        secret=endpoint.secret,
        event=delivery.event,
        delivery_id=delivery.pk,
        payload=delivery.payload,
    )
    delivery.log = [
        *delivery.log,
        {
            "attempt": delivery.attempts,
            "at": now.isoformat(),
            "status": outcome.status,
            "error": outcome.error,
            "duration_ms": outcome.duration_ms,
        },
    ]
    delivery.response_code, delivery.response_body = outcome.status, outcome.body
    delivery.error, delivery.duration_ms = outcome.error, outcome.duration_ms
    if outcome.ok:
        delivery.delivered_at = timezone.now()
        logger.info("Webhook %s #%s delivered to %s", delivery.event, delivery.pk, endpoint.url)
        return finish(delivery, Delivery.Status.SUCCEEDED)
    delays = settings.PLUME_WEBHOOK_RETRY_SECONDS
    if not outcome.retry or delivery.attempts > len(delays) or not deliver.get_backend().supports_defer:
        logger.error(
            "Webhook %s #%s to %s failed after %d attempt(s), giving up: %s",
            delivery.event,
            delivery.pk,
            endpoint.url,
            delivery.attempts,
            outcome.error,
        )
        return finish(delivery, Delivery.Status.FAILED)
    delay = delays[delivery.attempts - 1]
    delivery.next_attempt_at = timezone.now() + timedelta(seconds=delay)
    finish(delivery, Delivery.Status.RETRYING)
    logger.warning(
        "Webhook %s #%s to %s failed (attempt %d: %s); next attempt in %d s",
        delivery.event,
        delivery.pk,
        endpoint.url,
        delivery.attempts,
        outcome.error,
        delay,
    )
    try:
        deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery_id=delivery.pk)
    except Exception:
        logger.exception("Webhook #%s: the retry could not be queued", delivery.pk)
    return "retrying"


def finish(delivery, status, error=None):
    delivery.status = status
    if error is not None:
        delivery.error = error
    delivery.save(
        update_fields=[
            "status",
            "log",
            "response_code",
            "response_body",
            "error",
            "duration_ms",
            "next_attempt_at",
            "delivered_at",
        ]
    )
    return {"succeeded": "sent"}.get(status, status)
