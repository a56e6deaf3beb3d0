"""The priority lists for study trips and further study (外出学习、进修优先名单) and the
performance-pay table (绩效工资): computed when asked, for the schools the reader may see, in a
constant number of queries.

Priority, for a school year Y, among the school's teachers holding a current tier designation:
higher tier first; then the released annual grade of Y−1 (the last assessment); then
- study trips: fewer verified study trips in Y−1 and Y first (the turn goes round), then more
  outcomes at district level or above;
- further study: more outcomes at district level or above in Y−1 and Y, then more outcomes;
then the staff number. Each row says why.

Performance pay, for a school year: every teacher on staff with their released annual grade of
that year and their duty completion (the duty engine), a row per teacher.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from teachers.models import Grade, Teacher

from . import facts
from .reasons import duty_reason, grade_reason, outcome_reason

TRIPS = "trips"
STUDY = "study"


@dataclass
class PriorityRow:
    teacher: Teacher
    tier_label: str
    tier_level: int
    grade: int | None
    trips: int
    outcomes: facts.Outcomes
    reasons: list[str] = field(default_factory=list)
    position: int = 0


def _teachers(schools) -> list[Teacher]:
    return list(
        Teacher.objects.active()
        .filter(school__in=schools)
        .select_related("school")
        .order_by("school__code", "staff_no")
    )


def priority_rows(*, schools, year: int, kind: str, today: datetime.date | None = None):
    teachers = _teachers(schools)
    tiers = facts.current_tiers(teacher_ids=[t.pk for t in teachers], today=today)
    backbone = [t for t in teachers if t.pk in tiers]
    ids = [t.pk for t in backbone]
    grades = facts.released_grades(teacher_ids=ids, years=[year - 1])
    trips = facts.study_trips(teacher_ids=ids, years=[year - 1, year])
    results = facts.outcomes(teacher_ids=ids, years=[year - 1, year])
    rows = []
    for t in backbone:
        designation = tiers[t.pk]
        row = PriorityRow(
            teacher=t,
            tier_label=designation.tier.label,
            tier_level=designation.tier.level,
            grade=grades.get((t.pk, year - 1)),
            trips=trips[t.pk],
            outcomes=results[t.pk],
        )
        reasons = [
            row.tier_label,
            grade_reason(row.grade, year - 1),
            ngettext(
                "%(n)s study trip in the last two school years",
                "%(n)s study trips in the last two school years",
                row.trips,
            )
            % {"n": row.trips},
            outcome_reason(row.outcomes.total, row.outcomes.higher),
        ]
        row.reasons = [reason for reason in reasons if reason]
        rows.append(row)

    def key(r: PriorityRow):
        grade = r.grade or 0
        if kind == TRIPS:
            return (-r.tier_level, -grade, r.trips, -r.outcomes.higher, r.teacher.staff_no)
        return (
            -r.tier_level,
            -grade,
            -r.outcomes.higher,
            -r.outcomes.total,
            r.teacher.staff_no,
        )

    rows.sort(key=lambda r: (r.teacher.school.code, *key(r)))
    for position, row in enumerate(rows, start=1):
        row.position = position
    return rows


def priority_kinds() -> list[tuple[str, str]]:
    return [(TRIPS, _("Study trips (外出学习)")), (STUDY, _("Further study (进修)"))]


@dataclass
class PayRow:
    teacher: Teacher
    tier_label: str
    grade: int | None
    duties: facts.DutyCompletion

    @property
    def grade_label(self) -> str:
        return Grade(self.grade).label if self.grade else ""

    @property
    def duty_text(self) -> str:
        return duty_reason(self.duties.met, self.duties.total)


def pay_rows(*, schools, year: int, today: datetime.date | None = None) -> list[PayRow]:
    teachers = _teachers(schools)
    ids = [t.pk for t in teachers]
    tiers = facts.current_tiers(teacher_ids=ids, today=today)
    grades = facts.released_grades(teacher_ids=ids, years=[year])
    duties = facts.duty_completion(teachers=teachers, year=year, today=today)
    return [
        PayRow(
            teacher=t,
            tier_label=tiers[t.pk].tier.label if t.pk in tiers else "",
            grade=grades.get((t.pk, year)),
            duties=duties.get(t.pk, facts.NO_DUTIES),
        )
        for t in teachers
    ]


__all__ = ["STUDY", "TRIPS", "grade_reason", "pay_rows", "priority_kinds", "priority_rows"]
