"""The per-program plugin framework (after pretix's per-event plugins).

- ``discovery``: which Django apps are plugins (settings-time, no Django needed)
- ``registry``: the metadata of installed plugins
- ``models``: which plugin is on for which program, with its settings
- ``programs``: the configured program model (``PLUGINS_PROGRAM_MODEL``) and the cached
  path -> program / plugin-state lookups of the gate (invalidated by ``receivers``)
- ``services``: enable / disable / configure, with dependency checks and hooks
- ``signals``: program-scoped signals
- ``urls``: mounting of plugin URLs under a program behind one gate
"""
