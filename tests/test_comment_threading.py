"""Threading: replies, the depth cap when storing, and deeper stored trees when displaying."""

import pytest

from comments.models import Comment
from comments.selectors import attach_point
from comments.threads import build_tree, flatten
from tests.factories import CommentFactory, PostFactory

from .comments_support import submit

pytestmark = pytest.mark.django_db


def chain(post, length):
    """A single thread `length` comments deep, stored as is (like an import would)."""
    comments, parent = [], None
    for _ in range(length):
        parent = CommentFactory(post=post, parent=parent)
        comments.append(parent)
    return comments


def test_tree_nests_replies_under_their_parents_in_order():
    post = PostFactory()
    first = CommentFactory(post=post)
    second = CommentFactory(post=post)
    reply_b = CommentFactory(post=post, parent=first)
    reply_a = CommentFactory(post=post, parent=first)
    roots = Comment.objects.filter(post=post).tree()
    assert roots == [first, second]
    assert roots[0].children == [reply_b, reply_a]
    assert [c.depth for c in flatten(roots)] == [1, 2, 2, 1]


def test_reply_deeper_than_the_cap_attaches_to_the_deepest_allowed_ancestor(settings):
    settings.COMMENTS_MAX_DEPTH = 3
    post = PostFactory()
    thread = chain(post, 3)
    reply = submit(post, parent=thread[2].pk)
    assert reply.parent_id == thread[1].pk


def test_reply_within_the_cap_keeps_its_parent(settings):
    settings.COMMENTS_MAX_DEPTH = 3
    post = PostFactory()
    thread = chain(post, 2)
    assert submit(post, parent=thread[1].pk).parent_id == thread[1].pk


def test_depth_one_means_no_nesting(settings):
    settings.COMMENTS_MAX_DEPTH = 1
    post = PostFactory()
    root = CommentFactory(post=post)
    assert attach_point(root) is None


def test_a_stored_deeper_tree_still_displays_every_comment(settings):
    settings.COMMENTS_MAX_DEPTH = 3
    post = PostFactory()
    thread = chain(post, 6)
    roots = Comment.objects.filter(post=post).tree()
    shown = list(flatten(roots))
    assert shown == thread
    assert [c.depth for c in shown] == [1, 2, 3, 3, 3, 3]
    # Beyond the cap, comments sit next to the deepest nested one, under depth 2.
    assert shown[1].children == thread[2:]


def test_a_reply_whose_parent_is_hidden_is_shown_as_a_root():
    post = PostFactory()
    held = CommentFactory(post=post, status=Comment.Status.TRASH)
    reply = CommentFactory(post=post, parent=held)
    roots = Comment.objects.approved().filter(post=post).tree()
    assert roots == [reply]


def test_the_tree_is_built_in_one_query(django_assert_num_queries):
    post = PostFactory()
    thread = chain(post, 4)
    CommentFactory.create_batch(3, post=post, parent=thread[0])
    with django_assert_num_queries(1):
        roots = Comment.objects.approved().filter(post=post).tree()
        assert len(list(flatten(roots))) == 7


def test_build_tree_accepts_an_explicit_cap():
    post = PostFactory()
    chain(post, 4)
    roots = build_tree(Comment.objects.filter(post=post), max_depth=2)
    assert max(c.depth for c in flatten(roots)) == 2
