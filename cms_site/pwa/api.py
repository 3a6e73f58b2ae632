"""Web push JSON endpoints: a django-ninja ``Router`` on the site API (``/api/push/…``).

- ``GET  key``         the VAPID public key (public: the page needs it before subscribing);
- ``POST subscribe``   store this device for the logged-in user (201 new, 200 refreshed,
  400 invalid, 409 when the endpoint belongs to another account: it is never moved);
- ``POST unsubscribe`` forget this device (404 unless it is the user's own);
- ``POST test``        queue a test notification to every device of the user (404 without one).

Session auth and CSRF (the site API's ``django_auth``) on everything but ``key``. Errors are
``{"detail": "<translated message>"}``; schema violations are ninja's 422. Every endpoint acts
on the caller's own subscriptions only.
"""

from typing import Annotated

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from .models import PushSubscription
from .services import push
from .services.endpoints import MAX_ENDPOINT_LENGTH
from .services.vapid import application_server_key

router = Router(tags=["push"])

NO_NUL = r"^[^\x00]*$"
Endpoint = Annotated[str, Field(min_length=1, max_length=MAX_ENDPOINT_LENGTH, pattern=NO_NUL)]


class Message(Schema):
    detail: str


class PublicKey(Schema):
    public_key: str


class SubscriptionKeys(Schema):
    p256dh: Annotated[str, Field(max_length=128, pattern=NO_NUL)]  # PushSubscription.p256dh
    auth: Annotated[str, Field(max_length=64, pattern=NO_NUL)]  # PushSubscription.auth


class SubscriptionIn(Schema):
    """What the browser's ``PushSubscription.toJSON()`` gives (``expirationTime`` is ignored)."""

    endpoint: Endpoint
    keys: SubscriptionKeys


class SubscriptionOut(Schema):
    id: int
    created: bool


class UnsubscribeIn(Schema):
    endpoint: Endpoint


class Unsubscribed(Schema):
    deleted: bool


class TestQueued(Schema):
    devices: int


@router.get("key", auth=None, response=PublicKey, url_name="push_key", summary="The VAPID public key")
def public_key(request):
    return {"public_key": application_server_key()}


@router.post("subscribe", response={200: SubscriptionOut, 201: SubscriptionOut, 400: Message, 409: Message},
             url_name="push_subscribe", summary="Receive notifications on this device")
def subscribe(request, payload: SubscriptionIn):
    try:
        subscription, created = push.subscribe(
            request.user, payload.dict(), get_language(), request.headers.get("User-Agent", "")
        )
    except push.SubscriptionTaken as err:
        return Status(409, {"detail": str(err.messages[0])})
    except push.SubscriptionError as err:
        return Status(400, {"detail": " ".join(str(m) for m in err.messages)})
    return Status(201 if created else 200, {"id": subscription.pk, "created": created})


@router.post("unsubscribe", response={200: Unsubscribed, 404: Message}, url_name="push_unsubscribe",
             summary="Stop notifications on this device")
def unsubscribe(request, payload: UnsubscribeIn):
    if not push.unsubscribe(request.user, payload.endpoint):
        return Status(404, {"detail": _("No such subscription.")})
    return Status(200, {"deleted": True})


@router.post("test", response={202: TestQueued, 404: Message}, url_name="push_test",
             summary="Send a test notification to every device of the user")
def send_test(request):
    devices = PushSubscription.objects.filter(user=request.user).count()
    if not devices:
        return Status(404, {"detail": _("No device receives notifications yet.")})
    push.notify(request.user, "test", "/pwa/notifications/")
    return Status(202, {"devices": devices})
