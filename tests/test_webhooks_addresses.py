"""
A webhook is no way into the server's own network: loopback, private, link-local
and reserved addresses are refused (by name or by number, whatever the name
resolves to) unless PLUME_WEBHOOK_ALLOW_PRIVATE says otherwise, and only http and
https are spoken.
"""

import pytest
from django.utils import timezone

from webhooks.delivery import allowed_address
from webhooks.models import Delivery, Endpoint
from webhooks.tasks import deliver

from .webhook_support import Receiver

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",  # noqa: S104 - a refused address, not a bind
     "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "224.0.0.1"],
)  # fmt: skip
def test_addresses_inside_are_refused(address):
    assert not allowed_address(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "1.1.1.1"])
def test_public_addresses_are_allowed(address):
    assert allowed_address(address)


def attempt_once(url, events=("site.changed",)):
    endpoint = Endpoint.objects.create(url=url, events=list(events))
    delivery = Delivery.objects.create(
        endpoint=endpoint, event="site.changed", subject="site", payload={"event": "site.changed"},
        next_attempt_at=timezone.now(),
    )  # fmt: skip
    deliver.call(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    return delivery


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_loopback_receiver_is_refused_by_default_and_not_retried(settings, host):
    settings.PLUME_WEBHOOK_ALLOW_PRIVATE = False
    with Receiver() as receiver:
        url = receiver.url.replace("127.0.0.1", host)
        delivery = attempt_once(url)

    assert receiver.requests == []
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == 1
    assert "PLUME_WEBHOOK_ALLOW_PRIVATE" in delivery.error
    assert delivery.response_code is None


def test_the_cloud_metadata_address_is_refused(settings):
    settings.PLUME_WEBHOOK_ALLOW_PRIVATE = False
    delivery = attempt_once("http://169.254.169.254/latest/meta-data/")

    assert delivery.status == Delivery.Status.FAILED
    assert "169.254.169.254" in delivery.error


def test_with_the_setting_a_loopback_receiver_gets_it(settings):
    settings.PLUME_WEBHOOK_ALLOW_PRIVATE = True
    with Receiver() as receiver:
        delivery = attempt_once(receiver.url)

    assert delivery.status == Delivery.Status.SUCCEEDED
    assert len(receiver.requests) == 1
    assert receiver.requests[0][0]["Host"] == receiver.url.split("/")[2]


def test_a_url_that_is_not_http_is_never_spoken_to():
    endpoint = Endpoint(url="ftp://front.example.com/", events=["site.changed"])
    with pytest.raises(Exception) as refused:
        endpoint.full_clean()
    assert "url" in refused.value.message_dict

    # Even if one got into the table some other way.
    delivery = attempt_once("file:///etc/passwd")
    assert delivery.status == Delivery.Status.FAILED
    assert "not an http(s) URL" in delivery.error
