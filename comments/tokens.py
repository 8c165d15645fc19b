"""
The comment form's token: the fields a client sends back unchanged with a
comment. A timestamp and a random nonce, signed together with the post's id:
the time cannot be backdated (the minimum-age rule), each form has its own
token, and a token is remembered once used (`Comment.form_token`).

A token serves once per reader: a page kept by a shared cache (Varnish, a CDN)
hands one token to every anonymous reader for minutes, so what is remembered is
the nonce with a short keyed hash of what is stored of the sender anyway (the
truncated address and the browser's name). A client replaying its token is
refused; another reader of the same cached page is not.
"""

import secrets

from django.core import signing
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from .content import content_label

TOKEN_SALT = "comments.form-token"  # noqa: S105 (an HMAC salt, not a secret)
TOKEN_NONCE_BYTES = 16
USED_TOKEN_SENDER_CHARS = 8


def _token_hash(post_id, timestamp, nonce):
    return salted_hmac(TOKEN_SALT, f"{post_id}:{timestamp}:{nonce}").hexdigest()


def comment_form_token(*, post, now=None):
    """
    The fields a client must send back unchanged with a comment: when the form
    was served and a random nonce, signed together (so the time cannot be
    backdated and each form's token is its own, usable once), and the empty
    honeypot. The nonce travels inside `security_hash` ("nonce:signature").
    """
    timestamp = str(int((now or timezone.now()).timestamp()))
    nonce = secrets.token_hex(TOKEN_NONCE_BYTES)
    security_hash = f"{nonce}:{_token_hash(content_label(post), timestamp, nonce)}"
    return {"timestamp": timestamp, "security_hash": security_hash, "honeypot": ""}


def token_nonce(*, post, token):
    """The nonce of a genuine token for `post`, or None when the token is missing or forged."""
    timestamp = str(token.get("timestamp") or "")
    nonce, _sep, signature = str(token.get("security_hash") or "").partition(":")
    if not (timestamp.isdigit() and len(nonce) == 2 * TOKEN_NONCE_BYTES and signature):
        return None
    if not constant_time_compare(signature, _token_hash(content_label(post), timestamp, nonce)):
        return None
    return nonce


def used_token_key(*, nonce, truncated_ip, user_agent):
    """What `Comment.form_token` keeps of a used token: nothing not already stored on the comment."""
    sender = salted_hmac(TOKEN_SALT, f"{nonce}:{truncated_ip or ''}:{user_agent or ''}").hexdigest()
    return f"{nonce}:{sender[:USED_TOKEN_SENDER_CHARS]}"


def token_age(*, post, token, now=None):
    """Seconds since the form was served, or None when the token is missing or forged."""
    if token_nonce(post=post, token=token) is None:
        return None
    return (now or timezone.now()).timestamp() - int(token["timestamp"])


# A reader's own comment ------------------------------------------------------------------
#
# The writer of a comment may edit or delete it for COMMENTS_EDIT_WINDOW seconds: the site keeps
# its edit token in a cookie of the browser that sent it, the API hands it to the client that
# did. The token names one comment and when it was posted, signed: it proves nothing about
# another comment, and a comment posted again under the same id (never: ids are not reused)
# would not match it either.

EDIT_TOKEN_SALT = "comments.edit-token"  # noqa: S105 (an HMAC salt, not a secret)


def _edit_value(comment):
    return f"{comment.pk}.{int(comment.created_at.timestamp())}"


def comment_edit_token(comment):
    """The token that lets the writer of `comment` edit or delete it."""
    return signing.Signer(salt=EDIT_TOKEN_SALT).sign(_edit_value(comment))


def edit_token_matches(comment, token):
    """Whether `token` is the genuine edit token of `comment` (not whether it is still in time)."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return False
    try:
        value = signing.Signer(salt=EDIT_TOKEN_SALT).unsign(token)
    except signing.BadSignature:
        return False
    return constant_time_compare(value, _edit_value(comment))


def edit_token_comment_id(token):
    """The comment id a genuine edit token names, or None."""
    try:
        value = signing.Signer(salt=EDIT_TOKEN_SALT).unsign(token)
    except (signing.BadSignature, TypeError):
        return None
    pk, _sep, _posted = value.partition(".")
    return int(pk) if pk.isdigit() else None
