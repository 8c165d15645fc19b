"""
The costly, pure part of an import: WordPress HTML repaired, converted to Markdown and
rendered, for post and page bodies and for comments. Everything else (matching, slugs,
terms, inserts) stays in the importing process, which owns the database connection.

A large file has its bodies converted by a pool of worker processes, started once per
import (`PLUME_IMPORT_WORKERS`, used from `PLUME_IMPORT_POOL_MIN_BYTES` up: a small
file does not pay for starting them). A batch is handed to the pool when it is read and
collected when the next one is, so reading and inserting overlap the conversion.
Each distinct body is converted once, including across batches (a bounded memo).
"""

import ctypes
import ctypes.util
import gc
import multiprocessing
import os
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor
from typing import NamedTuple

from django.conf import settings

from core.markdown import Rendered, plain_text, render
from core.text import repair

from .. import html, wxr
from .base import UNTITLED_WORDS

# Distinct post and page bodies remembered across batches: generated and templated sites
# repeat a few bodies thousands of times; a site whose bodies all differ keeps this many.
BODY_MEMO_SIZE = 256
# Comments handed to a worker at once: enough to make a round trip pay.
COMMENT_CHUNK = 200
BODY_CHUNK = 10


class ConvertedBody(NamedTuple):
    repaired: bool  # the HTML had mojibake, mended
    first_words: str  # of the visible text, for an untitled item
    markdown: str
    rendered: Rendered


class ConvertedComment(NamedTuple):
    repaired: bool
    markdown: str
    body_html: str


def convert_body(content, markdown):
    """A post's or page's HTML (and the Markdown a Plume export carries, or None)."""
    content = content or ""
    fixed = repair(content)
    if markdown is None:
        markdown = html.html_to_markdown(fixed)
    words = plain_text(fixed).split()[:UNTITLED_WORDS] if fixed else []
    return ConvertedBody(fixed != content, " ".join(words), markdown, render(markdown))


def convert_comment(content, markdown):
    """A comment's HTML (or the Markdown a Plume export carries): its Markdown and HTML."""
    repaired = False
    if markdown is None:
        content = content or ""
        fixed = repair(content)
        repaired = fixed != content
        markdown = html.comment_to_markdown(fixed)
    body = markdown or "…"
    return ConvertedComment(repaired, body, str(render(body, comment=True)))


def _convert_comments(pairs):
    return [convert_comment(content, markdown) for content, markdown in pairs]


def _convert_bodies(pairs):
    return [convert_body(content, markdown) for content, markdown in pairs]


def _started(_n):
    return os.getpid()


def own_copy(rendered):
    """A `Rendered` a model may keep: each post gets its own table of contents."""
    return Rendered(
        rendered,
        toc=_tree_copy(rendered.toc),
        word_count=rendered.word_count,
        first_paragraph=rendered.first_paragraph,
    )


def _tree_copy(value):
    """A copy of JSON-like lists and dicts (a table of contents): `deepcopy`, without its memo."""
    if type(value) is list:
        return [_tree_copy(item) for item in value]
    if type(value) is dict:
        return {key: _tree_copy(item) for key, item in value.items()}
    return value


def _libc_malloc_trim():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to hand back this way
        return None


_malloc_trim = _libc_malloc_trim()


def release_memory():
    """
    Hand what a batch freed back to the system (glibc keeps freed memory for the process
    otherwise, spread over the arenas of the pool's threads): peak memory then stays that
    of one batch in flight, not the high-water mark of every batch's leftovers.
    """
    if _malloc_trim is not None:
        _malloc_trim(0)


def workers_for(path):
    """How many worker processes an import of `path` uses: 0 converts in the importing process."""
    workers = settings.PLUME_IMPORT_WORKERS
    if workers is None:
        # The importing process has its share of the work (reading, inserting): one CPU of its own.
        workers = max(1, (os.cpu_count() or 1) - 1)
    try:
        size = os.path.getsize(path)
    except OSError:
        return 0
    if workers < 1 or size < settings.PLUME_IMPORT_POOL_MIN_BYTES:
        return 0
    return workers


class Converter:
    """Conversions of batches, in a pool of `workers` processes or, with 0, here when asked."""

    def __init__(self, workers=0):
        self.pool = None
        self.worker_pids = set()
        self.frozen = False
        if workers:
            # fork: a worker starts as a copy of this process, Django and the converters
            # already loaded, before any batch is held in memory. Workers never touch the database.
            # Frozen first, what is loaded stays out of the garbage collector's rounds, which
            # would otherwise write to every object's header and so unshare the pages it
            # lies in (about 25 MB of the 10,000-post import's peak, importer and worker).
            gc.collect()
            gc.freeze()
            self.frozen = True
            self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
            self.worker_pids = set(self.pool.map(_started, range(workers)))  # started now, once
        self.bodies = OrderedDict()  # body_key -> ConvertedBody, most recently used last
        self.converting = set()  # body keys submitted and not collected yet

    def close(self):
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
        if self.frozen:
            gc.unfreeze()
            self.frozen = False

    def submit(self, batch):
        """Start converting a batch of `(item, kind)`; return what `collect` needs."""
        known, bodies, deferred = {}, [], []
        for item, _kind in batch:
            key = body_key(item)
            if key in known:
                continue
            known[key] = None
            if key in self.bodies:
                self.bodies.move_to_end(key)
                known[key] = self.bodies[key]
            elif key in self.converting:  # by the batch before, collected before this one
                deferred.append(key)
            else:
                self.converting.add(key)
                bodies.append(key)
        comments = [
            (comment.content, comment.meta.get(wxr.MARKDOWN_META))
            for item, _kind in batch  # posts' and pages' alike
            for comment in item.comments
        ]
        if self.pool is None:
            return known, bodies, deferred, None, comments, None
        body_futures = [
            self.pool.submit(_convert_bodies, bodies[start : start + BODY_CHUNK])
            for start in range(0, len(bodies), BODY_CHUNK)
        ]
        comment_futures = [
            self.pool.submit(_convert_comments, comments[start : start + COMMENT_CHUNK])
            for start in range(0, len(comments), COMMENT_CHUNK)
        ]
        return known, bodies, deferred, body_futures, comments, comment_futures

    def collect(self, pending):
        """
        The conversions of a submitted batch: its bodies by `body_key`, its comments
        by (content, markdown).
        """
        known, bodies, deferred, body_futures, comments, comment_futures = pending
        if body_futures is not None:
            converted = [result for future in body_futures for result in future.result()]
        else:
            converted = [convert_body(*key) for key in bodies]
        for key, result in zip(bodies, converted, strict=True):
            known[key] = self.bodies[key] = result
            self.converting.discard(key)
        for key in deferred:
            # Converted for the batch before; here unless the memo has let it go already.
            found = self.bodies.get(key)
            known[key] = self.bodies[key] = found if found is not None else convert_body(*key)
        while len(self.bodies) > BODY_MEMO_SIZE:
            self.bodies.popitem(last=False)
        if comment_futures is None:
            converted_comments = _convert_comments(comments)
        else:
            converted_comments = [result for future in comment_futures for result in future.result()]
        return known, dict(zip(comments, converted_comments, strict=True))


def body_key(item):
    return (item.content or "", item.meta.get(wxr.MARKDOWN_META))
