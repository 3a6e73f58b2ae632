"""Program-scoped signals sent by the learning core. See ``plugins.signals`` for how
scoping works. ``sender`` is always the ProgramPage."""

from plugins.signals import ProgramSignal

enrolment_created = ProgramSignal()
"""Sent by ``course_content.enrolment.enrol`` after a new enrolment is saved.

kwargs: ``enrolment``. Receivers return nothing.
"""

enrolment_hours_changed = ProgramSignal()
"""Sent by ``course_content.hours.notify_hours_changed`` whenever ledger rows of an
enrolment were added or changed (online heartbeats, offline replay, pack merge).

kwargs: ``enrolment``, ``class_hours`` (Decimal, derived from the ledger),
``hours_met`` (bool: class_hours ≥ the level's required hours), ``newly_met`` (bool:
this change crossed the requirement). Receivers return nothing; sent with
``send_robust`` so a failing plugin never loses a heartbeat.
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
