"""Program-scoped signals of the exam plugin (sender: the ProgramPage); definitions only,
the exam plugin's receivers live in ``receivers.py``. See ``plugins.signals`` for scoping
rules: a receiver in a plugin that is off for the program is never called."""

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
``window.examPage = {attemptId, apiBase, deadline, handIn(reason), beforeLeaving(fn)}``
(``fn()`` is called, and its promise awaited for up to 3 s, when the candidate has
confirmed leaving a formal exam page through a link or form: a watcher reports the leave)
and ``window.examJournal`` (``recordEvent``/``markOffline``/``inSpell``/``onState``:
events the watcher could not report live are journaled and replayed, see
``offline_events_replayed``).
"""

offline_events_replayed = ProgramSignal()
"""Sent (``send_robust``) by ``exam_plugin.services.offline.replay_answers`` when the exam page
replays its journal after an offline spell of an open formal attempt — also when no
events were journaled, so a receiver can judge the spell itself.

kwargs: ``attempt``; ``since`` (datetime: the server's last contact of any kind before
the spell); ``now`` (the replay's arrival); ``events``: the journaled proctoring
events in journal order, ``{"id": str (device-made, stable across retries),
"type": "leave"|"back", "kind": "fullscreen"|"visibility"|"focus", "at": datetime}``
with ``at`` already corrected for the device clock and clamped into ``[since, now]``.
A receiver applies its rules as it would have live and returns None, or
``{"hand_in_reason": str, "at": datetime}`` when the rules end the exam (as of ``at``):
the exam plugin then refuses answers written after ``at`` and hands the paper in,
forced, with that reason. The first such answer wins. Receivers must be idempotent
for event ids they have already applied (a device may send the same replay twice).
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

reconnect_window = ProgramSignal()
"""Sent (``send_robust``) by ``exam_plugin.services.offline.reconnect_window`` to learn how long
after the deadline a replay of journaled answers may still arrive.

kwargs: none. A receiver returns a ``datetime.timedelta`` (its rule's window, e.g. the
proctor plugin's "log back in within 5 minutes after a crash"), or None when it has no
rule for the program. The first positive answer wins; without one the exam plugin's own
setting ``offline_reconnect_minutes`` applies.
"""

# Requests from a plugin that depends on the exam plugin (the proctor plugin): the exam
# plugin owns attempts, so others ask it to act on one instead of importing its services.

attempt_hand_in_requested = ProgramSignal()
"""Sent (``send``) by a plugin that may end an exam — the proctor plugin's console and its
room rules — to hand in an open formal attempt now, forced.

kwargs: ``attempt`` (exam_plugin.Attempt), ``reason`` (str: recorded as the hand-in reason
the candidate sees), ``by`` (the user who decided, or None when a rule did). The exam
plugin answers by handing the paper in (idempotent: a paper already handed in stays as
it is; ``attempt_submitted`` is sent as for every hand-in) and returns the Attempt.
Errors propagate to the sender.
"""

attempt_time_compensation_requested = ProgramSignal()
"""Sent (``send``) by a plugin that may give a candidate extra time (the proctor console).

kwargs: ``attempt``, ``minutes`` (int), ``reason`` (str, required), ``by`` (the user).
The exam plugin extends the attempt's deadline (logged) and returns None, or returns a
translated message (str) when it refuses: fewer than one minute, no reason, the paper
already handed in. The sender shows that message; nothing was changed.
"""

attempt_invalidation_requested = ProgramSignal()
"""Sent (``send``) by a plugin that may void a result (the proctor's decision or the
warning limit).

kwargs: ``attempt``, ``reason`` (str), ``by`` (the user, or None for a rule). The exam
plugin hands an open attempt in first, declares its score void and, when a passing result
was already released, sends ``course_content.signals.exam_result_invalidated``. Returns
the Attempt.
"""

attempt_contact = ProgramSignal()
"""Sent (``send_robust``) by a plugin whose live traffic proves the exam page is still
connected (the proctor plugin's heartbeats), so an offline spell is measured from the last
contact of any kind (``exam_plugin.services.offline.last_contact``).

kwargs: ``attempt_id`` (int), ``at`` (datetime of the contact). The exam plugin records it
(best effort: never raises, writes at most once per ``TOUCH_RESOLUTION``); receivers
return nothing. Send it outside a transaction.
"""
