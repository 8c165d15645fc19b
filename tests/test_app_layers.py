"""
The apps plug into one another upward only: what blog shows of comments comes
through the counter the comments app registers (blog.extensions), and authors'
admin and API get post counts from blog, which registers them.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from authors.models import Author
from blog import extensions
from blog.models import Post
from comments.models import Comment

from .factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_the_comments_app_registers_the_count_of_approved_comments():
    post = PostFactory()
    CommentFactory(post=post)
    CommentFactory(post=post, status=Comment.Status.PENDING)

    assert Post.objects.with_comment_count().get(pk=post.pk).comment_count == 1


def test_without_a_registered_counter_every_post_has_no_comments(monkeypatch):
    monkeypatch.setattr(extensions, "_registry", {})
    post = PostFactory()
    CommentFactory(post=post)

    assert Post.objects.with_comment_count().get(pk=post.pk).comment_count == 0


def test_the_author_admin_is_registered_by_blog_with_published_post_counts(client, editor):
    author = editor.author
    PostFactory(author=author)
    PostFactory(author=author, draft=True)
    client.force_login(editor)

    response = client.get(reverse("admin:authors_author_changelist"))

    assert "post_count" in admin.site._registry[Author].list_display
    assert response.context["cl"].result_list.get(pk=author.pk).post_count == 1
