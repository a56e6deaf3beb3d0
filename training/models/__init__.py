"""Training: programmes, sessions, enrolment and the attendance register (programmes), and
what follows them: feedback and certificates (outcomes)."""

from .applications import Application
from .outcomes import Certificate, Feedback, FeedbackGiven, SessionReminder
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

__all__ = [
    "Application", "CODE_ALPHABET", "CODE_LENGTH", "Attendance", "Certificate", "Enrolment",
    "Feedback", "FeedbackGiven", "Programme", "Session", "SessionReminder", "default_absence_share",
    "new_session_code",
]  # fmt: skip
