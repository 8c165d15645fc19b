"""
E-mail through the task queue: no request ever waits on an SMTP server.

`EMAIL_BACKEND = "core.mail.TaskEmailBackend"` makes every `send_mail`,
`send_mass_mail` and `EmailMessage.send()` enqueue one `send_email` task per
message, once the surrounding transaction commits. A worker sends it with the
backend EMAIL_URL names (`PLUME_EMAIL_DELIVERY_BACKEND`); a failure is retried
later with exponential backoff (`run_after`), `PLUME_EMAIL_MAX_ATTEMPTS` times
at most, each attempt logged.
"""

import base64
import logging
from datetime import timedelta
from email import message_from_bytes
from email.utils import formatdate, make_msgid
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import DNS_NAME
from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


class TaskEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            # After commit: a worker must never mail about a change that was rolled back.
            # robust: a queue that is down is logged, never turned into a failed request.
            transaction.on_commit(
                partial(send_email.enqueue, message=serialize(message), attempt=1), robust=True
            )
            count += 1
        return count


@task()
def send_email(*, message, attempt=1):
    """Send one serialized message with the real backend; on failure, try again later."""
    email = deserialize(message)
    try:
        sent = get_connection(settings.PLUME_EMAIL_DELIVERY_BACKEND).send_messages([email])
    except Exception as error:  # whatever the backend raises (refused, timeout, auth), retry
        if attempt >= settings.PLUME_EMAIL_MAX_ATTEMPTS or not send_email.get_backend().supports_defer:
            logger.error(
                "E-mail %r to %s not sent after %d attempt(s), giving up: %s",
                email.subject,
                ", ".join(email.recipients()),
                attempt,
                error,
            )
            raise
        delay = settings.PLUME_EMAIL_RETRY_SECONDS * 2 ** (attempt - 1)
        send_email.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            message=message, attempt=attempt + 1
        )
        logger.warning(
            "E-mail %r to %s failed (attempt %d of %d: %s); next attempt in %d s",
            email.subject,
            ", ".join(email.recipients()),
            attempt,
            settings.PLUME_EMAIL_MAX_ATTEMPTS,
            error,
            delay,
        )
        return 0
    logger.info("E-mail %r sent to %s (attempt %d)", email.subject, ", ".join(email.recipients()), attempt)
    return sent


def serialize(message):
    """A JSON-ready dict that `deserialize` turns back into the same message."""
    headers = dict(message.extra_headers)
    names = {name.lower() for name in headers}
    # Fixed now, so that every retry sends the same message (and servers can spot a duplicate).
    if "date" not in names:
        headers["Date"] = formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
    if "message-id" not in names:
        headers["Message-ID"] = make_msgid(domain=DNS_NAME)
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": str(message.from_email),
        "to": [str(address) for address in message.to],
        "cc": [str(address) for address in message.cc],
        "bcc": [str(address) for address in message.bcc],
        "reply_to": [str(address) for address in message.reply_to],
        "headers": {name: str(value) for name, value in headers.items()},
        "encoding": message.encoding,
        "content_subtype": message.content_subtype,
        "mixed_subtype": message.mixed_subtype,
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": [_attachment(attachment) for attachment in message.attachments],
    }


def deserialize(data):
    email = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    email.encoding = data["encoding"]
    email.content_subtype = data["content_subtype"]
    email.mixed_subtype = data["mixed_subtype"]
    for content, mimetype in data["alternatives"]:
        email.attach_alternative(content, mimetype)
    for attachment in data["attachments"]:
        if "mime" in attachment:
            email.attach(message_from_bytes(base64.b64decode(attachment["mime"])))
        else:
            content = attachment["content"]
            if attachment["binary"]:
                content = base64.b64decode(content)
            email.attach(attachment["filename"], content, attachment["mimetype"])
    return email


def _attachment(attachment):
    if not isinstance(attachment, tuple):  # a MIMEBase part, attached as is
        return {"mime": base64.b64encode(attachment.as_bytes()).decode("ascii")}
    filename, content, mimetype = attachment
    binary = isinstance(content, bytes)
    return {
        "filename": filename,
        "content": base64.b64encode(content).decode("ascii") if binary else content,
        "mimetype": mimetype,
        "binary": binary,
    }
