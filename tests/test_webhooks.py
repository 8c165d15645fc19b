"""
Webhooks: editors' endpoints get a signed POST per event, from the background-work
engine (the database backend and its worker here), checked against a real HTTP
server on loopback: retried after a 500 with backoff for about a day, one delivery
per save, bursts of saves debounced into one, a scheduled post (page) delivered at its date,
resent from the admin, and a dead receiver never slows a save.
"""

import json
import socket
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from authors import roles
from blog.models import Page, Post, Status
from blog.services import (
    page_create,
    page_update,
    post_create,
    post_delete,
    post_publish,
    post_unpublish,
    post_update,
)
from webhooks.models import EVENTS, Delivery, Endpoint

from .factories import CategoryFactory, TagFactory
from .webhook_support import DATABASE_TASKS, Receiver, come_due, deliver_everything, run_worker, verify

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def role_groups():
    # A transactional test empties the tables, the role groups of the migrations included.
    roles.sync_role_groups()


@pytest.fixture(autouse=True)
def queue(settings):
    settings.TASKS = DATABASE_TASKS
    settings.PLUME_WEBHOOK_ALLOW_PRIVATE = True  # the receiver is on loopback
    settings.PLUME_SITE_URL = "https://blog.example.fr"
    return settings


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def endpoint(receiver):
    return Endpoint.objects.create(url=receiver.url, events=list(EVENTS))


def site_changes(receiver):
    return [
        {"reason": payload["reason"], "id": payload["id"]}
        for payload in (json.loads(body) for _, body in receiver.of("site.changed"))
    ]


def live_post(by, **fields):
    post = post_create(by=by, title="Un billet", body="Texte.", status=Status.PUBLISHED, **fields)
    deliver_everything()
    return Post.objects.get(pk=post.pk)


def test_a_published_post_is_posted_signed_with_the_secret_and_timestamped(endpoint, receiver, author_user):
    before = time.time()
    post = post_create(by=author_user, title="Bonjour", body="Texte.", status=Status.PUBLISHED)
    assert receiver.requests == []  # nothing inside the request
    deliver_everything()

    [(headers, body)] = receiver.of("post.published")
    delivery = Delivery.objects.get(event="post.published")
    payload = json.loads(body)
    assert payload["event"] == "post.published"
    assert payload["id"] == post.pk
    assert payload["slug"] == "bonjour"
    assert payload["url"] == "https://blog.example.fr/bonjour/"
    assert payload["title"] == "Bonjour"
    assert timezone.datetime.fromisoformat(payload["time"]) <= timezone.now()
    assert headers["Content-Type"].startswith("application/json")
    assert headers["X-Plume-Delivery"] == str(delivery.pk)
    assert before - 1 <= int(headers["X-Plume-Timestamp"]) <= time.time()
    assert headers["X-Plume-Signature"].startswith("sha256=")
    assert verify(endpoint.secret, headers, body)
    assert not verify("another secret", headers, body)
    assert not verify(endpoint.secret, headers, body + b" ")
    # The same request replayed six minutes later is refused by the README's check.
    assert not verify(endpoint.secret, headers, body, now=time.time() + 360)
    assert delivery.status == Delivery.Status.SUCCEEDED
    assert delivery.response_code == 200
    assert delivery.attempts == 1
    assert [entry["status"] for entry in delivery.log] == [200]
    # A static frontend is told to rebuild, too.
    assert {"reason": "post", "id": post.pk} in site_changes(receiver)


def test_a_500_is_retried_later_and_the_retry_succeeds(endpoint, receiver, author_user):
    receiver.answers = [500]  # then 200
    post = live_post(author_user)
    receiver.requests.clear()
    Delivery.objects.all().delete()
    receiver.answers = [500]

    post_update(post=post, by=author_user, body="Corrigé.")
    come_due()
    run_worker()

    delivery = Delivery.objects.get(event="post.updated")
    assert delivery.status == Delivery.Status.RETRYING
    assert delivery.response_code == 500
    assert delivery.error == "HTTP 500"
    assert (
        timedelta(seconds=28) < delivery.next_attempt_at - delivery.last_attempt_at <= timedelta(seconds=31)
    )
    retry = DBTaskResult.objects.filter(status="READY", args_kwargs__kwargs__delivery_id=delivery.pk).get()
    assert retry.run_after == delivery.next_attempt_at

    run_worker()  # not due yet: the worker leaves it
    assert Delivery.objects.get(pk=delivery.pk).attempts == 1

    come_due()
    run_worker()

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SUCCEEDED
    assert delivery.attempts == 2
    assert [entry["status"] for entry in delivery.log] == [500, 200]
    sent = receiver.of("post.updated")
    assert len(sent) == 2
    assert {headers["X-Plume-Delivery"] for headers, _ in sent} == {str(delivery.pk)}
    assert all(verify(endpoint.secret, headers, body) for headers, body in sent)


def test_failures_back_off_for_about_a_day_then_give_up(endpoint, receiver, author_user, settings):
    endpoint.events = ["post.updated"]
    endpoint.save()
    post = live_post(author_user)
    receiver.answers = [500] * 20

    post_update(post=post, by=author_user, body="Corrigé.")
    waits = []
    for _ in range(10):
        come_due()
        run_worker()
        delivery = Delivery.objects.get(event="post.updated")
        if delivery.status != Delivery.Status.RETRYING:
            break
        waits.append(round((delivery.next_attempt_at - delivery.last_attempt_at).total_seconds()))

    assert waits == [30, 120, 600, 3600, 10800, 21600, 43200]
    assert 22 * 3600 < sum(waits) <= 24 * 3600
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == 8 == len(receiver.of("post.updated")) == len(delivery.log)


def test_one_save_touching_several_rows_is_one_delivery_per_event(endpoint, receiver, author_user, settings):
    settings.PLUME_WEBHOOK_DEBOUNCE_SECONDS = 0  # the save itself, not the debounce, makes it one
    post = live_post(author_user)
    receiver.requests.clear()

    post_update(
        post=post,
        by=author_user,
        title="Nouveau titre",
        body="Autre texte.",
        categories=[CategoryFactory(), CategoryFactory()],
        tags=[TagFactory(), TagFactory(), TagFactory()],
    )
    deliver_everything()

    assert receiver.events().count("post.updated") == 1
    assert json.loads(receiver.of("post.updated")[0][1])["title"] == "Nouveau titre"
    assert Delivery.objects.filter(event="post.updated").count() == 1


def test_a_burst_of_saves_is_debounced_into_one_delivery_of_the_last(
    endpoint, receiver, author_user, settings
):
    settings.PLUME_WEBHOOK_DEBOUNCE_SECONDS = 5
    post = live_post(author_user)
    receiver.requests.clear()

    for number in range(1, 5):
        post = post_update(post=Post.objects.get(pk=post.pk), by=author_user, title=f"Version {number}")
    waiting = Delivery.objects.get(event="post.updated")
    assert waiting.status == Delivery.Status.PENDING
    assert waiting.folded == 3
    assert timezone.now() < waiting.next_attempt_at <= timezone.now() + timedelta(seconds=5)
    run_worker()
    assert receiver.requests == []  # still within the debounce

    deliver_everything()

    [(_headers, body)] = receiver.of("post.updated")
    assert json.loads(body)["title"] == "Version 4"
    # A save after the delivery was attempted is a delivery of its own.
    post_update(post=Post.objects.get(pk=post.pk), by=author_user, title="Version 5")
    deliver_everything()
    assert [json.loads(body)["title"] for _, body in receiver.of("post.updated")] == [
        "Version 4",
        "Version 5",
    ]


def schedule_post(by, at):
    post = post_create(by=by, title="Plus tard", body="Texte.")
    return post_publish(post=post, by=by, published_at=at)


def schedule_page(by, at):
    return page_create(by=by, title="Plus tard", body="Texte.", status=Status.PUBLISHED, published_at=at)


@pytest.mark.parametrize(("kind", "schedule"), [("post", schedule_post), ("page", schedule_page)])
def test_a_scheduled_post_or_page_is_delivered_at_its_date_not_before(
    endpoint, receiver, editor, kind, schedule
):
    content = schedule(editor, timezone.now() + timedelta(hours=2))
    run_worker()
    assert f"{kind}.published" not in receiver.events()  # a scheduled post is no news until its date
    assert not Delivery.objects.filter(event=f"{kind}.published").exists()

    # The date comes (as in test_going_live_event): it is live and its task due.
    type(content).objects.filter(pk=content.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    deliver_everything()

    [(headers, body)] = receiver.of(f"{kind}.published")
    payload = json.loads(body)
    assert (payload["id"], payload["type"], payload["url"]) == (
        content.pk,
        kind,
        "https://blog.example.fr/plus-tard/",
    )
    assert verify(endpoint.secret, headers, body)
    assert {"reason": kind, "id": content.pk} in site_changes(receiver)


def test_a_page_published_now_is_one_published_delivery_and_its_edit_an_update(endpoint, receiver, editor):
    page = page_create(by=editor, title="Tout de suite", body="Texte.", status=Status.PUBLISHED)
    deliver_everything()

    assert [event for event in receiver.events() if event.startswith("page.")] == ["page.published"]
    page_update(page=Page.objects.get(pk=page.pk), by=editor, body="Encore.")
    deliver_everything()
    assert [event for event in receiver.events() if event.startswith("page.")] == [
        "page.published",
        "page.updated",
    ]


def test_a_rescheduled_page_is_delivered_at_its_new_date_not_its_old_one(endpoint, receiver, editor):
    first = timezone.now() + timedelta(hours=1)
    page = page_create(
        by=editor, title="Reportée", body="Texte.", status=Status.PUBLISHED, published_at=first
    )
    page_update(page=Page.objects.get(pk=page.pk), by=editor, published_at=timezone.now() + timedelta(days=2))

    # The old date comes: the page is not live, its task does nothing.
    DBTaskResult.objects.filter(run_after=first).update(run_after=timezone.now() - timedelta(seconds=1))
    run_worker()
    assert not Delivery.objects.filter(event="page.published").exists()

    Page.objects.filter(pk=page.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    deliver_everything()  # the new date's task
    [(_headers, body)] = receiver.of("page.published")
    assert json.loads(body)["id"] == page.pk


def test_taking_down_putting_back_and_deleting_a_post(endpoint, receiver, author_user):
    post = live_post(author_user)
    receiver.requests.clear()

    post_unpublish(post=post, by=author_user)
    deliver_everything()
    post_publish(post=Post.objects.get(pk=post.pk), by=author_user)  # back live: its date was announced
    deliver_everything()
    post_delete(post=Post.objects.get(pk=post.pk), by=author_user)
    deliver_everything()

    post_events = [event for event in receiver.events() if event.startswith("post.")]
    assert post_events == ["post.unpublished", "post.published", "post.deleted"]
    deleted = json.loads(receiver.of("post.deleted")[0][1])
    assert (deleted["id"], deleted["url"]) == (post.pk, "https://blog.example.fr/un-billet/")
    assert receiver.events().count("site.changed") == 3


def test_drafts_and_posts_under_review_send_nothing(endpoint, receiver, contributor):
    post = post_create(by=contributor, title="Brouillon", body="Texte.")
    post_update(post=post, by=contributor, body="Encore.")
    post_update(post=post, by=contributor, status=Status.PENDING)
    deliver_everything()

    assert [event for event in receiver.events() if event != "site.changed"] == []


def test_only_the_events_an_endpoint_chose_and_only_active_endpoints(receiver, author_user):
    Endpoint.objects.create(url=receiver.url, events=["post.updated"])
    Endpoint.objects.create(url=receiver.url, events=list(EVENTS), active=False)
    post = live_post(author_user)
    post_update(post=post, by=author_user, body="Corrigé.")
    deliver_everything()

    assert receiver.events() == ["post.updated"]


def test_a_dead_receiver_never_slows_or_fails_the_save(author_user, settings):
    settings.PLUME_WEBHOOK_TIMEOUT_SECONDS = 2
    settings.PLUME_WEBHOOK_DEBOUNCE_SECONDS = 0
    # A receiver that accepts connections and never answers.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    port = silent.getsockname()[1]
    Endpoint.objects.create(url=f"http://127.0.0.1:{port}/", events=["post.updated"])
    post = post_create(by=author_user, title="Vite", body="Texte.", status=Status.PUBLISHED)

    try:
        started = time.monotonic()
        post_update(post=post, by=author_user, body="Corrigé.")
        saved_in = time.monotonic() - started
        assert saved_in < 1.0  # a delivery inside the save would wait its 2 s timeout

        started = time.monotonic()
        come_due()
        run_worker()
        assert time.monotonic() - started < 10  # the worker gave up on it after its timeout
    finally:
        silent.close()

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.RETRYING
    assert "timed out" in delivery.error
    assert delivery.response_code is None

    # Nobody listening now: connection refused, retried too.
    come_due()
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.RETRYING
    assert delivery.attempts == 2
    assert "refused" in delivery.error.lower()
