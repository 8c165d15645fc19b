"""
The optional Akismet rule, beside the local spam score: off unless COMMENTS_AKISMET_API_KEY is
set (it is not by default).

Asking Akismet means sending Automattic, in the United States, each comment with its writer's
name, e-mail address, website, IP address and browser: personal data leaving the European Union,
which the site's privacy policy must then say. The local score (`comments.spam_filter`) sends
nothing to anyone.

Akismet only ever says "spam": its "not spam" is no verdict, and the next rules decide. Its
answer is awaited COMMENTS_AKISMET_TIMEOUT seconds at most; a timeout, a refused connection, an
HTTP error or an answer that is neither "true" nor "false" (an invalid key) is logged and is no
verdict either: Akismet never blocks or loses a comment.
"""

import logging
import urllib.error
import urllib.request
from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext as _

from core.links import absolute_url

from .moderation import Verdict

logger = logging.getLogger(__name__)

RULE_NAME = "akismet"
USER_AGENT = "Plume/1.0 | Akismet rule"


def akismet_fields(submission):
    """What Akismet's comment-check is sent about `submission` (its API's field names)."""
    post = submission.post
    return {
        "api_key": settings.COMMENTS_AKISMET_API_KEY,
        "blog": absolute_url("/"),
        "permalink": absolute_url(post.get_absolute_url()),
        "user_ip": submission.client_address or submission.ip_address or "",
        "user_agent": submission.user_agent,
        "comment_type": "comment",
        "comment_author": submission.author_name,
        "comment_author_email": submission.author_email,
        "comment_author_url": submission.author_url,
        "comment_content": submission.body,
        "comment_date_gmt": submission.now.isoformat(),
        "blog_lang": settings.LANGUAGE_CODE,
        "blog_charset": "UTF-8",
    }


def comment_check(fields):
    """Akismet's answer: True (spam), False (not spam) or None (no answer, for whatever reason)."""
    request = urllib.request.Request(  # noqa: S310 (the endpoint is a setting, http(s) by its check)
        settings.COMMENTS_AKISMET_ENDPOINT,
        data=urlencode(fields).encode(),
        headers={"User-Agent": USER_AGENT, "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.COMMENTS_AKISMET_TIMEOUT) as response:  # noqa: S310
            answer = response.read(64).decode("ascii", "replace").strip()
    except (OSError, ValueError, urllib.error.URLError) as error:  # timeouts are OSError
        logger.warning("Akismet gave no answer (%s): the other rules decide.", error)
        return None
    if answer in ("true", "false"):
        return answer == "true"
    logger.warning("Akismet answered %r (an invalid key?): the other rules decide.", answer[:20])
    return None


def akismet(submission):
    """Spam when Akismet says so; no opinion otherwise (or when no key is set)."""
    if not settings.COMMENTS_AKISMET_API_KEY:
        return None
    endpoint = settings.COMMENTS_AKISMET_ENDPOINT
    if not endpoint.startswith(("https://", "http://")):
        logger.warning("COMMENTS_AKISMET_ENDPOINT is not an http(s) address: Akismet is not asked.")
        return None
    if comment_check(akismet_fields(submission)):
        return Verdict.spam(_("Akismet took it for spam."))
    return None


akismet.rule_name = RULE_NAME
