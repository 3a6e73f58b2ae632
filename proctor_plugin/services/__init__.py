"""The proctor plugin's domain logic; views, the API, receivers, commands and tests call
these modules directly.

- ``rules``: the exam-room rules as pure functions (leaves, breaks, reconnects).
- ``monitoring``: applying them to what the candidate's page reports (heartbeats, leaves).
- ``console``: the proctor's live view of a sitting and the actions taken from it.
- ``preflight``, ``second_camera``, ``face_enrolment``, ``face/``: pre-exam checks and the
  face engine (detection + embedding on onnxruntime, model files).
- ``privacy``, ``audit``: who may see proctoring evidence, and the log of who did.
- ``offline``: judging the proctoring events a device journaled while offline.
"""
