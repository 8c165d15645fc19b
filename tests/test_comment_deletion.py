"""Nothing lost: deleting a comment, however it is done, never deletes its replies."""

import pytest
from django.db import connection
from django.urls import reverse

from blog.models import Post
from comments.models import Comment
from comments.services import comments_purge
from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")


def thread(length, *, bottom_up=False):
    """A chain of `length` approved comments, each replying to the one before; ids
    increase down the chain, or up it with `bottom_up` (deletions meet them in both orders)."""
    post = PostFactory()
    comments = [CommentFactory(post=post, body=f"Réponse {i}") for i in range(length)]
    if bottom_up:
        comments.reverse()
    for parent, reply in zip(comments, comments[1:], strict=False):
        Comment.objects.filter(pk=reply.pk).update(parent=parent)
    return comments


def parents(comments):
    """Each kept comment's parent, by position in `comments` (None: top of the thread)."""
    # Foreign keys are checked at commit, which a test never reaches: check them now.
    connection.check_constraints()
    index = {comment.pk: position for position, comment in enumerate(comments)}
    rows = dict(Comment.objects.filter(pk__in=index).values_list("pk", "parent_id"))
    return {index[pk]: index.get(parent) for pk, parent in rows.items()}


def test_deleting_a_comment_moves_its_replies_up_to_its_parent():
    root, middle, reply = thread(3)
    sibling = CommentFactory(post=root.post, parent=middle, body="Autre réponse")
    middle.delete()
    assert set(Comment.objects.filter(parent=root).values_list("pk", flat=True)) == {reply.pk, sibling.pk}
    assert Comment.objects.get(pk=reply.pk).body == "Réponse 2"


def test_deleting_a_top_level_comment_puts_its_replies_at_the_top_of_the_thread():
    root, reply, answer = thread(3)
    root.delete()
    assert parents([reply, answer]) == {0: None, 1: 0}


@pytest.mark.parametrize("bottom_up", [False, True], ids=["ids-down-the-thread", "ids-up-the-thread"])
def test_deleting_nested_comments_together_keeps_each_reply_under_its_nearest_kept_ancestor(bottom_up):
    comments = thread(7, bottom_up=bottom_up)
    doomed = [comments[i].pk for i in (1, 2, 4, 6)]
    Comment.objects.filter(pk__in=doomed).delete()
    assert parents(comments) == {0: None, 3: 0, 5: 3}


def test_deleting_a_whole_thread_but_its_last_reply_keeps_that_reply():
    comments = thread(4, bottom_up=True)
    Comment.objects.exclude(pk=comments[-1].pk).delete()
    assert parents(comments) == {3: None}


def test_approved_replies_keep_their_text_and_status():
    root, reply = thread(2)
    root.delete()
    kept = Comment.objects.get(pk=reply.pk)
    assert (kept.status, kept.body, kept.parent_id) == (Comment.Status.APPROVED, "Réponse 1", None)


def test_the_admin_deletes_one_comment_and_keeps_its_replies(client, superuser):
    root, middle, reply = thread(3)
    client.force_login(superuser)
    url = reverse("admin:comments_comment_delete", args=[middle.pk])
    confirmation = client.get(url).content.decode()
    assert "Réponse 2" not in confirmation  # not announced as deleted with it
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Comment.objects.filter(pk=middle.pk).exists()
    assert parents([root, reply]) == {0: None, 1: 0}


def test_the_admins_delete_selected_keeps_the_replies_of_the_deleted_comments(client, editor):
    comments = thread(5)
    selected = [comments[i].pk for i in (0, 1, 3)]
    client.force_login(editor)
    response = client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": selected, "post": "yes"}
    )
    assert response.status_code == 302
    assert parents(comments) == {2: None, 4: 2}


def test_purging_old_spam_keeps_the_approved_replies_under_it():
    root, spam, reply, answer = thread(4)
    Comment.objects.filter(pk=spam.pk).update(
        status=Comment.Status.SPAM, updated_at=root.created_at.replace(year=2000)
    )
    assert comments_purge(older_than_days=30) == 1
    assert parents([root, reply, answer]) == {0: None, 1: 0, 2: 1}


def test_deleting_a_post_still_deletes_its_whole_thread():
    comments = thread(4)
    other = CommentFactory()
    Post.objects.filter(pk=comments[0].post_id).delete()
    connection.check_constraints()
    assert list(Comment.objects.values_list("pk", flat=True)) == [other.pk]
