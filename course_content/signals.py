"""Program-scoped signals sent by the learning core. See ``plugins.signals`` for how
scoping works. ``sender`` is always the ProgramPage. The study ledger's signal
(``enrolment_hours_changed``) is defined in ``course_content.ledger.signals``."""

from plugins.signals import ProgramSignal

enrolment_created = ProgramSignal()
"""Sent by ``course_content.enrolment.enrol`` after a new enrolment is saved.

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
