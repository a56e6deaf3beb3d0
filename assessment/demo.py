"""Demo annual grades for the last two school years, so eligibility has something to read."""

import random

from core.demo import Demo, demo_step
from teachers.models import Teacher

from .models import AnnualGrade, Grade

# Mostly qualified or good, some excellent, a few unqualified: what a real school reports.
GRADE_WEIGHTS = [
    (Grade.EXCELLENT, 25),
    (Grade.GOOD, 40),
    (Grade.QUALIFIED, 32),
    (Grade.UNQUALIFIED, 3),
]


@demo_step
def seed_annual_grades(demo: Demo) -> None:
    rng = random.Random(4242)
    current = demo.current_year.start_year
    grades, weights = zip(*GRADE_WEIGHTS, strict=True)
    existing = set(AnnualGrade.objects.values_list("teacher_id", "year"))
    new = []
    teachers = Teacher.objects.filter(school__district=demo.district, is_active=True)
    for teacher in teachers.order_by("school__code", "staff_no"):
        for year in (current - 2, current - 1):
            grade = rng.choices(grades, weights)[0]
            if (teacher.pk, year) not in existing and teacher.career_start.year <= year:
                new.append(AnnualGrade(teacher=teacher, year=year, grade=grade))
    AnnualGrade.objects.bulk_create(new)
    demo.log(f"annual grades: {len(new)} new")
