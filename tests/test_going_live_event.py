"""
Going live is an event: publishing a post (or a page) now, or the arrival of a
scheduled one's date, sends `content_published` once, from a task on the
background-work engine (the database backend and its worker here), checked when it runs.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from authors import roles
from blog.models import Page, Post
from blog.services import page_create, page_update, post_create, post_publish, post_unpublish, post_update
from blog.signals import content_published
from blog.tasks import announce_publication
from wordpress.importer import wordpress_import

from .factories import PageFactory, PostFactory

pytestmark = pytest.mark.django_db(transaction=True)

WXR_BLOG = Path(__file__).parent / "fixtures" / "wxr" / "blog.xml"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def fired():
    received = []

    def listener(sender, instance, **kwargs):
        received.append(instance.pk if sender is Post else ("page", instance.pk))

    content_published.connect(listener, dispatch_uid="test-going-live")
    yield received
    content_published.disconnect(dispatch_uid="test-going-live")


@pytest.fixture(autouse=True)
def role_groups():
    # A transactional test empties the tables, the role groups of the migrations included.
    roles.sync_role_groups()


@pytest.fixture
def queue(settings):
    settings.TASKS = DATABASE_TASKS
    return settings


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.1", verbosity=0)


def test_publishing_now_fires_content_published_once_through_the_worker(queue, fired, author_user):
    post = post_create(by=author_user, title="Tout de suite", body="Texte.")
    post_publish(post=post, by=author_user)
    assert fired == []  # nothing inside the request: the worker sends it

    run_worker()
    post_update(post=Post.objects.get(pk=post.pk), by=author_user, body="Corrigé.")  # an edit of a live post
    run_worker()

    assert fired == [post.pk]
    assert Post.objects.get(pk=post.pk).announced_for == Post.objects.get(pk=post.pk).published_at


def test_a_scheduled_post_is_announced_at_its_date_not_before(queue, fired, author_user):
    post = post_create(by=author_user, title="Plus tard", body="Texte.")
    at = timezone.now() + timedelta(hours=2)
    post_publish(post=post, by=author_user, published_at=at)

    task = DBTaskResult.objects.get()
    assert task.run_after == at
    run_worker()
    assert fired == []  # not due yet: the worker leaves it

    # The date comes: the post is live now, and the task is due.
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))
    run_worker()

    assert fired == [post.pk]


def test_a_post_unpublished_before_its_date_is_not_announced(queue, fired, author_user):
    post = post_create(by=author_user, title="Annulé", body="Texte.")
    post_publish(post=post, by=author_user, published_at=timezone.now() + timedelta(hours=1))
    post_unpublish(post=Post.objects.get(pk=post.pk), by=author_user)

    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))
    run_worker()

    assert fired == []


def test_the_task_fires_once_however_often_it_runs(fired, author_user):
    post = post_create(by=author_user, title="Une fois", body="Texte.", status="published")
    fired.clear()  # the immediate backend already ran the first one

    for _ in range(3):
        announce_publication.call(post_id=post.pk)

    assert fired == []
    assert Post.objects.get(pk=post.pk).announced_for is not None


def test_with_the_immediate_backend_publishing_now_fires_at_once(fired, author_user):
    post_create(by=author_user, title="Immédiat", body="Texte.", status="published")

    assert len(fired) == 1


def come_due(model, content):
    """Its date comes: it is live now, and the tasks enqueued for it are due."""
    model.objects.filter(pk=content.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))


def test_a_scheduled_page_is_announced_at_its_date_by_the_same_task(queue, fired, editor):
    at = timezone.now() + timedelta(hours=2)
    page = page_create(by=editor, title="À venir", body="Texte.", status="published", published_at=at)

    task = DBTaskResult.objects.get()
    assert (task.task_path, task.run_after) == ("blog.tasks.announce_publication", at)
    assert task.args_kwargs["kwargs"] == {"page_id": page.pk}
    run_worker()
    assert fired == []  # not due yet

    come_due(Page, page)
    run_worker()
    run_worker()
    assert fired == [("page", page.pk)]
    stored = Page.objects.get(pk=page.pk)
    assert stored.announced_for == stored.published_at


def test_a_page_published_now_is_announced_once_and_its_edits_are_not(queue, fired, editor):
    page = page_create(by=editor, title="Maintenant", body="Texte.", status="published")
    assert fired == []  # nothing inside the request
    run_worker()
    page_update(page=Page.objects.get(pk=page.pk), by=editor, body="Corrigé.")
    run_worker()
    assert fired == [("page", page.pk)]


def test_a_page_unpublished_before_its_date_is_not_announced(queue, fired, editor):
    at = timezone.now() + timedelta(hours=1)
    page = page_create(by=editor, title="Annulée", body="Texte.", status="published", published_at=at)
    page_update(page=Page.objects.get(pk=page.pk), by=editor, status="draft")

    come_due(Page, page)
    run_worker()
    assert fired == []


def test_a_page_moved_later_is_announced_at_its_new_date_not_its_old_one(queue, fired, editor):
    first = timezone.now() + timedelta(hours=1)
    page = page_create(by=editor, title="Reportée", body="Texte.", status="published", published_at=first)
    later = timezone.now() + timedelta(days=1)
    page_update(page=Page.objects.get(pk=page.pk), by=editor, published_at=later)
    assert sorted(DBTaskResult.objects.values_list("run_after", flat=True)) == [first, later]

    # The old date comes: the page is still scheduled (for tomorrow), nothing is announced.
    DBTaskResult.objects.filter(run_after=first).update(run_after=timezone.now() - timedelta(seconds=1))
    run_worker()
    assert fired == []

    come_due(Page, page)
    run_worker()
    assert fired == [("page", page.pk)]


def test_editing_content_live_before_announcements_existed_announces_nothing(
    queue, fired, author_user, editor
):
    """Imported (or older) content has no announced date; an edit of it is an update, not a publication."""
    post, page = PostFactory(author=author_user.author), PageFactory()
    assert post.announced_for is None and page.announced_for is None
    post_update(post=post, by=author_user, body="Corrigé.")
    page_update(page=page, by=editor, body="Corrigée.")
    assert not DBTaskResult.objects.exists()
    run_worker()
    assert fired == []


def test_an_imported_scheduled_post_is_announced_at_its_date_and_imported_live_ones_never(queue, fired):
    wordpress_import(path=WXR_BLOG)
    scheduled = Post.objects.get(wordpress_id=102)  # "future" in the file, for 2099

    task = DBTaskResult.objects.get()  # one task: the posts already live are not arriving now
    assert task.run_after == scheduled.published_at
    assert task.args_kwargs["kwargs"] == {"post_id": scheduled.pk}
    come_due(Post, scheduled)
    run_worker()
    assert fired == [scheduled.pk]
