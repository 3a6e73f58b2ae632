"""The learning core's routers of the site API (``cms_site.api`` mounts them by dotted path).

- ``study``: ``/api/study/...`` — heartbeats and offline replay into the ledger.
- ``offline``: ``/api/offline/...`` — what to store on the device for a course module.
"""
