"""Who is proposed for the honours of a school year, and in which order.

A teacher of the school (on staff) is a candidate when their released annual grade of the year
(hand-recorded, or from a round whose results are posted) is
- excellent (优秀), or
- good (良好) with every duty of the year met (backbone teachers), or, for a teacher who owes
  no duties, with at least one verified outcome at district level or above.
Grades waiting for their round's results to be posted are not read at all: the list says how
many there are and proposes nobody from them.

Order: grade, then the share of duties met, then outcomes at district level or above, then all
verified outcomes of the year, then the staff number.
"""

import datetime
from dataclasses import dataclass

from teachers.models import Grade, Teacher

from . import facts


@dataclass
class Proposal:
    teacher: Teacher
    grade: int
    duties: facts.DutyCompletion
    outcomes: facts.Outcomes

    @property
    def order_key(self) -> tuple:
        return (
            -self.grade,
            -self.duties.share,
            -self.outcomes.higher,
            -self.outcomes.total,
            self.teacher.staff_no,
        )


def qualifies(grade: int | None, duties: facts.DutyCompletion, outcomes: facts.Outcomes) -> bool:
    if grade == Grade.EXCELLENT:
        return True
    if grade != Grade.GOOD:
        return False
    if duties.total:
        return duties.all_met
    return outcomes.higher > 0


def proposals(*, school, year: int, today: datetime.date | None = None) -> list[Proposal]:
    teachers = list(Teacher.objects.active().filter(school=school).order_by("staff_no"))
    ids = [t.pk for t in teachers]
    grades = facts.released_grades(teacher_ids=ids, years=[year])
    graded = [t for t in teachers if (t.pk, year) in grades]
    duties = facts.duty_completion(teachers=graded, year=year, today=today)
    results = facts.outcomes(teacher_ids=[t.pk for t in graded], years=[year])
    found = []
    for teacher in graded:
        grade = grades[(teacher.pk, year)]
        done = duties.get(teacher.pk, facts.NO_DUTIES)
        if qualifies(grade, done, results[teacher.pk]):
            found.append(Proposal(teacher, grade, done, results[teacher.pk]))
    return sorted(found, key=lambda p: p.order_key)
