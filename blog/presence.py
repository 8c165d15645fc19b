"""
Who has a post's or a page's admin form open: each open form sends a heartbeat
(every PLUME_PRESENCE_HEARTBEAT_SECONDS), recorded in the cache; an editor not
heard from for PLUME_PRESENCE_SECONDS is gone, without anything to clean up.

In the cache only: one entry per object, {user id: {name, since, seen}}. Two
heartbeats at the same instant may drop one of them; the next one, seconds later,
puts it back. When the cache is down (Redis, core.cache degrades to nothing) nobody
is shown as present: the forms and saves work as before, and the stale-version
check still refuses conflicting saves.
"""

import datetime
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

KEY = "plume:presence:{kind}:{pk}"


def timeout():
    return getattr(settings, "PLUME_PRESENCE_SECONDS", 60)


def heartbeat_seconds():
    return getattr(settings, "PLUME_PRESENCE_HEARTBEAT_SECONDS", 20)


def _live(entries, now):
    return {uid: entry for uid, entry in (entries or {}).items() if now - entry["seen"] <= timeout()}


def presence_beat(kind, pk, user, name):
    """Record that `user` (shown as `name`) has `pk`'s form open; return the others who do."""
    key, now = KEY.format(kind=kind, pk=pk), time.time()
    entries = _live(cache.get(key), now)
    mine = entries.get(str(user.pk))
    entries[str(user.pk)] = {"name": name, "since": mine["since"] if mine else now, "seen": now}
    cache.set(key, entries, timeout=timeout())
    return _others(entries, user)


def _others(entries, user):
    """The others' entries, earliest first: [{"name", "since" (a local "10:32")}]."""
    others = [entry for uid, entry in entries.items() if uid != str(user.pk)]
    others.sort(key=lambda entry: entry["since"])
    return [{"name": entry["name"], "since": _local_time(entry["since"])} for entry in others]


def _local_time(seconds):
    moment = timezone.localtime(datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC))
    return moment.strftime("%H:%M")
