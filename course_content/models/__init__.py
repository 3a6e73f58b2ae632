from .calendar import WorkingDayOverride
from .enrolment import Enrolment, StudyInterval
from .lessons import CourseModulePage, LessonPage, program_of
from .policies import (
    FaqPage,
    NoticePage,
    PolicyIndexPage,
    PolicyPage,
    PolicyPageTag,
    PolicyTableRow,
)
from .programs import (
    HomePage,
    InitialPasswordRule,
    ProgramGroupPage,
    ProgramIndexPage,
    ProgramLevel,
    ProgramPage,
)
from .studying import StudyDevice

__all__ = [
    "CourseModulePage",
    "Enrolment",
    "FaqPage",
    "HomePage",
    "InitialPasswordRule",
    "LessonPage",
    "NoticePage",
    "PolicyIndexPage",
    "PolicyPage",
    "PolicyPageTag",
    "PolicyTableRow",
    "ProgramGroupPage",
    "ProgramIndexPage",
    "ProgramLevel",
    "ProgramPage",
    "StudyDevice",
    "StudyInterval",
    "WorkingDayOverride",
    "program_of",
]
