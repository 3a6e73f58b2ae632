"""Program-scoped signals of registration (sender: the ProgramPage). See plugins.signals."""

from plugins.signals import ProgramSignal

registration_photo_checks = ProgramSignal()
"""Sent while validating an uploaded registration photo (2-inch, blue background).

kwargs: ``image`` (a PIL.Image, already decoded and size-checked), ``level``.
A receiver returns a list of translated error messages (empty when the photo is fine),
e.g. the proctor plugin checks there is exactly one face. Sent with ``send_robust``;
an exception counts as no objection (logged).
"""

registration_approved = ProgramSignal()
"""Sent after a reviewer approved a registration and the enrolment exists.

kwargs: ``registration``, ``enrolment``, ``photo_path`` (absolute path of the approved
ID photo in private storage, or None). The proctor plugin enrols the face from it.
Receivers return nothing.
"""

exam_sittings_for_registration = ProgramSignal()
"""Sent by the registration form to list the exam sittings a candidate can register for.

kwargs: ``level`` (ProgramLevel). A receiver returns a list of dicts
``{"id": str, "label": str, "starts_at": aware datetime}``. With no exam plugin on,
nobody answers and registration is for study only. Registration for a sitting closes
at ``course_content.services.calendar.sign_up_closes_at(starts_at)`` (one week before).
"""

registration_reviewed = ProgramSignal()
"""Sent after a reviewer approved or rejected a registration (after
``registration_approved`` on approval), e.g. to notify the candidate (web push).

kwargs: ``registration``, ``approved`` (bool), ``reason`` (str; the rejection reason,
empty on approval). Receivers return nothing. Sent with ``send_robust``.
"""
