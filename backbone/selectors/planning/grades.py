"""Annual grades: the years to choose from and a school's grid."""

import datetime

from django.utils import timezone

from core.models import School, school_year_start
from teachers.models import AnnualGrade, Teacher


def grade_year_choices(today: datetime.date | None = None) -> list[int]:
    current = school_year_start(today or timezone.localdate())
    return list(range(current, current - 6, -1))


def default_grade_year(today: datetime.date | None = None) -> int:
    """The year being assessed: the current one from June (end-of-year assessment), else the
    one just finished."""
    today = today or timezone.localdate()
    current = school_year_start(today)
    return current if today.month in (6, 7, 8) else current - 1


def grade_grid(*, school: School, year: int) -> tuple[list[Teacher], dict[int, int]]:
    teachers = list(Teacher.objects.filter(school=school).active().order_by("staff_no"))
    grades = dict(
        AnnualGrade.objects.filter(teacher__school=school, year=year).values_list(
            "teacher_id", "grade"
        )
    )
    return teachers, grades
