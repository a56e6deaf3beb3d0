"""The facts prefilled into an assessment entry (records, hours, mentoring, duties, the duty
report, the training register's absences without a valid reason), read in a fixed number of
queries."""

from decimal import Decimal

from django.db.models import Count

from backbone.models import Designation
from core.dates import school_year_bounds
from core.models import School
from mentoring.models import Pairing
from records.hours import hours_for_teachers
from records.models import Record
from teachers.models import Teacher
from training.absences import unexcused_absences

from ..models import AssessmentEntry, AssessmentRound, DutyReport


def _num(value) -> str:
    return f"{Decimal(value).normalize():f}"


def _teachers_for(school: School, *, all_teachers: bool) -> list[Teacher]:
    teachers = Teacher.objects.filter(school=school, is_active=True)
    if not all_teachers:
        teachers = teachers.filter(
            pk__in=Designation.objects.current().tiers().values("teacher_id")
        )
    return list(teachers.order_by("staff_no"))


def _duty_statuses(*, teachers: list[Teacher], year: int, semester: int | None) -> dict:
    from ..duties import duty_statuses  # the duties engine, built beside this module

    return duty_statuses(teachers=teachers, year=year, semester=semester)


def _period(year: int, semester: int | None) -> dict:
    """The assessed period: the school year, or one of its semesters."""
    if semester:
        from ..duties import default_semester_dates

        start, end = default_semester_dates(year, semester)
    else:
        start, end = school_year_bounds(year)
    return {"start": start, "end": end}


def facts_for(
    *, teachers: list[Teacher], year: int, semester: int | None = None
) -> dict[int, dict]:
    """The prefilled facts of each teacher, in a fixed number of queries."""
    ids = [t.pk for t in teachers]
    facts = {tid: {"records": {}, "mentoring": 0, "duties": [], "duty_report": {}} for tid in ids}
    hours = hours_for_teachers(teachers=ids, year=year)
    records = Record.objects.counting().filter(teacher_id__in=ids, year=year)
    if semester:
        records = records.filter(semester=semester)
    for row in records.order_by().values("teacher_id", "kind").annotate(n=Count("pk")):
        facts[row["teacher_id"]]["records"][row["kind"]] = row["n"]
    pairings = (
        Pairing.objects.filter(mentor_id__in=ids, status=Pairing.Status.ACTIVE)
        .order_by()
        .values("mentor_id")
        .annotate(n=Count("pk"))
    )
    for row in pairings:
        facts[row["mentor_id"]]["mentoring"] = row["n"]
    for report in DutyReport.objects.filter(teacher_id__in=ids, year=year):
        facts[report.teacher_id]["duty_report"] = {
            "text": report.text,
            "submitted": report.submitted_at is not None,
        }
    duties = _duty_statuses(teachers=teachers, year=year, semester=semester) if ids else {}
    absences = unexcused_absences(teacher_ids=ids, **_period(year, semester)) if ids else {}
    for teacher_id in ids:
        h = hours[teacher_id]
        facts[teacher_id]["hours"] = {
            "total": _num(h.total),
            "school_based": _num(h.school_based),
            "met": h.met,
            "school_based_exempt": h.school_based_exempt,
        }
        facts[teacher_id]["training_absences"] = absences.get(teacher_id, [])
        facts[teacher_id]["duties"] = [
            {
                "kind": s.template.kind,
                "core": bool(s.template.is_core),
                "required": _num(s.required),
                "done": _num(s.done),
                "status": s.status,
            }
            for s in duties.get(teacher_id, [])
        ]
    return facts


def _refresh(round: AssessmentRound) -> list[AssessmentEntry]:
    entries = list(round.entries.select_related("teacher"))
    facts = facts_for(
        teachers=[e.teacher for e in entries], year=round.year, semester=round.semester
    )
    for entry in entries:
        entry.facts = facts[entry.teacher_id]
        entry.absent_without_reason = entry.effective_absence()
    AssessmentEntry.objects.bulk_update(entries, ["facts", "absent_without_reason"])
    return entries
