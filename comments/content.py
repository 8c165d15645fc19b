"""
What a comment thread hangs from: a post, or a page that allows comments (a guestbook, an
"about" page). A comment and a subscription point at exactly one of the two (two nullable
foreign keys and a check constraint, see Comment.Meta): every thread query stays a plain
indexed `post_id = …` or `page_id = …`, where a generic relation would need a content type
join. This module is the one place that tells the two apart.
"""


def is_page(content):
    return content is not None and content._meta.model_name == "page"


def on(content):
    """The filter for what hangs from `content`: {"post": post} or {"page": page}."""
    return {"page": content} if is_page(content) else {"post": content}


def on_ids(post_id=None, page_id=None):
    """The same filter from the ids stored on a comment or a subscription."""
    return {"page_id": page_id} if post_id is None and page_id is not None else {"post_id": post_id}


def content_label(content):
    """A stable text id: "5" for post 5 (what tokens always signed), "page-5" for page 5."""
    return f"page-{content.pk}" if is_page(content) else str(content.pk)


def thread_keys(post_id=None, page_id=None):
    """
    The surrogate keys (core.surrogate) of a thread's public answers: its thread, its
    content (the comment count on its page and in every list) and the comments feed.
    """
    if post_id is None and page_id is not None:
        return [f"comments-page-{page_id}", f"page-{page_id}", "comments"]
    return [f"comments-{post_id}", f"post-{post_id}", "comments"]


def content_keys(content):
    """The keys a thread's answer carries (its thread and its content)."""
    if is_page(content):
        return thread_keys(page_id=content.pk)[:2]
    return thread_keys(post_id=content.pk)[:2]
