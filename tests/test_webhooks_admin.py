"""
Webhooks in the admin: editors register endpoints (the secret shown once, and
regenerated on demand), read every delivery with its answer, and resend one; other
roles see none of it.
"""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from webhooks.models import Delivery, Endpoint

from .webhook_support import Receiver, verify

pytestmark = pytest.mark.django_db

ENDPOINTS = reverse("admin:webhooks_endpoint_changelist")
DELIVERIES = reverse("admin:webhooks_delivery_changelist")


@pytest.fixture
def receiver(settings):
    settings.PLUME_WEBHOOK_ALLOW_PRIVATE = True
    with Receiver() as running:
        yield running


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_an_editor_registers_an_endpoint_and_sees_its_secret_once(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:webhooks_endpoint_add"),
        {
            "url": "https://front.example.com/rebuild",
            "description": "Le site statique",
            "events": ["post.published", "site.changed"],
            "active": "on",
        },
        follow=True,
    )

    endpoint = Endpoint.objects.get()
    assert endpoint.created_by == editor
    assert endpoint.events == ["post.published", "site.changed"]
    assert len(endpoint.secret) >= 40
    assert any(endpoint.secret in message for message in messages_of(response))

    page = client.get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]))
    assert page.status_code == 200
    assert endpoint.secret not in page.content.decode()


def test_regenerating_the_secret_shows_the_new_one(client, editor):
    endpoint = Endpoint.objects.create(url="https://front.example.com/", events=["site.changed"])
    old = endpoint.secret
    client.force_login(editor)

    response = client.post(
        ENDPOINTS, {"action": "regenerate_secret", "_selected_action": [endpoint.pk]}, follow=True
    )

    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert any(endpoint.secret in message for message in messages_of(response))


@pytest.mark.parametrize("url", ["ftp://front.example.com/", "javascript:alert(1)", "pas une adresse"])
def test_an_endpoint_must_be_an_http_or_https_url(client, editor, url):
    client.force_login(editor)
    response = client.post(reverse("admin:webhooks_endpoint_add"), {"url": url, "events": ["site.changed"]})

    assert response.status_code == 200
    assert "url" in response.context["adminform"].form.errors
    assert not Endpoint.objects.exists()


def test_an_endpoint_needs_known_events(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:webhooks_endpoint_add"),
        {"url": "https://front.example.com/", "events": ["post.eaten"]},
    )

    assert "events" in response.context["adminform"].form.errors
    assert not Endpoint.objects.exists()


def test_the_endpoint_page_lists_its_deliveries_and_the_log_shows_answers(client, editor):
    endpoint = Endpoint.objects.create(url="https://front.example.com/", events=["site.changed"])
    for number in range(12):
        Delivery.objects.create(
            endpoint=endpoint,
            event="site.changed",
            subject="site",
            status=Delivery.Status.FAILED,
            response_code=500,
            response_body=f"Erreur {number}",
        )
    client.force_login(editor)

    page = client.get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])).content.decode()
    assert page.count(reverse("admin:webhooks_delivery_change", args=[Delivery.objects.first().pk])) == 1
    assert f"?endpoint__id__exact={endpoint.pk}" in page

    listing = client.get(DELIVERIES, {"endpoint__id__exact": endpoint.pk})
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 12
    detail = client.get(reverse("admin:webhooks_delivery_change", args=[Delivery.objects.first().pk]))
    assert "Erreur 11" in detail.content.decode()


def test_the_deliveries_list_costs_the_same_queries_for_many(client, editor, django_assert_max_num_queries):
    endpoint = Endpoint.objects.create(url="https://front.example.com/", events=["site.changed"])
    client.force_login(editor)
    Delivery.objects.bulk_create(
        Delivery(endpoint=endpoint, event="site.changed", subject="site") for _ in range(3)
    )
    client.get(DELIVERIES)  # the session, the permissions: cached now
    with django_assert_max_num_queries(12) as few:
        client.get(DELIVERIES)
    Delivery.objects.bulk_create(
        Delivery(endpoint=endpoint, event="site.changed", subject="site") for _ in range(40)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(DELIVERIES)


def test_resend_makes_a_new_delivery_that_is_sent(
    client, editor, receiver, settings, django_capture_on_commit_callbacks
):
    endpoint = Endpoint.objects.create(url=receiver.url, events=["post.updated"])
    failed = Delivery.objects.create(
        endpoint=endpoint,
        event="post.updated",
        subject="post-7",
        payload={"event": "post.updated", "id": 7},
        status=Delivery.Status.FAILED,
        attempts=8,
    )
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            DELIVERIES, {"action": "resend_deliveries", "_selected_action": [failed.pk]}, follow=True
        )

    assert response.status_code == 200
    again = Delivery.objects.exclude(pk=failed.pk).get()
    assert again.resent_from == failed
    assert again.status == Delivery.Status.SUCCEEDED
    [(headers, body)] = receiver.requests
    assert headers["X-Plume-Delivery"] == str(again.pk)
    assert verify(endpoint.secret, headers, body)
    assert Delivery.objects.get(pk=failed.pk).status == Delivery.Status.FAILED  # its log stays as it was


def test_authors_and_contributors_see_no_webhooks(client, author_user, contributor):
    endpoint = Endpoint.objects.create(url="https://front.example.com/", events=["site.changed"])
    for user in (author_user, contributor):
        client.force_login(user)
        assert client.get(ENDPOINTS).status_code == 403
        assert client.get(DELIVERIES).status_code == 403
        assert client.get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])).status_code == 403


def test_editors_get_the_webhook_permissions_from_their_role(editor):
    assert editor.has_perm("webhooks.change_endpoint")
    assert editor.has_perm("webhooks.view_delivery")
    assert not editor.has_perm("webhooks.change_delivery")


def test_pruning_deletes_old_finished_deliveries_and_keeps_waiting_ones():
    endpoint = Endpoint.objects.create(url="https://front.example.com/", events=["site.changed"])
    statuses = [
        Delivery.Status.SUCCEEDED,
        Delivery.Status.FAILED,
        Delivery.Status.RETRYING,
        Delivery.Status.PENDING,
    ]
    old = [
        Delivery.objects.create(endpoint=endpoint, event="site.changed", subject="site", status=s)
        for s in statuses
    ]
    Delivery.objects.filter(pk__in=[d.pk for d in old]).update(created_at=timezone.now() - timedelta(days=31))
    recent = Delivery.objects.create(
        endpoint=endpoint, event="site.changed", subject="site", status="succeeded"
    )
    out = StringIO()

    call_command("prune_webhook_deliveries", stdout=out)

    assert set(Delivery.objects.values_list("pk", flat=True)) == {old[2].pk, old[3].pk, recent.pk}
    assert "2" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("prune_webhook_deliveries", "--days", "0")
