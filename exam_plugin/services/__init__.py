"""Plain domain functions of the exam plugin; its views, API, receivers and commands call
these. Other plugins never import them: they ask through the exam plugin's request
signals (``exam_plugin.signals``), which ``receivers.py`` answers with these functions.

The attempt entry points are re-exported here::

    from exam_plugin.services import hand_in, compensate_time, invalidate
"""

from .attempts import (
    AttemptError,
    auto_hand_in_due,
    compensate_batch,
    compensate_time,
    hand_in,
    invalidate,
)
from .clock import ClockRefusal
from .papers import BankShortage

__all__ = [
    "AttemptError",
    "BankShortage",
    "ClockRefusal",
    "auto_hand_in_due",
    "compensate_batch",
    "compensate_time",
    "hand_in",
    "invalidate",
]
