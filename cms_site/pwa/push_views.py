"""Endpoints of web push: the public key, subscribe/unsubscribe of this device, the
device list. Every endpoint acts on the logged-in user's own subscriptions only; POSTs
need the CSRF token (the page sends it in ``X-CSRFToken``)."""

import json
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import push
from .models import PushSubscription
from .vapid import application_server_key


def json_login_required(view):
    """Like ``login_required`` but answers JSON clients with 403 instead of a redirect."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"detail": _("Please log in first.")}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _json_body(request):
    try:
        return json.loads(request.body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None


@require_GET
def public_key(request):
    return JsonResponse({"public_key": application_server_key()})


@require_POST
@json_login_required
def subscribe(request):
    data = _json_body(request)
    try:
        subscription, created = push.subscribe(
            request.user, data, get_language(), request.headers.get("User-Agent", "")
        )
    except push.SubscriptionError as err:
        return JsonResponse({"errors": [str(m) for m in err.messages]}, status=400)
    return JsonResponse({"id": subscription.pk, "created": created}, status=201 if created else 200)


@require_POST
@json_login_required
def unsubscribe(request):
    data = _json_body(request) or {}
    if not push.unsubscribe(request.user, data.get("endpoint") if isinstance(data, dict) else None):
        return JsonResponse({"detail": _("No such subscription.")}, status=404)
    return JsonResponse({"deleted": True})


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


@require_POST
@login_required
def send_test(request):
    if not PushSubscription.objects.filter(user=request.user).exists():
        raise Http404
    push.notify(request.user, "test", "/pwa/notifications/")
    return redirect("pwa:devices")
