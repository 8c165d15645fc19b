"""
How the comments app sends an e-mail to a person: built here, recorded (`SentEmail`, part of
the recipient's personal data), delivered by the background-work engine (`core.mail`).
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from core.models import SiteSettings

from ..models import SentEmail

logger = logging.getLogger(__name__)


def one_line(text):
    """No line break may reach a header (a post title can hold one)."""
    return " ".join(str(text).split())


def render_email(template, context):
    """Subject and body of `templates/comments/email/<template>.txt`, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {"site_name": SiteSettings.objects.current().site_name, **context}
        subject = one_line(render_to_string(f"comments/email/{template}_subject.txt", context))
        body = render_to_string(f"comments/email/{template}.txt", context)
    return subject[:255], body


def unsubscribe_headers(unsubscribe_url):
    """RFC 2369 and RFC 8058: mail programs offer their own "unsubscribe" button, one POST away."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def send_logged(*, kind, to, subject, body, comment=None, subscription=None, headers=None):
    """
    Record and send one e-mail to `to`. Returns 1 when it was handed to the mail engine, 0
    when it could not be: a failing mail or database step is logged, never raised, so that a
    comment or a moderation never fails because of an e-mail.
    """
    try:
        with transaction.atomic():  # a failure undoes the record alone, not the caller's work
            SentEmail.objects.create(
                email=to, kind=kind, subject=subject, comment=comment, subscription=subscription
            )
            message = EmailMessage(
                subject, body, None, [to], headers={"Auto-Submitted": "auto-generated", **(headers or {})}
            )
            return message.send()
    except Exception:
        logger.exception("Could not send the %s e-mail about comment %s", kind, getattr(comment, "pk", None))
        return 0
