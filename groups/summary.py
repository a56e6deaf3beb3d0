"""What a group did: activities held against planned, attendance, units prepared and the
teaching designs they produced. The group's page shows it per semester; the yearly review
(documents.yearly) shows it per school year as the grounds for commending a group
(先进教研组). A fixed number of queries whatever the number of groups or activities."""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from core.models import TeachingGroup
from records.models import Record, Status
from training.models import Attendance, Enrolment

from .models import Activity, PlannedWeek, PreparationUnit


@dataclass
class GroupSummary:
    group: TeachingGroup
    planned: int = 0
    held: int = 0
    held_as_planned: int = 0
    attended: int = 0
    expected: int = 0
    units: int = 0
    agreed: int = 0
    designs: int = 0
    minutes: int = 0
    plan_ids: list[int] = field(default_factory=list)

    @property
    def attendance_rate(self) -> int | None:
        return round(100 * self.attended / self.expected) if self.expected else None

    @property
    def held_rate(self) -> int | None:
        return round(100 * self.held_as_planned / self.planned) if self.planned else None


def summarise(plans) -> dict[int, GroupSummary]:
    """Summaries by group id for the given semester plans (a queryset of SemesterPlan)."""
    plans = list(plans.select_related("group"))
    out: dict[int, GroupSummary] = {}
    programme_group = {}
    for plan in plans:
        out.setdefault(plan.group_id, GroupSummary(group=plan.group)).plan_ids.append(plan.pk)
        programme_group[plan.programme_id] = plan.group_id
    plan_ids = [p.pk for p in plans]
    if not plan_ids:
        return out
    group_of = {p.pk: p.group_id for p in plans}
    today = timezone.localdate()
    for plan_id, count in (
        PlannedWeek.objects.filter(plan_id__in=plan_ids)
        .values_list("plan_id")
        .annotate(n=Count("pk"))
    ):
        out[group_of[plan_id]].planned += count
    # A member who lost the place by the one-third rule was still expected at the activities.
    enrolled = dict(
        Enrolment.objects.filter(programme_id__in=list(programme_group))
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .values_list("programme_id")
        .annotate(n=Count("pk"))
    )
    held = (
        Activity.objects.filter(plan_id__in=plan_ids, session__date__lte=today)
        .annotate(
            attended=Count(
                "session__attendances",
                filter=Q(session__attendances__status__in=Attendance.ATTENDED),
            )
        )
        .filter(attended__gt=0)
        .values_list("plan_id", "plan__programme_id", "week_id", "attended", "minutes")
    )
    for plan_id, programme_id, week_id, attended, minutes in held:
        summary = out[group_of[plan_id]]
        summary.held += 1
        summary.held_as_planned += week_id is not None
        summary.attended += attended
        summary.expected += max(enrolled.get(programme_id, 0), attended)
        summary.minutes += bool(minutes.strip())
    keys: dict[str, int] = {}
    for plan_id, pk, stage in PreparationUnit.objects.filter(plan_id__in=plan_ids).values_list(
        "plan_id", "pk", "stage"
    ):
        summary = out[group_of[plan_id]]
        summary.units += 1
        summary.agreed += stage == PreparationUnit.Stage.AGREED
        keys[f"group-unit:{pk}"] = group_of[plan_id]
    if keys:
        for source, count in (
            Record.objects.filter(source__in=list(keys), status=Status.VERIFIED)
            .values_list("source")
            .annotate(n=Count("pk"))
        ):
            out[keys[source]].designs += count
    return out


def year_group_rows(*, school_ids, year: int) -> list[dict]:
    """One row per group with a plan in school year ``year``, for the yearly review: the
    grounds for commending a group (先进教研组)."""
    from .models import SemesterPlan

    plans = SemesterPlan.objects.filter(
        group__school_id__in=list(school_ids), semester__school_year__start_year=year
    )
    summaries = summarise(plans.select_related("group__school"))
    rows = [
        {
            "school": s.group.school.name,
            "group": s.group.name,
            "kind": s.group.get_kind_display(),
            "planned": s.planned,
            "held": s.held,
            "held_as_planned": s.held_as_planned,
            "held_rate": s.held_rate,
            "attendance_rate": s.attendance_rate,
            "minutes": s.minutes,
            "units": s.units,
            "agreed": s.agreed,
            "designs": s.designs,
        }
        for s in summaries.values()
    ]
    return sorted(rows, key=lambda r: (r["school"], r["group"]))
