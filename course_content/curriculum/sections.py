"""Extension point: plugin-owned parts of a curriculum archive (e.g. the question bank).

Core never imports a plugin. A plugin contributes a named section of the archive by
answering these program-scoped signals (so only plugins that are on for the program
take part; the archive carries the program's plugin states, which are imported first).
"""

from plugins.signals import ProgramSignal

curriculum_export_sections = ProgramSignal()
"""Sent (``send``) by ``exporter.export_program`` for the program being exported.

kwargs: ``purpose`` — ``"archive"`` (an editor's export: everything) or ``"pack"`` (a
training-room pack: nothing that must not leave the central site, e.g. formal-only
questions; return None to leave the section out); ``user`` — the admin user exporting,
or None for management commands (trusted): leave out what that user may not see. A receiver returns ``(name, data)``
with a stable section ``name`` (prefix it with the plugin label, e.g.
``"exam_plugin.bank"``) and JSON-serialisable ``data``, or None.
"""

curriculum_import_section = ProgramSignal()
"""Sent (``send``) by ``importer.import_archive`` once per section, after the pages.

kwargs: ``name``, ``data`` (as exported), ``report`` (``importer.ImportReport``: call
``report.created/updated/unchanged/refused(kind, label, reason="")`` for each item) and
``mode`` (``"draft"`` an editor's import, ``"mirror"`` a training-room pack, ``"fixture"``)
and ``user`` (the admin user importing, None for commands/packs: a receiver refuses the
section when that user may not change what it holds). A receiver that owns ``name`` imports it
idempotently (matching by its own stable codes) inside the caller's transaction and
returns True; other receivers return None. A section no receiver handled is reported
as refused.
"""
