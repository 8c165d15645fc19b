"""Helpers for the comment tests: a valid submission, and the comment section rendered alone."""

from datetime import timedelta
from html.parser import HTMLParser

from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from comments.moderation import comment_form_token
from comments.services import RequestMeta, comment_submit

READER_META = RequestMeta(remote_addr="203.0.113.57", user_agent="Mozilla/5.0 (Test)")


def aged_token(post, seconds=30):
    """A form token as if the form had been shown `seconds` ago."""
    return comment_form_token(post=post, now=timezone.now() - timedelta(seconds=seconds))


def comment_data(post, **overrides):
    data = {
        "author_name": "Zoé Martin",
        "author_email": "zoe@example.net",
        "author_url": "https://zoe.example.net/",
        "body": "Très bel article, merci !",
        "parent": None,
        **aged_token(post),
    }
    data.update(overrides)
    return data


def submit(post, *, ip="203.0.113.57", user=None, **overrides):
    return comment_submit(
        post=post,
        data=comment_data(post, **overrides),
        request_meta=RequestMeta(remote_addr=ip, user_agent="Mozilla/5.0 (Test)"),
        user=user,
    )


def send_form(client, post, ip="203.0.113.57", **overrides):
    """The "Leave a comment" form, filled in and sent by `client` from the address `ip`."""
    data = {key: value for key, value in comment_data(post, **overrides).items() if value is not None}
    return client.post(reverse("comments:post", args=[post.pk]), data, REMOTE_ADDR=ip)


def render_section(post, *, user=None, session=None, query=None, cookies=None, extra=None):
    """`{% comment_section post %}` as the post page renders it, for one reader."""
    request = RequestFactory().get(post.get_absolute_url(), query or {})
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    for key, value in (session or {}).items():
        request.session[key] = value
    request.COOKIES.update(cookies or {})
    template = Template("{% load comments_tags %}{% comment_section post %}")
    return template.render(RequestContext(request, {"post": post, **(extra or {})}))


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def markup(html):
    """The elements of `html` as a browser would build them: [(tag, {attr: value})]."""
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser.tags


def dangerous_markup(html):
    """Script elements, event handler attributes and javascript: URLs that `html` really contains."""
    found = []
    for tag, attrs in markup(html):
        if tag in ("script", "iframe", "object", "embed") or (tag == "img" and "src" in attrs):
            found.append(tag)
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"{tag}[{name}]")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                found.append(f"{tag}[{name}={value}]")
    return found
