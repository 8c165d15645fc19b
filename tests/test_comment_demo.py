import pytest

from comments.demo import create_demo_discussion
from comments.models import Comment
from comments.threads import flatten
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_demo_discussion_is_threaded_with_one_pending_comment_and_idempotent():
    post = PostFactory()
    create_demo_discussion(post)
    create_demo_discussion(post)
    comments = Comment.objects.filter(post=post)
    assert comments.in_moderation().count() == 1
    roots = comments.approved().tree()
    assert len(roots) >= 2
    assert max(comment.depth for comment in flatten(roots)) >= 3
    assert comments.count() == len(list(flatten(roots))) + 1
