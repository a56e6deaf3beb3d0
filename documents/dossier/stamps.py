"""What changes a dossier: the data stamps its fingerprint is made of, so asking again over
unchanged data returns the stored file."""

import hashlib
import json

from django.db.models import Count, IntegerField, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessment.models import AnnualGrade, AssessmentEntry, DutyReport
from backbone.models import Designation
from mentoring.models import Pairing
from records.models import Record
from teachers.models import PostHeld, Teacher, TitleAward
from training.models import Certificate, Enrolment


# -- what changes the dossier ----------------------------------------------------------------
def _latest(model, field_name: str, teacher_field: str = "teacher"):
    """A subquery: the latest ``field_name`` (or the row count) of the teacher's rows."""
    rows = model.objects.filter(**{teacher_field: OuterRef("pk")}).order_by().values(teacher_field)
    if field_name == "count":
        return Coalesce(
            Subquery(rows.annotate(v=Count("pk")).values("v")[:1], output_field=IntegerField()),
            0,
        )
    return Subquery(rows.annotate(v=Max(field_name)).values("v")[:1])


STAMP_FIELDS = {
    "records_changed": (Record, "updated_at", "teacher"),
    "records": (Record, "count", "teacher"),
    "designations_created": (Designation, "created_at", "teacher"),
    "designations_closed": (Designation, "closed_on", "teacher"),
    "designations_flagged": (Designation, "flagged_at", "teacher"),
    "designations": (Designation, "count", "teacher"),
    "grades_changed": (AnnualGrade, "recorded_at", "teacher"),
    "grades": (AnnualGrade, "count", "teacher"),
    "entries_finalised": (AssessmentEntry, "round__finalised_at", "teacher"),
    # Posting the results (公示) releases the round's scores and grades to the dossier.
    "entries_posted": (AssessmentEntry, "round__notice_from", "teacher"),
    "entries": (AssessmentEntry, "count", "teacher"),
    "mentor_pairings": (Pairing, "created_at", "mentor"),
    "mentor_pairings_ended": (Pairing, "ended_on", "mentor"),
    "mentor_pairings_approved": (Pairing, "approved_at", "mentor"),
    "apprentice_pairings": (Pairing, "created_at", "apprentice"),
    "apprentice_pairings_ended": (Pairing, "ended_on", "apprentice"),
    "apprentice_pairings_approved": (Pairing, "approved_at", "apprentice"),
    "duty_reports": (DutyReport, "updated_at", "teacher"),
    "posts_held": (PostHeld, "count", "teacher"),
    "posts_ended": (PostHeld, "ended_on", "teacher"),
    "title_awards": (TitleAward, "count", "teacher"),
    "titles_changed": (TitleAward, "awarded_on", "teacher"),
    "enrolments": (Enrolment, "count", "teacher"),
    "certificates": (Certificate, "issued_at", "enrolment__teacher"),
    "certificates_revoked": (Certificate, "revoked_at", "enrolment__teacher"),
}


def with_data_stamps(teachers: QuerySet) -> QuerySet:
    """Annotate each teacher with the latest change of every kind of data a dossier prints."""
    return teachers.annotate(
        **{f"stamp_{name}": _latest(*spec) for name, spec in STAMP_FIELDS.items()}
    )


def _teacher_stamp(teacher: Teacher) -> list:
    values = [teacher.pk, teacher.updated_at]
    values += [getattr(teacher, f"stamp_{name}") for name in STAMP_FIELDS]
    return values


def dossier_fingerprint(*, teachers: list[Teacher], language: str, extra=None) -> str:
    """Teachers (annotated by ``with_data_stamps``), language and print date: the same request
    over unchanged data on the same day gets the same fingerprint, and so the stored file.
    The day counts because the cover prints it and duty statuses depend on it."""
    payload = [
        language,
        timezone.localdate().isoformat(),
        extra,
        [_teacher_stamp(t) for t in teachers],
    ]
    text = json.dumps(payload, default=str, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()
