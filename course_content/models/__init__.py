from .calendar import WorkingDayOverride
from .enrolment import Enrolment, StudyInterval
from .programs import HomePage, InitialPasswordRule, ProgramGroupPage, ProgramIndexPage, ProgramLevel, ProgramPage

__all__ = [
    "Enrolment",
    "HomePage",
    "InitialPasswordRule",
    "ProgramGroupPage",
    "ProgramIndexPage",
    "ProgramLevel",
    "ProgramPage",
    "StudyInterval",
    "WorkingDayOverride",
]
