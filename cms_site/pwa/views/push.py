"""HTML pages of web push: the user's device list and removing a device. The JSON
endpoints (public key, subscribe, unsubscribe, test) are in ``api.py`` on the site API.
Every view acts on the logged-in user's own subscriptions only; POSTs need the CSRF token."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from ..models import PushSubscription


@require_GET
@login_required
def devices(request):
    """The user's devices that receive notifications, and the switch for this device."""
    return render(request, "pwa/notifications.html", {
        "subscriptions": PushSubscription.objects.filter(user=request.user),
    })


@require_POST
@login_required
def remove_device(request, pk):
    subscription = get_object_or_404(PushSubscription, pk=pk, user=request.user)
    subscription.delete()
    return redirect("pwa:devices")
