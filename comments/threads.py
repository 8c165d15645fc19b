"""
Threading: a flat list of comments (one query) made into a tree in Python.

Display depth is capped by `COMMENTS_MAX_DEPTH`: a comment stored deeper than
that (an import, or an older setting) is shown under its ancestor one level
above the cap, i.e. next to the deepest comment the page can nest. New
replies are attached the same way when they are stored (see
`selectors.attach_point`), so what is stored and what is shown agree.
"""

from math import ceil

from django.conf import settings


def max_depth_setting():
    return max(1, settings.COMMENTS_MAX_DEPTH)


def per_page_setting():
    """Top-level threads per page of comments; 0: no paging."""
    return max(0, settings.COMMENTS_PER_PAGE)


def page_count(roots, per_page=None):
    per_page = per_page_setting() if per_page is None else per_page
    return max(1, ceil(len(roots) / per_page)) if per_page else 1


def page_of(roots, number, per_page=None):
    """The threads of page `number` (from 1); raise ValueError for a page that does not exist."""
    per_page = per_page_setting() if per_page is None else per_page
    if not 1 <= number <= page_count(roots, per_page):
        raise ValueError(number)
    return roots[(number - 1) * per_page : number * per_page] if per_page else roots


def page_number(position, per_page=None):
    """The page the thread at `position` (0 for the oldest) is on."""
    per_page = per_page_setting() if per_page is None else per_page
    return position // per_page + 1 if per_page else 1


def flat_thread(roots):
    """
    The threads in reading order as one flat list, for a template to render in one loop
    (no recursive include): each comment keeps `depth` and gets `closes`, a range as long
    as the number of nested lists that end right after it (none when it has replies).
    """
    items = list(flatten(roots))
    for index, comment in enumerate(items):
        if comment.children:
            comment.closes = range(0)
        else:
            following = items[index + 1].depth if index + 1 < len(items) else 1
            comment.closes = range(comment.depth - following)
    return items


def build_tree(comments, *, max_depth=None):
    """
    Return the root comments of `comments`, each with `children` (a list, in
    order) and `depth` (1 for a root, at most `max_depth`).

    A comment whose parent is not in `comments` (held for moderation, spam,
    trashed) is shown as a root, as WordPress does, so a reply is never hidden
    because of what happened to the comment it answered.
    """
    max_depth = max_depth or max_depth_setting()
    comments = list(comments)
    by_id = {comment.pk: comment for comment in comments}
    for comment in comments:
        comment.children = []

    def ancestors(comment):
        """The chain of present ancestors, nearest first (guarded against cycles)."""
        chain, seen = [], {comment.pk}
        parent = by_id.get(comment.parent_id)
        while parent is not None and parent.pk not in seen:
            chain.append(parent)
            seen.add(parent.pk)
            parent = by_id.get(parent.parent_id)
        return chain

    roots = []
    for comment in comments:
        chain = ancestors(comment)
        true_depth = len(chain) + 1
        comment.depth = min(true_depth, max_depth)
        if comment.depth == 1:
            roots.append(comment)
        else:
            # chain[-1] is the root (depth 1): the display parent sits at depth - 1.
            chain[len(chain) - (comment.depth - 1)].children.append(comment)
    return roots


def flatten(roots):
    """The tree in reading order (depth-first), for counting or feeds."""
    for comment in roots:
        yield comment
        yield from flatten(comment.children)
