"""The per-program plugin framework (after pretix's per-event plugins).

- ``apps``: the app, and which Django apps are plugins (``discover_plugin_apps``:
  settings-time, no Django needed)
- ``models``: which plugin is on for which program, with its settings
- ``services``: ``states`` (enable / disable / configure, with dependency checks and
  hooks; re-exported by the package), ``registry`` (the metadata of installed plugins),
  ``programs`` (the configured program model (``PLUGINS_PROGRAM_MODEL``) and the cached
  path -> program / plugin-state lookups of the gate, invalidated by ``receivers``),
  ``gate`` (the 404 in front of every program-scoped plugin view), ``hot_paths``
- ``signals``: program-scoped signals
- ``urls``: mounting of plugin URLs under a program behind the gate
- ``middleware``: ``HotPathMiddleware``, the hot paths served with less middleware
- ``views``: the admin page to switch plugins per program
"""
