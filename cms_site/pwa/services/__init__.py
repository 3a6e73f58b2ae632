"""Domain logic of the PWA app (views, the push API, receivers and tasks call these).

- ``shell``: what the service worker precaches, the shell version and the manifest;
- ``icons``: the home-screen icons, drawn with Pillow;
- ``push``: the push API other apps call (``notify``) and device subscriptions;
- ``messages``: each push message kind's title and body, translated per device;
- ``delivery``: sending one message to one device (the ``deliver_push`` task's work);
- ``endpoints``: where the server may send web push (the SSRF guard, pinned sessions);
- ``vapid``: the site's VAPID key pair, generated on first use.
"""
