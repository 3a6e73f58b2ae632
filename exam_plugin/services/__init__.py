"""Plain domain functions of the exam plugin; views and other plugins call these.

The proctor plugin's entry points are re-exported here::

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
