"""Demo annual grades for the last two school years, so eligibility has something to read;
assessment templates and rounds (one finalised and posted, one being scored)."""

import random
from datetime import timedelta

from django.utils import timezone

from core.demo import Demo, demo_step
from teachers.models import Teacher

from .models import AnnualGrade, AssessmentRound, Grade

# Mostly qualified or good, some excellent, a few unqualified: what a real school reports.
GRADE_WEIGHTS = [
    (Grade.EXCELLENT, 25),
    (Grade.GOOD, 40),
    (Grade.QUALIFIED, 32),
    (Grade.UNQUALIFIED, 3),
]


@demo_step
def seed_duty_templates(demo: Demo) -> None:
    """The default duties of every tier, so the duty grid and round facts have something."""
    from .services.duties import duty_templates_ensure_defaults

    for year in demo.school_years:
        duty_templates_ensure_defaults(district=demo.district, year=year.start_year)


@demo_step
def seed_annual_grades(demo: Demo) -> None:
    rng = random.Random(4242)
    current = demo.current_year.start_year
    grades, weights = zip(*GRADE_WEIGHTS, strict=True)
    existing = set(AnnualGrade.objects.values_list("teacher_id", "year"))
    new = []
    teachers = Teacher.objects.filter(
        school__district=demo.district, is_active=True, pk__in=demo.teacher_ids
    )
    for teacher in teachers.order_by("school__code", "staff_no"):
        for year in (current - 2, current - 1):
            grade = rng.choices(grades, weights)[0]
            if (teacher.pk, year) not in existing and teacher.career_start.year <= year:
                new.append(AnnualGrade(teacher=teacher, year=year, grade=grade))
    AnnualGrade.objects.bulk_create(new)
    demo.log(f"annual grades: {len(new)} new")


# -- assessment templates and rounds -----------------------------------------------------------
ANNUAL_TITLE = "{label}学年骨干教师年度考核"


@demo_step
def seed_assessment_rounds(demo: Demo) -> None:
    """District default templates; last school year's annual round of the primary school,
    finalised and posted (one teacher absent without reason, so one designation is flagged);
    this year's round open for the committee and the training office to score."""
    from core.models import User, school_year_label

    from .models import AssessmentTemplate
    from .services import rounds as services
    from .services.templates import assessment_templates_ensure_defaults

    current = demo.current_year.start_year
    for year in (current - 1, current):
        assessment_templates_ensure_defaults(district=demo.district, year=year)
    school = demo.schools.get("primary")
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["principal", "office", "committee"])
    }
    if school is None or len(users) < 3:
        return
    committee = [users["committee"], users["office"]]
    made = 0
    for year in (current - 1, current):
        title = ANNUAL_TITLE.format(label=school_year_label(year))
        if AssessmentRound.objects.filter(
            school=school, year=year, title=title, template__kind=AssessmentTemplate.Kind.ANNUAL
        ).exists():
            continue
        round = services.round_open(
            school=school, kind=AssessmentTemplate.Kind.ANNUAL, year=year, title=title,
            committee=committee, by=users["office"],
        )  # fmt: skip
        made += 1
        if year == current:
            continue
        rng = random.Random(year)
        entries = list(round.entries.order_by("teacher__staff_no"))
        if {e.teacher_id for e in entries} - demo.teacher_ids:
            # Someone the demo did not make would get invented scores and a grade: leave the
            # round open for the school to score.
            demo.log(f"{title}: left open, it assesses teachers the demo did not make")
            continue
        components = list(round.template.components.all())
        for member in committee:
            values = {
                (e.pk, c.pk): round_half(c.max_score * rng.uniform(0.62, 0.99))
                for e in entries
                for c in components
            }
            services.score_sheet_save(round=round, member=member, values=values)
            services.score_sheet_submit(round=round, member=member)
        if entries:
            services.entry_set_absence(
                entry=entries[-1], absent=True, reason="区级培训两次无故缺席", by=users["office"]
            )
        services.round_finalise(round=round, by=users["principal"])
        # The demo's results were confirmed a few days ago, before the notice began.
        AssessmentRound.objects.filter(pk=round.pk).update(
            finalised_at=timezone.now() - timedelta(days=3)
        )
        services.round_post(
            round=round, by=users["principal"], notice_from=demo.today - timedelta(days=2),
            notice_until=demo.today + timedelta(days=5),
        )  # fmt: skip
    demo.log(f"assessment rounds: {made} new")


def round_half(value: float):
    from decimal import Decimal

    return Decimal(str(round(value * 2) / 2))
