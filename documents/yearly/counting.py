"""Building a yearly review: every school counted in a constant number of queries."""

import datetime
from typing import NamedTuple

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.duties import DutyState, duty_counts
from assessment.models import AnnualGrade, Grade
from backbone.models import Designation, ReserveEntry, Target, Tier
from backbone.selectors.planning import year_counted
from core.models import District, School, school_year_start
from groups.summary import year_group_rows
from mentoring.compliance import STARTED_STATUSES, Light, compliance_for
from mentoring.models import Pairing
from records.hours import hours_for_teachers
from teachers.models import Teacher

from .figures import (
    ROSTER_FIELDS,
    Person,
    SchoolYearly,
    hour_buckets,
    targets_in_force,
    year_dates,
)
from .report import YearlyReport


# -- building ---------------------------------------------------------------------------------
def yearly_report(
    *,
    year: int,
    school: School | None = None,
    district: District | None = None,
    schools: list[School] | None = None,
    grade_year: int | None = None,
    today: datetime.date | None = None,
) -> YearlyReport:
    """The report of ``school``, or of ``district`` (its schools, or the ``schools`` given).
    ``grade_year``: the year whose annual grades are counted (default: ``year``)."""
    today = today or timezone.localdate()
    if school is not None:
        district = school.district
        schools = [school]
    elif schools is None:
        schools = list(School.objects.filter(district=district).order_by("code"))
    tiers = list(Tier.objects.filter(district=district, kind=Tier.Kind.TIER).order_by("level"))
    per_school = {s.pk: SchoolYearly(school=s) for s in schools}
    if per_school:
        _fill(per_school, year, grade_year or year, today, tiers)
    total = SchoolYearly(school=school)
    for entry in per_school.values():
        total.add(entry)
    district_targets = False
    if school is None:
        own = targets_in_force(Target.objects.filter(district=district), year)
        if own:
            total.targets = {tier_id: count for (_o, tier_id), (count, _by) in own.items()}
            total.target_by = {tier_id: by for (_o, tier_id), (_count, by) in own.items()}
            district_targets = True
    return YearlyReport(
        year=year,
        school=school,
        district=district,
        tiers=tiers,
        schools=list(per_school.values()),
        total=total,
        today=today,
        district_targets=district_targets,
        groups=year_group_rows(school_ids=list(per_school), year=year),
    )


class _Member(NamedTuple):
    """A teacher as the counts need one (duty_counts reads ``pk`` and ``school_id``)."""

    pk: int
    school_id: int


def _fill(per_school: dict, year: int, grade_year: int, today, tiers: list[Tier]) -> None:
    school_ids = list(per_school)
    start, end = year_dates(year)
    current = school_year_start(today)
    active = Teacher.objects.filter(school_id__in=school_ids).active()
    # Plain (pk, school_id) pairs: 2,000 deferred model instances took 100 ms to build.
    teachers = [_Member(pk, school_id) for pk, school_id in active.values_list("pk", "school_id")]
    for t in teachers:
        per_school[t.school_id].teachers += 1

    # Roster: one aggregate query.
    superseded = (
        Designation.objects.tiers()
        .filter(status=Designation.Status.SUPERSEDED, closed_on__range=(start, end))
        .values("teacher_id")
    )
    promotion = Q(source=Designation.Source.PROMOTION) | Q(teacher_id__in=superseded)
    rows = (
        Designation.objects.tiers()
        .filter(teacher__school_id__in=school_ids, first_year__lte=year, last_year__gte=year - 1)
        .order_by()
        .values("teacher__school_id", "tier_id")
        .annotate(
            start=Count("teacher", distinct=True, filter=year_counted(year - 1, current)),
            end=Count("teacher", distinct=True, filter=year_counted(year, current)),
            new=Count("pk", filter=Q(first_year=year) & ~promotion),
            promoted=Count("pk", filter=Q(first_year=year) & promotion),
            revoked=Count(
                "pk",
                filter=Q(status=Designation.Status.REVOKED, closed_on__range=(start, end)),
            ),
            expired=Count(
                "pk",
                filter=Q(
                    last_year=year,
                    status__in=[Designation.Status.ACTIVE, Designation.Status.EXPIRED],
                ),
            ),
        )
    )
    for row in rows:
        per_school[row["teacher__school_id"]].roster[row["tier_id"]].update(
            {f: row[f] for f in ROSTER_FIELDS}
        )

    # Duties: counted in the database (duty_counts agrees with the engine, duty_statuses,
    # which would read every record of every backbone teacher of the district).
    statuses = duty_counts(teachers=teachers, year=year, today=today)
    school_of = {t.pk: t.school_id for t in teachers}
    for teacher_id, items in statuses.items():
        for status in items:
            counts = per_school[school_of[teacher_id]].duties[
                (status.template.tier_id, status.kind)
            ]
            counts["total"] += 1
            counts["met"] += status.status == DutyState.MET

    # Grades.
    grades = {}
    for school_id, teacher_id, grade in AnnualGrade.objects.filter(
        teacher__school_id__in=school_ids, teacher__is_active=True, year=grade_year
    ).values_list("teacher__school_id", "teacher_id", "grade"):
        per_school[school_id].grades[grade] += 1
        grades[teacher_id] = grade

    # Training hours against the requirement (72 / 24 unless configured otherwise).
    # The queryset, not the 2,000 ids: joined to the teachers, the year's trainings are
    # found by the (teacher, year, kind) index.
    hours = hours_for_teachers(teachers=active, year=year)
    bands = hour_buckets()
    for t in teachers:
        h = hours[t.pk]
        bucket = next(i for i, (bound, _l) in enumerate(bands) if bound is None or h.total < bound)
        per_school[t.school_id].hours[bucket] += 1
        per_school[t.school_id].hours_met += h.met

    # Mentoring compliance of the pairings running during the year, as of its end.
    pairings = list(
        Pairing.objects.filter(
            school_id__in=school_ids,
            status__in=STARTED_STATUSES,
            start_date__lte=end,
            end_date__gte=start,
        ).select_related("school")
    )
    pairing_school = {p.pk: p.school_id for p in pairings}
    for pairing_id, compliance in compliance_for(pairings=pairings, today=min(today, end)).items():
        light = compliance.light
        if light != Light.NONE:
            per_school[pairing_school[pairing_id]].compliance[light] += 1

    # The targets in force this year: per tier, the one due soonest, this year or later.
    in_force = targets_in_force(Target.objects.filter(school_id__in=school_ids), year)
    for (school_id, tier_id), (count, by_year) in in_force.items():
        per_school[school_id].targets[tier_id] = count
        per_school[school_id].target_by[tier_id] = by_year

    # Who holds what at the end of the year: for the lists. Ids only, for every backbone
    # teacher of the district (instances of them all, with teacher, school and tier, took
    # 100 ms); the flagged designations, a few, in full.
    counted_or_flagged = year_counted(year, current) | Q(flagged_at__isnull=False, status="active")
    held_tier = {}
    for teacher_id, tier_id, first_year, last_year in (
        Designation.objects.tiers()
        .filter(teacher__school_id__in=school_ids)
        .filter(counted_or_flagged)
        .order_by("teacher__school__code", "teacher__staff_no")
        .values_list("teacher_id", "tier_id", "first_year", "last_year")
    ):
        if first_year <= year <= last_year:
            held_tier[teacher_id] = tier_id
    tier_by_id = {t.pk: t for t in tiers}
    if not tier_by_id.keys() >= set(held_tier.values()):  # another district's tier: read it
        tier_by_id = Tier.objects.in_bulk(set(held_tier.values()))
    held = {teacher_id: tier_by_id[tier_id] for teacher_id, tier_id in held_tier.items()}
    flagged_designations = list(
        Designation.objects.tiers()
        .filter(teacher__school_id__in=school_ids, flagged_at__isnull=False, status="active")
        .select_related("teacher__school", "tier")
        .order_by("teacher__school__code", "teacher__staff_no")
    )
    for d in flagged_designations:
        per_school[d.teacher.school_id].flagged.append(
            _person(d.teacher, d.tier.label, d.flag_reason or _("Flagged for revocation"))
        )
    flagged_ids = {d.teacher_id for d in flagged_designations}
    by_grade = [tid for tid, g in grades.items() if g in (Grade.EXCELLENT, Grade.UNQUALIFIED)]
    graded_teachers = {
        t.pk: t
        for t in Teacher.objects.filter(pk__in=by_grade)
        .select_related("school")
        .order_by("staff_no")
    }
    recommended_ids = set()
    for entry in (
        ReserveEntry.objects.filter(
            teacher__school_id__in=school_ids,
            teacher__is_active=True,
            tier__kind=Tier.Kind.TIER,
            marked_on__lte=end,
        )
        .filter(Q(removed_on__isnull=True) | Q(removed_on__gte=start))
        .select_related("teacher__school", "tier")
        .order_by("teacher__school__code", "teacher__staff_no")
    ):
        current_tier = held.get(entry.teacher_id)
        if current_tier is not None and current_tier.level >= entry.tier.level:
            continue
        if entry.teacher_id in recommended_ids:
            continue
        recommended_ids.add(entry.teacher_id)
        reason = _("Reserve pool for %(tier)s") % {"tier": entry.tier.label}
        per_school[entry.teacher.school_id].recommended.append(
            _person(entry.teacher, current_tier.label if current_tier else "", str(reason))
        )
    for teacher_id, teacher in graded_teachers.items():
        tier_name = held[teacher_id].label if teacher_id in held else ""
        # 推荐晋级 means a backbone teacher moving up: an excellent grade recommends only
        # someone who already holds a tier (the reserve pool above covers the rest).
        holds_tier = teacher_id in held
        if (
            grades[teacher_id] == Grade.EXCELLENT
            and holds_tier
            and teacher_id not in recommended_ids
        ):
            recommended_ids.add(teacher_id)
            per_school[teacher.school_id].recommended.append(
                _person(teacher, tier_name, str(_("Excellent annual grade")))
            )
        # 待撤销 likewise: only a tier held can be revoked.
        elif (
            grades[teacher_id] == Grade.UNQUALIFIED and holds_tier and teacher_id not in flagged_ids
        ):
            per_school[teacher.school_id].flagged.append(
                _person(teacher, tier_name, str(_("Unqualified annual grade")))
            )


def _person(teacher: Teacher, tier: str, reason) -> Person:
    return Person(
        teacher_id=teacher.pk,
        name=teacher.name,
        staff_no=teacher.staff_no,
        school=teacher.school.name,
        tier=tier,
        reason=str(reason),
    )
