"""Teachers' professional records: open classes, observations, papers, projects, lectures,
training hours, reading notes, study trips and self-development plans.

Every kind is a child table of one ``Record`` (multi-table inheritance), so the verification
queue, the "My growth" timeline, attachments and the audit trail work on every kind at once.

The rooms: ``choices`` (Level, Kind, Status), ``record`` (Record and its queryset), ``kinds``
(one child table per kind), ``responses`` (sign-ups, evaluations, plan comments), ``trail``
(attachments and the audit trail), ``exemptions`` (long-cycle training exempted from the
school-based hours). Every model keeps the app label "records" and its table.
"""

from .choices import KIND_ACCESSORS, Kind, Level, Status
from .exemptions import HoursExemption
from .kinds import (
    Lecture,
    Observation,
    OpenClass,
    Paper,
    ReadingNote,
    ResearchProject,
    SelfDevelopmentPlan,
    StudyTrip,
    TeachingReflection,
    Training,
)
from .lessonstudy import LessonStudy, LessonStudyRound
from .record import Record, RecordQuerySet
from .responses import OpenClassEvaluation, OpenClassSignup, PlanComment
from .trail import Attachment, AuditEntry, attachment_upload_to

__all__ = [
    "Attachment",
    "AuditEntry",
    "HoursExemption",
    "KIND_ACCESSORS",
    "Kind",
    "Lecture",
    "LessonStudy",
    "LessonStudyRound",
    "Level",
    "Observation",
    "OpenClass",
    "OpenClassEvaluation",
    "OpenClassSignup",
    "Paper",
    "PlanComment",
    "ReadingNote",
    "Record",
    "RecordQuerySet",
    "ResearchProject",
    "SelfDevelopmentPlan",
    "Status",
    "StudyTrip",
    "TeachingReflection",
    "Training",
    "attachment_upload_to",
]
