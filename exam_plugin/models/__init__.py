from .attempts import Attempt, AttemptItem, TimeCompensation
from .bank import Blueprint, KnowledgePoint, Question
from .grading import Mark
from .sittings import Candidate, ExamSitting

__all__ = [
    "Attempt",
    "AttemptItem",
    "Blueprint",
    "Candidate",
    "ExamSitting",
    "KnowledgePoint",
    "Mark",
    "Question",
    "TimeCompensation",
]
