"""Course modules for offline study: what "download for offline" stores of a module
(``manifest``), served on the site API as ``GET /api/offline/modules/{module_id}`` (``api``),
and the download panel of the module page (``templates/course_content/offline/``).

The browser side (storing the listed files in the cache ``pwa-module-<id>``, answering from
it offline) belongs to the app shell, ``cms_site.pwa`` (``static/pwa/offline.js``,
``templates/pwa/sw.js``); study done offline is replayed through the ledger by
``POST /api/study/replay`` (``course_content.api``).
"""
