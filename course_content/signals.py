"""Program-scoped signals sent by the learning core: the app's one signals module. See
``plugins.signals`` for how scoping works. ``sender`` is always the ProgramPage.

- Enrolment and exam results: ``enrolment_created``, ``exam_passed``,
  ``exam_result_invalidated``.
- The study ledger (``course_content.services.ledger``): ``enrolment_hours_changed``.
- Curriculum archives (``course_content.services.curriculum``), the extension point for
  plugin-owned parts of an archive (e.g. the question bank): ``curriculum_export_sections``
  and ``curriculum_import_section``. Core never imports a plugin. A plugin contributes a
  named section of the archive by answering these program-scoped signals (so only plugins
  that are on for the program take part; the archive carries the program's plugin states,
  which are imported first). ``exporter`` and ``importer`` in their docstrings are the
  modules of ``course_content.services.curriculum``.
"""

from plugins.signals import ProgramSignal

enrolment_created = ProgramSignal()
"""Sent by ``course_content.services.enrolment.enrol`` after a new enrolment is saved.

kwargs: ``enrolment``. Receivers return nothing.
"""

exam_passed = ProgramSignal()
"""Sent by the exam plugin when a candidate's result is released as passed (and valid).

kwargs: ``enrolment`` (the candidate's Enrolment), ``result_id`` (str, the exam
plugin's opaque reference), ``score`` (Decimal), ``passed_on`` (date of the exam sitting,
from which certificate lags are counted). Receivers return nothing. Defined in core so
that a certificate plugin need not import the exam plugin.
"""

exam_result_invalidated = ProgramSignal()
"""Sent by the exam or proctor plugin when a released result is declared invalid
(score void), e.g. after a proctor's decision.

kwargs: ``enrolment``, ``result_id``, ``reason`` (str). Receivers return nothing.
"""

enrolment_hours_changed = ProgramSignal()
"""Sent by ``course_content.services.ledger.notify_hours_changed`` whenever ledger rows of an
enrolment were added or changed (online heartbeats, offline replay, pack merge).

kwargs: ``enrolment``, ``class_hours`` (Decimal, derived from the ledger),
``hours_met`` (bool: class_hours ≥ the level's required hours), ``newly_met`` (bool:
this change crossed the requirement). Receivers return nothing; sent with
``send_robust`` so a failing plugin never loses a heartbeat.
"""

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
