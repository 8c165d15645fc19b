"""The feed base every app's feeds build on: XML-safe generators, absolute links per request."""

import copy
import re
from xml.sax.saxutils import escape as escape_markup_characters

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from core.caching import cache_response
from core.links import absolute_url
from core.models import SiteSettings

# What XML 1.0 forbids: C0 control characters but tab and line breaks, and U+FFFE, U+FFFF.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value):
    """`value` (a string, or a list of them) without the characters XML cannot carry."""
    if isinstance(value, str):
        return XML_FORBIDDEN.sub("", value)
    if isinstance(value, list | tuple):
        return [xml_text(item) for item in value]
    return value


class XMLSafeFeedMixin:
    """
    A feed generator that drops the characters XML forbids from everything it is given:
    Django's refuses them with an exception, so one title or comment with a control
    character (pasted from a word processor, sent through the API) would break the feed.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*map(xml_text, args), **{key: xml_text(value) for key, value in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(xml_text, args), **{key: xml_text(value) for key, value in kwargs.items()})


class RssFeed(XMLSafeFeedMixin, Rss201rev2Feed):
    pass


class AtomFeed(XMLSafeFeedMixin, Atom1Feed):
    pass


class RequestFeed(Feed):
    """
    A feed whose links are absolute on the host it was requested from, not on
    the `Site` row (which says example.com until someone edits it): every link
    method returns an absolute URL, which Django's feed code keeps as is.
    """

    feed_type = RssFeed

    def __call__(self, request, *args, **kwargs):
        # Through the response cache (core.caching); a feed reads no query parameter.
        return cache_response(self._answer)(request, *args, **kwargs)

    def _answer(self, request, *args, **kwargs):
        # One Feed instance serves every request (it lives in the URLconf):
        # work on a copy that knows this request, so threads never share it.
        feed = copy.copy(self)
        feed.request = request
        feed.site = SiteSettings.objects.current()
        return Feed.__call__(feed, request, *args, **kwargs)

    def absolute(self, path):
        return absolute_url(path, request=self.request)

    def title(self, obj=None):
        return self.site.site_name

    def description(self, obj=None):
        return self.site.tagline

    def link(self, obj=None):
        return self.absolute("/")

    def feed_url(self, obj=None):
        return self.absolute(self.request.path)

    def text(self, value):
        """
        `value`, plain text, for a title element of this feed.

        RSS does not say whether a title is text or HTML, and readers (feedparser among them)
        take a title that looks like HTML for HTML: in RSS, <, > and & are escaped so that a
        title reads as typed and never becomes markup. Atom titles are declared text.
        """
        if issubclass(self.feed_type, Atom1Feed):
            return value
        return escape_markup_characters(value)


def atom(feed_class):
    """The Atom twin of an RSS feed class: the same items and links, its description as subtitle."""
    attributes = {
        "feed_type": AtomFeed,
        "subtitle": feed_class.description,
        "__module__": feed_class.__module__,
    }
    return type(f"{feed_class.__name__.removesuffix('Feed')}AtomFeed", (feed_class,), attributes)
