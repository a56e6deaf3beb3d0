"""Training: programmes, sessions, enrolment and the attendance register (programmes), and
what follows them: feedback (questions) and certificates (outcomes), and the annual
training-needs survey (needs)."""

from .applications import Application
from .needs import NeedsAnswer, NeedsGiven, NeedsQuestion, NeedsResponse, NeedsSurvey
from .outcomes import Certificate, FeedbackGiven, SessionReminder
from .programmes import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Attendance,
    Enrolment,
    Programme,
    Session,
    default_absence_share,
    new_session_code,
)
from .questions import FeedbackAnswer, FeedbackQuestion, FeedbackResponse

__all__ = [
    "Application", "CODE_ALPHABET", "CODE_LENGTH", "Attendance", "Certificate", "Enrolment",
    "FeedbackAnswer", "FeedbackGiven", "FeedbackQuestion", "FeedbackResponse",
    "NeedsAnswer", "NeedsGiven", "NeedsQuestion", "NeedsResponse", "NeedsSurvey",
    "Programme", "Session", "SessionReminder", "default_absence_share", "new_session_code",
]  # fmt: skip
