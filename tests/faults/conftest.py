"""Reuse the exam plugin's fixtures (an eligible learner, a sitting happening now)."""

from tests.exam_plugin.conftest import candidate, eligible, sitting_now, without_proctoring  # noqa: F401
