"""One short form per kind of record, with sensible defaults (today, the teacher's own
subject, school level), and the growth-page filters. Forms parse and validate input; saving
goes through records.services.workflow.

The rooms: ``base`` (RecordForm and the pickers every kind uses), ``kinds`` (one form per
kind, form_class_for), ``plans`` (the self-development plan), ``growth`` (the page's filters).
"""

from .base import (
    MAX_TRAINING_HOURS,
    SUBMIT_BUTTON,
    RecordChoiceField,
    RecordForm,
    TeacherChoiceField,
    TeacherMultipleChoiceField,
    colleagues,
)
from .growth import GrowthFilterForm
from .kinds import (
    FORMS,
    LectureForm,
    MonthInput,
    ObservationForm,
    OpenClassForm,
    PaperForm,
    ReadingNoteForm,
    ResearchProjectForm,
    StudyTripForm,
    TrainingForm,
    form_class_for,
)
from .plans import SelfDevelopmentPlanForm

__all__ = [
    "FORMS",
    "GrowthFilterForm",
    "LectureForm",
    "MAX_TRAINING_HOURS",
    "MonthInput",
    "ObservationForm",
    "OpenClassForm",
    "PaperForm",
    "ReadingNoteForm",
    "RecordChoiceField",
    "RecordForm",
    "ResearchProjectForm",
    "SUBMIT_BUTTON",
    "SelfDevelopmentPlanForm",
    "StudyTripForm",
    "TeacherChoiceField",
    "TeacherMultipleChoiceField",
    "TrainingForm",
    "colleagues",
    "form_class_for",
]
