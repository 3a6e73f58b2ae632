"""The study-hour ledger: its rules (heartbeats in, ``StudyInterval`` rows out), the totals
derived from it and its signal. The one home of study time; the lesson page, the study
API, offline replay, reports and the dashboard all read and write it through here.

A package: ``config`` (timing settings), ``heartbeats`` (what a client claims, parsed and
validated), ``rules`` (the rules below, writing rows), ``totals`` (sums and class hours
derived from the rows, and ``notify_hours_changed``), ``progress`` (what a learner sees on
lesson and module pages) and ``dashboard`` (the learner's dashboard cards). Its signal,
``enrolment_hours_changed``, is defined in ``course_content.signals``. Import the rules and
totals from here; the pages that show ``progress`` and ``dashboard`` import those modules.

A heartbeat's path: the study API (``course_content.api.study``, online and offline replay alike)
or a pack merge → ``record_heartbeats`` → ``rules`` writes rows → ``totals`` sends
``enrolment_hours_changed`` → the exam plugin's eligibility gate, the certificate condition.

A lesson page that is visible, with a learner who is active (input, scroll, or a video
playing), sends a heartbeat every ``STUDY_HEARTBEAT_SECONDS``. After the program's
``inactivity_prompt_minutes`` without input (``inactivity_prompt_seconds``) the page asks
"still studying?" and sends nothing until answered; the **server time bound** below makes
sure the unanswered time is never credited, whatever a client claims. Each heartbeat claims one
span of study ``[started_at, ended_at]`` on one lesson. The rules below decide how much
of that claim is credited; they are the same for online heartbeats and for heartbeats
replayed later from an offline device:

- **Malformed** input (missing fields, end before start, a span longer than one heartbeat
  interval plus tolerance) is rejected.
- **Future-dated** heartbeats (ending after the server's clock plus ``STUDY_CLOCK_SKEW_SECONDS``)
  are rejected.
- **Replays**: sequence numbers grow per device; a repeated or older sequence number is
  rejected, so replaying a batch twice credits nothing the second time.
- **Inactive** spans (the page reports itself hidden or idle) are not credited.
- **Server time bound** (online): the credit never exceeds the server time elapsed since
  the device's previous accepted heartbeat plus tolerance, and online spans are placed on
  the server's clock, so a wrong client clock cannot inflate hours.
- **Video only**: when a playing video was the only activity, only the seconds actually
  played count; time jumped over by seeking ahead is recorded but never credited.
- **One lesson at a time**: a learner's time is credited once. A span is trimmed to the
  parts no other ledger row of the learner already covers (another tab, another device,
  another program); a span entirely covered is rejected as overlapping.
- **Cap**: a lesson is credited at most its declared class hours per enrolment;
  re-studying adds nothing.
- **Offline credit**: a program whose ``accept_offline_credit`` is off rejects spans
  replayed from an offline device or merged from a training-room pack (``offline_refused``).

Ledger rows written here always cover exactly the seconds they credit, so "covered
time" and "credited time" are the same thing. Sibling enrolments of one program (the
same learner at two levels) are each credited for the same study: that is one activity
counted towards two certificates, not two activities at once.
"""

from .config import (
    clock_skew_seconds,
    heartbeat_seconds,
    inactivity_prompt_seconds,
    max_batch,
    tolerance_seconds,
)
from .heartbeats import (
    ACTIVITIES,
    DEFERRED_SOURCES,
    OFFLINE,
    ONLINE,
    PACK,
    Heartbeat,
    HeartbeatOutcome,
    HeartbeatRejected,
    parse_heartbeat,
)
from .rules import record_heartbeat, record_heartbeats
from .totals import (
    class_hour_seconds,
    class_hours,
    credited_seconds,
    hours_met,
    learner_totals,
    lesson_credited_seconds,
    notify_hours_changed,
    seconds_by_lesson,
    seconds_to_class_hours,
)

__all__ = [
    "ACTIVITIES", "DEFERRED_SOURCES", "OFFLINE", "ONLINE", "PACK", "Heartbeat", "HeartbeatOutcome",
    "HeartbeatRejected", "class_hour_seconds", "class_hours", "clock_skew_seconds", "credited_seconds",
    "heartbeat_seconds", "hours_met", "inactivity_prompt_seconds", "learner_totals",
    "lesson_credited_seconds", "max_batch", "notify_hours_changed", "parse_heartbeat", "record_heartbeat",
    "record_heartbeats", "seconds_by_lesson", "seconds_to_class_hours", "tolerance_seconds",
]
