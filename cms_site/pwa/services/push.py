"""Web push: who gets which message, in which language, and what happens on delivery.

Public contract for other apps (plugins included; core never imports a plugin, so
plugins call in):

    from cms_site.pwa.services.push import notify
    notify(user, "certificate_issued", url, once_key="certificate_issued:7", program="…", number="…")

``notify`` is the only name other apps import from ``cms_site.pwa`` for push
(``tests/architecture/test_push_api.py``). Who sends what: ``registration_*`` (core, on
``registration_reviewed``), ``exam_tomorrow`` (exam plugin, periodic ``exam_reminders``),
``exam_passed`` / ``results_released`` (exam plugin, on ``result_released``),
``certificate_issued`` (certificate plugin, on its issue date), ``test`` (devices page).

``notify(user, kind, url, *, once_key=None, **context)`` checks ``kind`` and ``context`` against
``messages.MESSAGES`` at once (a ``ValueError`` points at the caller), then, when the current
transaction commits, enqueues the background task ``deliver_push`` (``cms_site/pwa/tasks.py``,
Django's tasks API) which sends one encrypted message to each of the user's devices
(``delivery.send_to_subscription``), translated into the device's language. ``url`` must be a path on this site (``/…``). A device whose push
service answers 404 or 410 (subscription expired or revoked) is removed; other failures
are logged and the device kept. Users without a device are skipped silently.

Endpoints are checked against ``endpoints.check_endpoint`` (allow-listed HTTPS push
services on public addresses) when a device subscribes and again before every send; the
send connects to the checked address only and follows no redirect. A stored endpoint that
breaks the static rules (scheme, host) is deleted; one whose host now resolves to a
non-public address is kept (it may be a passing DNS fault) but never contacted.

An endpoint belongs to the user who subscribed it first: ``subscribe`` refuses
(``SubscriptionTaken``) to move an endpoint bound to another user. The browser holds the
subscription's keys, so a device that changes hands unsubscribes and subscribes afresh
(``push.js`` does so on 409), which yields a new endpoint.
"""

import base64
import binascii
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from ..models import PushNotice, PushSubscription
from ..tasks import deliver_push
from .endpoints import MAX_ENDPOINT_LENGTH, EndpointRefused, check_endpoint
from .messages import MESSAGES, render_message


class SubscriptionError(ValueError):
    """A subscription the browser sent is unusable; ``messages`` are translated."""

    def __init__(self, messages):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = messages


class SubscriptionTaken(SubscriptionError):
    """The endpoint is already bound to another user; it is not moved."""

    def __init__(self):
        super().__init__([_("This device's subscription belongs to another account.")])


def _check_url(url):
    parts = urlsplit(url)
    if not url.startswith("/") or url.startswith("//") or parts.scheme or parts.netloc:
        raise ValueError(f"push url must be a path on this site, got {url!r}")


def notify(user, kind, url, *, once_key=None, **context):
    """Send ``kind`` to every device of ``user`` after the current transaction commits.

    ``context`` values must be JSON-serialisable (they travel through the task queue);
    format dates and times before calling. With ``once_key`` (a string naming the event,
    e.g. ``"exam_tomorrow:candidate:42"``) the notice reaches the user at most once: it is
    recorded, and a later call with the same key does nothing — periodic jobs can offer a
    reminder on every run. A user without a device is skipped (nothing recorded, so a
    device subscribed before the next offer still gets it). Returns True when a delivery
    was queued.
    """
    if kind not in MESSAGES:
        raise ValueError(f"unknown push message kind {kind!r}")
    _check_url(url)
    context = {key: str(value) for key, value in context.items()}
    try:
        render_message(kind, context, settings.LANGUAGE_CODE)
    except KeyError as err:
        raise ValueError(f"push message {kind!r} needs context {err.args[0]!r}") from err
    if once_key is not None:
        if not PushSubscription.objects.filter(user_id=user.pk).exists():
            return False
        try:
            with transaction.atomic():
                _notice, created = PushNotice.objects.get_or_create(
                    user_id=user.pk, key=str(once_key)[:200], defaults={"kind": kind}
                )
        except IntegrityError:  # a concurrent offer recorded it first
            created = False
        if not created:
            return False
    transaction.on_commit(partial(deliver_push.enqueue, user.pk, kind, url, context), robust=True)
    return True


def _b64url_decode(value):
    value = str(value or "")
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def validate_subscription(data):
    """Check a browser ``PushSubscription.toJSON()`` dict (endpoint rules included, which
    resolves the host); returns ``(endpoint, p256dh, auth)`` or raises ``SubscriptionError``."""
    errors = []
    if not isinstance(data, dict):
        raise SubscriptionError([_("The subscription could not be read.")])
    endpoint = data.get("endpoint")
    keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
    try:
        check_endpoint(endpoint)
    except EndpointRefused as err:
        errors.append(err.message)
    try:
        public = _b64url_decode(keys.get("p256dh"))
        if len(public) != 65 or public[0] != 4:
            raise ValueError
    except (ValueError, binascii.Error):
        errors.append(_("The device's public key is not valid."))
    try:
        if len(_b64url_decode(keys.get("auth"))) != 16:
            raise ValueError
    except (ValueError, binascii.Error):
        errors.append(_("The device's authentication secret is not valid."))
    if errors:
        raise SubscriptionError(errors)
    return endpoint, keys["p256dh"], keys["auth"]


def subscribe(user, data, language, user_agent=""):
    """Store ``user``'s subscription (new, or ``user``'s own one refreshed); returns
    ``(subscription, created)``. Raises ``SubscriptionTaken`` when another user holds the
    endpoint (nothing changes) and ``SubscriptionError`` for an invalid one."""
    endpoint, p256dh, auth = validate_subscription(data)
    fields = {
        "p256dh": p256dh, "auth": auth,
        "language": language or settings.LANGUAGE_CODE, "user_agent": (user_agent or "")[:300],
    }
    try:
        with transaction.atomic():
            subscription, created = PushSubscription.objects.select_for_update().get_or_create(
                endpoint=endpoint, defaults={"user": user, **fields}
            )
    except IntegrityError as err:  # another request created it between the lookup and the insert
        subscription, created = PushSubscription.objects.filter(endpoint=endpoint).first(), False
        if subscription is None:
            raise SubscriptionError([_("The subscription could not be read.")]) from err
    if subscription.user_id != user.pk:
        raise SubscriptionTaken()
    if not created:
        for name, value in fields.items():
            setattr(subscription, name, value)
        subscription.save(update_fields=list(fields))
    return subscription, created


def unsubscribe(user, endpoint):
    """Delete ``user``'s subscription for ``endpoint``; False when they own none."""
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > MAX_ENDPOINT_LENGTH:
        return False
    deleted, _detail = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return deleted > 0
