"""
The pages a reader reaches from the e-mails: confirm a subscription, unsubscribe in one
click, "my subscriptions". None needs an account: the link is the proof (a signed, expiring
token to confirm; a random key to unsubscribe; the address's HMAC for the list).

The POSTs are exempt from CSRF: mail programs send the RFC 8058 one-click POST without any
cookie or token, and a forged request would need the secret in the URL anyway.
"""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .forms import SubscriptionConfirmForm
from .models import Subscription


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows what is being confirmed (a link checker's visit confirms nothing); POST confirms."""
    try:
        subscription = services.subscription_from_confirmation(token)
    except services.SubscriptionLinkExpired:
        return render(request, "comments/subscription_link.html", {"expired": True}, status=400)
    except services.SubscriptionLinkInvalid:
        return render(request, "comments/subscription_link.html", {"expired": False}, status=400)
    form = SubscriptionConfirmForm(request.POST or None, subscription=subscription)
    confirmed = False
    if request.method == "POST" and form.is_valid():
        services.subscription_confirm(subscription=subscription, scope=form.cleaned_data["scope"])
        confirmed = True
    return render(
        request,
        "comments/subscription_confirm.html",
        {"subscription": subscription, "form": form, "confirmed": confirmed},
        status=400 if request.method == "POST" and not confirmed else 200,
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, key):
    """
    The List-Unsubscribe URL: a POST (the mail program's button, or this page's) unsubscribes
    at once; a GET shows one button, so that a link checker opening it changes nothing.
    """
    subscription = Subscription.objects.filter(key=key).select_related("post", "page").first()
    if request.method == "POST":
        address_key = subscription.address_key if subscription else ""
        if subscription is not None:
            services.subscription_remove(subscription=subscription)
        # Done whether or not it still existed: unsubscribing twice is not an error.
        return render(
            request,
            "comments/subscription_unsubscribe.html",
            {"done": True, "subscription": subscription, "address_key": address_key},
        )
    return render(
        request,
        "comments/subscription_unsubscribe.html",
        {"done": False, "subscription": subscription},
        status=200 if subscription else 404,
    )


@never_cache
@require_http_methods(["GET"])
def subscriptions(request, address_key):
    """ "My subscriptions": every subscription of one address, each removable."""
    return render(
        request,
        "comments/subscription_list.html",
        {"address_key": address_key, "subscriptions": list(services.subscriptions_of(address_key))},
    )


@csrf_exempt
@never_cache
@require_POST
def remove(request, address_key, pk):
    """Remove one subscription from the list; only one of that address (another gives a plain list)."""
    subscription = services.subscriptions_of(address_key).filter(pk=pk).first()
    if subscription is not None:
        services.subscription_remove(subscription=subscription)
    return render(
        request,
        "comments/subscription_list.html",
        {
            "address_key": address_key,
            "subscriptions": list(services.subscriptions_of(address_key)),
            "removed": subscription,
        },
    )
