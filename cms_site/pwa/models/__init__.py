"""Models of the PWA app, one module per aggregate; re-exported here.

- ``subscriptions``: ``PushSubscription``, one device that receives web push for a user;
- ``notices``: ``PushNotice``, a notice recorded so it reaches a user at most once.
"""

from .notices import PushNotice
from .subscriptions import PushSubscription

__all__ = ["PushNotice", "PushSubscription"]
