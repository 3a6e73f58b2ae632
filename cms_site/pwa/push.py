"""Web push: who gets which message, in which language, and what happens on delivery.

Public contract for other apps (plugins included; core never imports a plugin, so
plugins call in):

    from cms_site.pwa.push import notify
    notify(user, "certificate_issued", url, program="…", number="…")

``notify(user, kind, url, **context)`` checks ``kind`` and ``context`` against
``MESSAGES`` at once (a ``ValueError`` points at the caller), then, when the current
transaction commits, enqueues the background task ``deliver_push`` (Django's tasks API)
which sends one encrypted message to each of the user's devices, translated into the
device's language. ``url`` must be a path on this site (``/…``). A device whose push
service answers 404 or 410 (subscription expired or revoked) is removed; other failures
are logged and the device kept. Users without a device are skipped silently.
"""

import base64
import binascii
import json
import logging
from functools import partial
from ipaddress import ip_address
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task
from pywebpush import WebPushException, webpush
from requests import RequestException

from .models import PushSubscription
from .vapid import vapid_key

logger = logging.getLogger(__name__)

# kind -> (title, body with %(name)s placeholders filled from the notify() context)
MESSAGES = {
    "test": (
        _("Notifications are on"),
        _("This device will now receive notices about your registration, exams and certificates."),
    ),
    "registration_approved": (
        _("Registration approved"),
        _("Your registration for %(program)s has been approved."),
    ),
    "registration_rejected": (
        _("Registration not approved"),
        _("Your registration for %(program)s was not approved: %(reason)s"),
    ),
    "device_test": (
        _("Test your device for the exam"),
        _("Your %(program)s exam is on %(date)s. Please run the device test now."),
    ),
    "exam_tomorrow": (
        _("Your exam is tomorrow"),
        _("Your %(program)s exam starts tomorrow at %(time)s."),
    ),
    "exam_passed": (
        _("Exam result released"),
        _("You passed the %(program)s exam with %(score)s points."),
    ),
    "results_released": (
        _("Exam result released"),
        _("Your %(program)s exam result has been released."),
    ),
    "certificate_issued": (
        _("Certificate issued"),
        _("Your %(program)s certificate %(number)s has been issued."),
    ),
}

EXPIRED_STATUSES = (404, 410)
PUSH_TTL_SECONDS = 3 * 24 * 3600


class SubscriptionError(ValueError):
    """A subscription the browser sent is unusable; ``messages`` are translated."""

    def __init__(self, messages):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = messages


def render_message(kind, context, language):
    """``(title, body)`` of ``kind`` in ``language``; KeyError when context lacks a field."""
    title, body = MESSAGES[kind]
    with translation.override(language):
        return str(title), str(body) % context


def _check_url(url):
    parts = urlsplit(url)
    if not url.startswith("/") or url.startswith("//") or parts.scheme or parts.netloc:
        raise ValueError(f"push url must be a path on this site, got {url!r}")


def notify(user, kind, url, **context):
    """Send ``kind`` to every device of ``user`` after the current transaction commits.

    ``context`` values must be JSON-serialisable (they travel through the task queue);
    format dates and times before calling.
    """
    if kind not in MESSAGES:
        raise ValueError(f"unknown push message kind {kind!r}")
    _check_url(url)
    context = {key: str(value) for key, value in context.items()}
    try:
        render_message(kind, context, settings.LANGUAGE_CODE)
    except KeyError as err:
        raise ValueError(f"push message {kind!r} needs context {err.args[0]!r}") from err
    transaction.on_commit(partial(deliver_push.enqueue, user.pk, kind, url, context), robust=True)


def _vapid_claims():
    contact = getattr(settings, "PWA_PUSH_CONTACT", None) or f"mailto:{settings.SERVER_EMAIL}"
    return {"sub": contact}


def send_to_subscription(subscription, kind, url, context):
    """Encrypt and send one message to one device. Returns ``"sent"``, ``"expired"``
    (the subscription was deleted) or ``"failed"``."""
    title, body = render_message(kind, context, subscription.language)
    payload = json.dumps(
        {"kind": kind, "title": title, "body": body, "url": url, "tag": kind, "lang": subscription.language},
        ensure_ascii=False,
    )
    try:
        webpush(
            subscription.subscription_info(),
            data=payload,
            vapid_private_key=vapid_key(),
            vapid_claims=_vapid_claims(),
            ttl=PUSH_TTL_SECONDS,
            timeout=10,
        )
    except WebPushException as err:
        status = getattr(err.response, "status_code", None)
        if status in EXPIRED_STATUSES:
            subscription.delete()
            return "expired"
        logger.warning("push to subscription %s failed: %s", subscription.pk, status or err)
        return "failed"
    except RequestException as err:
        logger.warning("push service unreachable for subscription %s: %s", subscription.pk, err)
        return "failed"
    PushSubscription.objects.filter(pk=subscription.pk).update(last_delivered_at=timezone.now())
    return "sent"


@task()
def deliver_push(user_id, kind, url, context):
    """Background task: send ``kind`` to each device of the user; returns outcome counts."""
    outcomes = {"sent": 0, "expired": 0, "failed": 0}
    if not get_user_model().objects.filter(pk=user_id, is_active=True).exists():
        return outcomes
    for subscription in PushSubscription.objects.filter(user_id=user_id):
        outcomes[send_to_subscription(subscription, kind, url, context)] += 1
    return outcomes


def _b64url_decode(value):
    value = str(value or "")
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def _endpoint_allowed(endpoint):
    """Push services are HTTPS; plain HTTP only to a loopback address when
    ``PWA_PUSH_ALLOW_LOOPBACK_HTTP`` is on (local test receivers)."""
    parts = urlsplit(endpoint)
    if parts.scheme == "https" and parts.hostname:
        return True
    if parts.scheme == "http" and getattr(settings, "PWA_PUSH_ALLOW_LOOPBACK_HTTP", False):
        try:
            return ip_address(parts.hostname or "").is_loopback
        except ValueError:
            return parts.hostname == "localhost"
    return False


def validate_subscription(data):
    """Check a browser ``PushSubscription.toJSON()`` dict; returns ``(endpoint, p256dh, auth)``."""
    errors = []
    if not isinstance(data, dict):
        raise SubscriptionError([_("The subscription could not be read.")])
    endpoint = str(data.get("endpoint") or "")
    keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
    if not endpoint or len(endpoint) > 1000 or not _endpoint_allowed(endpoint):
        errors.append(_("The push service address is not valid."))
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
    """Store (or move to ``user``) the subscription; returns ``(subscription, created)``."""
    endpoint, p256dh, auth = validate_subscription(data)
    return PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={
            "user": user, "p256dh": p256dh, "auth": auth,
            "language": language or settings.LANGUAGE_CODE, "user_agent": user_agent[:300],
        },
    )


def unsubscribe(user, endpoint):
    """Delete ``user``'s subscription for ``endpoint``; False when they own none."""
    deleted, _detail = PushSubscription.objects.filter(user=user, endpoint=str(endpoint or "")).delete()
    return deleted > 0
