from .attempts import Attempt, AttemptItem, TimeCompensation
from .bank import Blueprint, KnowledgePoint, Question
from .grading import Mark
from .offline import OfflineSpell, PracticeResult
from .sittings import Candidate, ExamSitting

__all__ = [
    "Attempt",
    "AttemptItem",
    "Blueprint",
    "Candidate",
    "ExamSitting",
    "KnowledgePoint",
    "Mark",
    "OfflineSpell",
    "PracticeResult",
    "Question",
    "TimeCompensation",
]
