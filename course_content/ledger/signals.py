"""Program-scoped signals of the study ledger. See ``plugins.signals`` for how scoping
works. ``sender`` is always the ProgramPage."""

from plugins.signals import ProgramSignal

enrolment_hours_changed = ProgramSignal()
"""Sent by ``course_content.ledger.notify_hours_changed`` whenever ledger rows of an
enrolment were added or changed (online heartbeats, offline replay, pack merge).

kwargs: ``enrolment``, ``class_hours`` (Decimal, derived from the ledger),
``hours_met`` (bool: class_hours ≥ the level's required hours), ``newly_met`` (bool:
this change crossed the requirement). Receivers return nothing; sent with
``send_robust`` so a failing plugin never loses a heartbeat.
"""
