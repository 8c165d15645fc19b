"""
Subscriptions and the e-mails sent, in the admin: for editors (who handle commenters' personal
data) only, searchable by e-mail, confirmed or not at a glance, removable.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import SentEmail, Subscription

from .factories import CommentFactory, PageFactory, PostFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_subscription_changelist")
EMAILS = reverse("admin:comments_sentemail_changelist")


@pytest.fixture
def subscriptions():
    post = PostFactory(title="Mistral 3")
    page = PageFactory(title="Livre d’or", allow_comments=True)
    confirmed = Subscription.objects.create(
        post=post,
        comment=CommentFactory(post=post),
        email="confirme@example.net",
        confirmed_at=timezone.now(),
    )
    waiting = Subscription.objects.create(page=page, email="attente@example.net", scope="post")
    SentEmail.objects.create(
        email="confirme@example.net", kind="confirmation", subject="Confirmez", subscription=confirmed
    )
    return confirmed, waiting


def test_editors_see_every_subscription_with_its_confirmation(client, editor, subscriptions):
    client.force_login(editor)
    response = client.get(CHANGELIST)
    page = response.content.decode()
    assert response.status_code == 200
    assert "confirme@example.net" in page and "attente@example.net" in page
    assert "Mistral 3" in page and "Livre d’or" in page
    assert 'alt="True"' in page and 'alt="False"' in page


def test_the_list_filters_confirmed_and_searches_by_address(client, editor, subscriptions):
    client.force_login(editor)
    unconfirmed = client.get(CHANGELIST, {"confirmed": "no"}).content.decode()
    assert "attente@example.net" in unconfirmed and "confirme@example.net" not in unconfirmed
    confirmed = client.get(CHANGELIST, {"confirmed": "yes"}).content.decode()
    assert "confirme@example.net" in confirmed and "attente@example.net" not in confirmed
    found = client.get(CHANGELIST, {"q": "ATTENTE@example"}).content.decode()
    assert "attente@example.net" in found and "confirme@example.net" not in found


def test_the_delete_action_removes_the_selection(client, editor, subscriptions):
    confirmed, waiting = subscriptions
    client.force_login(editor)
    response = client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [waiting.pk], "post": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    assert list(Subscription.objects.all()) == [confirmed]


def test_a_subscription_shows_the_emails_sent_about_it_and_cannot_be_edited(client, editor, subscriptions):
    confirmed, _waiting = subscriptions
    client.force_login(editor)
    url = reverse("admin:comments_subscription_change", args=[confirmed.pk])
    page = client.get(url).content.decode()
    assert "Confirmez" in page
    client.post(url, {"email": "autre@example.net"})
    confirmed.refresh_from_db()
    assert confirmed.email == "confirme@example.net"
    assert client.get(reverse("admin:comments_subscription_add")).status_code == 403


def test_the_email_log_is_searchable_by_address(client, editor, subscriptions):
    client.force_login(editor)
    page = client.get(EMAILS, {"q": "confirme@"}).content.decode()
    assert "Confirmez" in page


@pytest.mark.parametrize("role", ["author_user", "contributor", "staff_without_change_post"])
def test_no_one_but_editors_sees_these_addresses(client, request, role, subscriptions):
    client.force_login(request.getfixturevalue(role))
    for url in (
        CHANGELIST,
        EMAILS,
        reverse("admin:comments_subscription_change", args=[subscriptions[0].pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert b"confirme@example.net" not in response.content
    index = client.get(reverse("admin:index")).content.decode()
    assert CHANGELIST not in index and "confirme@example.net" not in index


def test_editors_find_them_from_the_admin_index(client, editor):
    client.force_login(editor)
    index = client.get(reverse("admin:index")).content.decode()
    assert CHANGELIST in index and EMAILS in index
