"""Demo allowances and rewards: the district's default rates from the start of the current
school year (20 yuan a month for the school tier up to 100 for the provincial one, 200 yuan
for a teaching rookie, a mentor's reward by tier), the primary school's own rate for the
school tier, the allowances paid up to two months ago in every school (so the last month shows
as arrears and this month's sheet is ready to pay), a teaching-rookie award and a commendation
in the primary school, and the mentors' rewards that the apprentices' designations propose.

Every part looks its rows up first, so running the step again adds nothing."""

import datetime
from decimal import Decimal

from backbone.models import Designation, Tier
from backbone.services.designations import designation_record
from core.demo import Demo, demo_step
from core.models import Role, School, User
from mentoring.models import Pairing

from .models import Rate, Reward, month_start
from .services import allowance_month_pay, mentor_rewards_propose, rate_set, reward_record
from .sheet import add_months, months_between

ALLOWANCES = {"school": 20, "district": 50, "municipal": 80, "provincial": 100}
MENTOR_REWARDS = {"school": 100, "district": 300, "municipal": 500}


@demo_step
def seed_recognition(demo: Demo) -> None:
    district = demo.district
    start = datetime.date(demo.current_year.start_year, 9, 1)
    office = User.objects.filter(role_assignments__role=Role.DISTRICT_OFFICE).first()
    tiers = {t.code: t for t in Tier.objects.filter(district=district, kind=Tier.Kind.TIER)}
    for code, amount in ALLOWANCES.items():
        rate_set(district=district, kind=Rate.Kind.ALLOWANCE, tier=tiers[code],
                 amount=Decimal(amount), valid_from=start, by=office)  # fmt: skip
    for code, amount in MENTOR_REWARDS.items():
        rate_set(district=district, kind=Rate.Kind.MENTOR, tier=tiers[code],
                 amount=Decimal(amount), valid_from=start, by=office)  # fmt: skip
    rate_set(district=district, kind=Rate.Kind.ROOKIE, amount=Decimal(200), valid_from=start,
             by=office)  # fmt: skip
    primary = demo.schools[School.Kind.PRIMARY]
    principal = User.objects.filter(
        role_assignments__role=Role.PRINCIPAL, role_assignments__school=primary
    ).first()
    # The primary school pays its school-level backbone teachers a little more.
    rate_set(district=district, school=primary, kind=Rate.Kind.ALLOWANCE, tier=tiers["school"],
             amount=Decimal(30), valid_from=start, by=principal)  # fmt: skip
    today = demo.today
    for school in demo.schools.values():
        for month in months_between(start, add_months(month_start(today), -2)):
            paid_on = min(month + datetime.timedelta(days=24), today)
            allowance_month_pay(school=school, month=month, paid_on=paid_on, by=principal,
                                today=today)  # fmt: skip
    _rewards(demo, primary, principal)
    demo.log("Allowance rates, payments and rewards")


def _designate_an_apprentice(demo: Demo, school: School, principal) -> None:
    """One apprentice of a pairing that began before this school year becomes a school-level
    backbone teacher (the school's own selection), which proposes the mentor's reward."""
    start = datetime.date(demo.current_year.start_year, 9, 1)
    if Reward.objects.filter(school=school, kind=Reward.Kind.MENTOR).exists():
        return
    pairing = (
        Pairing.objects.filter(
            school=school,
            start_date__lt=start,
            apprentice_id__in=demo.teacher_ids,
            apprentice__is_active=True,
        )
        .exclude(apprentice__designations__status=Designation.Status.ACTIVE)
        .order_by("start_date", "pk")
        .first()
    )
    if pairing is None:
        return
    designation_record(
        teacher=pairing.apprentice,
        tier=Tier.objects.get(district=school.district, code="school"),
        designated_by=school.name,
        first_year=demo.current_year.start_year,
        by=principal,
        today=demo.today,
    )


def _rewards(demo: Demo, school: School, principal) -> None:
    _designate_an_apprentice(demo, school, principal)
    # The designations seeded before the pairings existed: proposing again adds nothing.
    mentor_rewards_propose(
        designations=Designation.objects.filter(
            teacher__school__in=demo.schools.values(), teacher_id__in=demo.teacher_ids
        )
    )
    if Reward.objects.filter(school=school).exclude(kind=Reward.Kind.MENTOR).exists():
        return
    young = (
        school.teachers.filter(pk__in=demo.teacher_ids, is_active=True, designations__isnull=True)
        .order_by("-career_start", "staff_no")
        .first()
    )
    backbone = (
        school.teachers.filter(designations__status=Designation.Status.ACTIVE)
        .order_by("staff_no")
        .first()
    )
    day = min(demo.today, datetime.date(demo.current_year.start_year, 12, 30))
    if young is not None:
        reward_record(school=school, teacher=young, kind=Reward.Kind.ROOKIE,
                      title=f"{demo.current_year.start_year}年度校级教坛新秀", awarded_on=day,
                      by=principal)  # fmt: skip
    if backbone is not None:
        reward_record(school=school, teacher=backbone, kind=Reward.Kind.COMMENDATION,
                      title="优秀骨干教师", awarded_on=day, note="在全区骨干教师示范课中表现突出。",
                      by=principal)  # fmt: skip
