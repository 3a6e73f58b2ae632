"""Views of the PWA app.

- ``shell``: manifest, service worker, offline pages and icons (everyone);
- ``push``: the logged-in user's devices that receive notifications.
"""
