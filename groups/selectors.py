"""Every read the group pages need, already scoped (groups.models.scoped)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from core.models import TeachingGroup
from teachers.models import Teacher
from training.models import Attendance

from .models import Activity, Adaptation, PlannedWeek, PreparationUnit, SemesterPlan
from .models.scoped import group_q


def group_list(*, user) -> QuerySet[TeachingGroup]:
    return (
        TeachingGroup.objects.filter(group_q(user))
        .select_related("school")
        .prefetch_related("heads")
        .order_by("school", "kind", "name")
    )


def get_group(*, user, pk: int) -> TeachingGroup:
    group = TeachingGroup.objects.filter(group_q(user), pk=pk).select_related("school").first()
    if group is None:
        raise Http404
    return group


def require_manager(user, group: TeachingGroup) -> None:
    """Groups are created, renamed and staffed by the school's principal or training office."""
    if not user.scope.can_manage_school(group.school_id):
        raise PermissionDenied


def may_lead(user, group: TeachingGroup) -> bool:
    return user.scope.can_lead_group(group.pk, group.school_id)


def require_lead(user, group: TeachingGroup) -> None:
    if not may_lead(user, group):
        raise PermissionDenied


def group_members(group: TeachingGroup) -> QuerySet[Teacher]:
    """Who is in the group on staff today: the roster's group, or the listed members."""
    if group.kind == TeachingGroup.Kind.RESEARCH:
        teachers = Teacher.objects.filter(group=group)
    else:
        teachers = Teacher.objects.filter(group_memberships__group=group)
    return teachers.filter(is_active=True).order_by("name", "pk")


def school_teachers(group: TeachingGroup) -> QuerySet[Teacher]:
    return Teacher.objects.filter(school_id=group.school_id, is_active=True).order_by("name", "pk")


def _get(queryset, user, pk: int):
    obj = queryset.visible_to(user).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def get_plan(*, user, pk: int) -> SemesterPlan:
    plans = SemesterPlan.objects.select_related(
        "group__school", "semester__school_year", "programme"
    )
    return _get(plans, user, pk)


def get_activity(*, user, pk: int) -> Activity:
    activities = Activity.objects.select_related(
        "plan__group__school",
        "plan__semester__school_year",
        "plan__programme",
        "session__speaker_teacher",
        "week",
    )
    return _get(activities, user, pk)


def get_unit(*, user, pk: int) -> PreparationUnit:
    units = PreparationUnit.objects.select_related(
        "plan__group__school", "plan__semester__school_year", "main_preparer", "activity__session"
    )
    return _get(units, user, pk)


def _attendance_counts():
    attended = Q(session__attendances__status__in=Attendance.ATTENDED)
    return {
        "attended": Count("session__attendances", filter=attended, distinct=True),
        "marked": Count("session__attendances", distinct=True),
    }


def plan_activities(plan: SemesterPlan) -> list[Activity]:
    return list(
        plan.activities.select_related("session__speaker_teacher", "week")
        .annotate(**_attendance_counts(), files=Count("attachments", distinct=True))
        .order_by("session__date", "session__starts_at", "pk")
    )


def plan_weeks(plan: SemesterPlan) -> list[PlannedWeek]:
    return list(plan.weeks.order_by("week"))


def plan_units(plan: SemesterPlan) -> list[PreparationUnit]:
    return list(
        plan.units.select_related("main_preparer")
        .annotate(
            adapted=Count("adaptations", distinct=True),
            reflected=Count("adaptations", filter=~Q(adaptations__reflection=""), distinct=True),
            comment_count=Count("comments", distinct=True),
        )
        .order_by("created_at", "pk")
    )


def unit_detail(unit: PreparationUnit) -> dict:
    return {
        "comments": list(unit.comments.select_related("author").order_by("created_at", "pk")),
        "adaptations": list(
            Adaptation.objects.filter(unit=unit).select_related("teacher").order_by("teacher__name")
        ),
    }


def group_plans(group: TeachingGroup) -> QuerySet[SemesterPlan]:
    return (
        group.plans.select_related("semester__school_year")
        .prefetch_related(Prefetch("weeks", queryset=PlannedWeek.objects.order_by("week")))
        .order_by("-semester__start_date")
    )
