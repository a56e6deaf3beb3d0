"""Demo backbone data: a realistic roster of designations across tiers, honorary titles, a
reserve pool and three-year targets. The school-level selection round is left for the
principal to run in the browser."""

from core.demo import Demo, demo_step
from core.models import School
from teachers.models import Teacher, Title

from .models import Designation, ReserveEntry, Target, Tier
from .services.designations import designations_made

# Per school: (tier code, how many, first year offset from the current school year).
ROSTER_PLAN = {
    School.Kind.PRIMARY: [("municipal", 1, -1), ("district", 3, -2), ("school", 6, -1)],
    School.Kind.MIDDLE: [("provincial", 1, -1), ("municipal", 2, -2), ("district", 3, -1),
                         ("school", 5, -1)],
    School.Kind.KINDERGARTEN: [("district", 1, -1), ("school", 3, -1)],
}  # fmt: skip
BUREAUS = {
    "district": "鼓楼区教育局",
    "municipal": "福州市教育局",
    "provincial": "福建省教育厅",
}


@demo_step
def seed_backbone(demo: Demo) -> None:
    tiers = {t.code: t for t in Tier.objects.filter(district=demo.district)}
    current = demo.current_year.start_year
    for kind, plan in ROSTER_PLAN.items():
        school = demo.schools[kind]
        if Designation.objects.filter(teacher__school=school).exists():
            continue
        # The most experienced, best-titled active teachers hold the higher tiers.
        pool = list(
            Teacher.objects.filter(
                school=school, is_active=True, title__gte=Title.SECOND, pk__in=demo.teacher_ids
            )
            .exclude(user__isnull=False)
            .order_by("-title", "career_start", "staff_no")
        )
        for code, count, offset in plan:
            tier = tiers[code]
            for _ in range(count):
                if not pool:
                    break
                teacher = pool.pop(0)
                first = current + offset
                Designation.objects.create(
                    teacher=teacher,
                    tier=tier,
                    first_year=first,
                    last_year=first + tier.default_term_years - 1,
                    designated_by=BUREAUS.get(code, school.name),
                    certificate_no=f"{code[:2].upper()}{first}{teacher.staff_no}",
                    source=Designation.Source.EXTERNAL,
                )
        holders = Designation.objects.filter(teacher__school=school, tier__code="municipal")
        for designation in holders[:1]:
            Designation.objects.create(
                teacher=designation.teacher,
                tier=tiers["subject_leader"],
                first_year=current - 1,
                last_year=current + 1,
                designated_by=BUREAUS["district"],
                source=Designation.Source.EXTERNAL,
            )
        # As every path that designates: the apps above hear of it (mentors' rewards).
        designations_made(designations=Designation.objects.filter(teacher__school=school))
        for teacher in pool[:3]:
            ReserveEntry.objects.create(
                teacher=teacher,
                tier=tiers["school"],
                reason="教学成绩突出，积极参加教研活动",
            )
        for code, count in (("school", 12), ("district", 6), ("municipal", 3)):
            Target.objects.get_or_create(
                school=school,
                tier=tiers[code],
                by_year=current + 1,
                defaults={"count": max(1, count * len(plan) // 4)},
            )
    demo.log("backbone roster, reserve pool and targets ready")
