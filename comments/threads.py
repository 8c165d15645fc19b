"""
Threading: a flat list of comments (one query) made into a tree in Python.

Display depth is capped by `COMMENTS_MAX_DEPTH`: a comment stored deeper than
that (an import, or an older setting) is shown under its ancestor one level
above the cap, i.e. next to the deepest comment the page can nest. New
replies are attached the same way when they are stored (see
`selectors.attach_point`), so what is stored and what is shown agree.
"""

from django.conf import settings


def max_depth_setting():
    return max(1, settings.COMMENTS_MAX_DEPTH)


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
