"""Sending one web push message to one device (the ``deliver_push`` task's work).

The endpoint is checked again just before the send (``endpoints.check_endpoint``) and the
send connects to the checked address only (``endpoints.PinnedSession``). A device whose push
service answers 404 or 410 (subscription expired or revoked) is removed; other failures are
logged and the device kept.
"""

import json
import logging

from django.conf import settings
from django.utils import timezone
from pywebpush import WebPushException, webpush
from requests import RequestException

from ..models import PushSubscription
from .endpoints import EndpointRefused, PinnedSession, check_endpoint
from .messages import render_message
from .vapid import vapid_key

logger = logging.getLogger(__name__)

EXPIRED_STATUSES = (404, 410)
PUSH_TTL_SECONDS = 3 * 24 * 3600


def _vapid_claims():
    # VAPID's contact for push-service operators (RFC 8292): a configured one, else the
    # site's public https address, else the server's mail address.
    base = settings.SITE_BASE_URL
    contact = getattr(settings, "PWA_PUSH_CONTACT", None) or (base if base.startswith("https://") else f"mailto:{settings.SERVER_EMAIL}")
    return {"sub": contact}


def send_to_subscription(subscription, kind, url, context):
    """Encrypt and send one message to one device. Returns ``"sent"``, ``"expired"``
    (the subscription was deleted), ``"refused"`` (the endpoint breaks the endpoint rules;
    nothing was sent) or ``"failed"``."""
    try:
        target = check_endpoint(subscription.endpoint)
    except EndpointRefused as err:
        if err.reason in ("malformed", "scheme", "host"):
            subscription.delete()  # can never be sent to
        logger.warning("push to subscription %s refused: endpoint %s", subscription.pk, err.reason)
        return "refused"
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
            requests_session=PinnedSession(target),
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
