"""Program-scoped signals of the exam plugin (sender: the ProgramPage) and the exam
plugin's receivers of core signals. See ``plugins.signals`` for scoping rules: a
receiver in a plugin that is off for the program is never called."""

from plugins.signals import ProgramSignal

attempt_entry_checks = ProgramSignal()
"""Sent (``send_robust``) before a candidate enters a formal sitting or starts/resumes a
formal attempt, by ``exam_plugin.views`` (sitting entry and the exam page).

kwargs: ``request``, ``candidate`` (exam_plugin.Candidate), ``attempt`` (the Attempt or
None when not started yet). A receiver returns None when its checks are satisfied, or
``{"url": str, "reason": str}`` to send the candidate through a pre-flight page first
(face check, rules acceptance, second camera, full screen…). The first such answer wins;
the pre-flight page should link back to the URL in the ``next`` query parameter.
Mock attempts are not checked.
"""

exam_page_assets = ProgramSignal()
"""Sent (``send_robust``) when the exam page of a formal attempt is rendered.

kwargs: ``request``, ``attempt``. A receiver returns an HTML-safe string (scripts,
badges) inserted at the end of the exam page's body, or "". The page exposes
``window.examPage = {attemptId, apiBase, deadline, handIn(reason)}``.
"""

attempt_started = ProgramSignal()
"""Sent (``send_robust``) by ``exam_plugin.services.attempts.start_attempt`` after a new
attempt (formal or mock) was created. kwargs: ``attempt``. Receivers return nothing.
"""

attempt_submitted = ProgramSignal()
"""Sent (``send_robust``) by ``hand_in`` after an attempt was handed in (by the candidate,
by the clock or forced by a proctor). kwargs: ``attempt``, ``reason`` (str),
``forced`` (bool). Receivers return nothing.
"""

attempt_graded = ProgramSignal()
"""Sent (``send_robust``) when every question of an attempt has its final score.
kwargs: ``attempt`` (score and passed are set). Receivers return nothing.
"""

result_released = ProgramSignal()
"""Sent (``send_robust``) when an attempt's result becomes visible to the candidate.
kwargs: ``attempt``. Receivers return nothing. (For passed, valid formal results the
core ``course_content.signals.exam_passed`` is sent as well.)
"""

exam_day_status = ProgramSignal()
"""Sent (``send_robust``) by the exam-day panel (``exam_plugin.services.exam_day``) every
time it refreshes, once per program with sittings today.

kwargs: ``sittings`` (list of ExamSitting of this program), ``since`` (datetime: the
start of the "live" window, now minus 60 s). A receiver returns a dict
``{sitting_pk: {"incidents": int, "recent_incidents": int, "connected": set[int]}}``
with, per sitting, how many incidents there are in total and since ``since``, and the
pks of the Candidates it saw alive since ``since`` (heartbeats); sittings it knows
nothing about are left out. The panel adds up the answers of all receivers.
"""

# connects the receivers of core signals and the training-room pack receivers
from . import offline_packs, receivers  # noqa: E402,F401
