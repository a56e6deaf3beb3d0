from django.db.models import Count, Q, QuerySet

from .models import Job, School, SchoolYear


def school_list(*, user) -> QuerySet[School]:
    """Schools the user may see, with their active-teacher counts."""
    return (
        user.scope.schools()
        .annotate(teacher_count=Count("teachers", filter=Q(teachers__is_active=True)))
        .order_by("district__code", "code")
    )


def job_list(*, user) -> QuerySet[Job]:
    return Job.objects.filter(requested_by=user).order_by("-created_at")


def get_job_for_user(*, user, pk: int) -> Job:
    from django.shortcuts import get_object_or_404

    # Generated files may hold personal data: only the person who asked sees them.
    return get_object_or_404(Job.objects.filter(requested_by=user), pk=pk)


def current_school_year(*, district_id: int, day) -> SchoolYear | None:
    return SchoolYear.objects.filter(district_id=district_id).containing(day).first()
