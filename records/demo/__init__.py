"""Demo records: several teachers of the primary school (the `teacher` login's first) log a
realistic year and a half of work: open classes, observations, papers, a research project,
talks, training, reading notes, a study trip and a self-development plan. Most of last year is
verified; this year has records verified, awaiting verification, returned with a reason and
still in draft, and training hours near the 72/24 mark. No files are attached.

A teacher who already has records is left alone, so running the step again adds nothing.

The rooms: ``constants`` (the words and the training-hour plans), ``kinds`` (one record of each
kind), ``seeder`` (one teacher's dates, statuses and years of work); the step is here.
"""

from core.demo import Demo, demo_step
from core.models import School, User
from teachers.models import Teacher

from ..models import Record
from .constants import DEMO_TEACHERS, HOURS_PLANS, HoursPlan
from .seeder import RecordSeeder

__all__ = ["HOURS_PLANS", "HoursPlan", "RecordSeeder", "seed_records"]


def _demo_teachers(school: School, ours: set[int]) -> list[Teacher]:
    """The teacher login's teacher, then backbone teachers, then others, all on staff and all
    made by the demo (`ours`)."""
    active = Teacher.objects.filter(school=school, is_active=True, pk__in=ours)
    chosen = list(active.filter(user__username="teacher"))
    backbone = active.filter(designations__isnull=False).exclude(user__username="teacher")
    chosen += [t for t in backbone.distinct().order_by("staff_no") if t not in chosen]
    chosen += [t for t in active.order_by("staff_no")[: DEMO_TEACHERS * 2] if t not in chosen]
    return chosen[:DEMO_TEACHERS]


@demo_step
def seed_records(demo: Demo) -> None:
    school = demo.schools[School.Kind.PRIMARY]
    office = User.objects.filter(username="office").first()
    created = 0
    for index, teacher in enumerate(_demo_teachers(school, demo.teacher_ids)):
        if Record.objects.filter(teacher=teacher).exists():
            continue
        seeder = RecordSeeder(
            demo=demo,
            teacher=teacher,
            plan=HOURS_PLANS[index % len(HOURS_PLANS)],
            office=office,
        )
        seeder.previous_year()
        seeder.current_year()
        created += 1
    demo.log(f"{school.name}: professional records for {created} teachers")
