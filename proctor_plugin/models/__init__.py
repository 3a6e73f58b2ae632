from .access import FaceImageAccess
from .console import ConsoleSitting
from .events import (
    BreakRequest,
    FaceCheck,
    Incident,
    LeaveEvent,
    ProctorAction,
    SecondCameraToken,
    Snapshot,
    Warning,
)
from .room import FaceEnrolment, ProctoredSitting, SittingProctor, private_storage

__all__ = [
    "BreakRequest",
    "ConsoleSitting",
    "FaceCheck",
    "FaceEnrolment",
    "FaceImageAccess",
    "Incident",
    "LeaveEvent",
    "ProctorAction",
    "ProctoredSitting",
    "SecondCameraToken",
    "SittingProctor",
    "Snapshot",
    "Warning",
    "private_storage",
]
