from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet

from .models import Holiday, Job, School, SchoolYear, TeachingGroup

# How many groups a search field offers at once.
GROUP_SEARCH_LIMIT = 20


def school_list(*, user) -> QuerySet[School]:
    """Schools the user may see, with their active-teacher counts."""
    return (
        user.scope.schools()
        .annotate(teacher_count=Count("teachers", filter=Q(teachers__is_active=True)))
        .order_by("district__code", "code")
    )


def job_list(*, user) -> QuerySet[Job]:
    """The user's own jobs; for a principal or the training office also the jobs of the schools
    they manage; for the district office the jobs of its schools and of the district itself
    (read-only: see ``job_can_act``). A committee member or teacher sees only their own."""
    visible = Q(requested_by=user)
    scope = user.scope
    if scope.is_superuser:
        visible = Q()
    else:
        if scope.managed_school_ids:
            visible |= Q(school_id__in=scope.managed_school_ids)
        if scope.reads_districts:
            visible |= Q(school_id__in=scope.readable_district_school_ids)
            visible |= Q(district_id__in=scope.readable_district_ids)
    return (
        Job.objects.filter(visible)
        .select_related("requested_by", "school", "district")
        .annotate(duration=ExpressionWrapper(F("finished_at") - F("started_at"), DurationField()))
        .order_by("-created_at", "-pk")
    )


def get_job_for_user(*, user, pk: int) -> Job:
    from django.shortcuts import get_object_or_404

    # Generated files hold personal data: 404 for everyone outside job_list's scope.
    return get_object_or_404(job_list(user=user), pk=pk)


def job_can_act(*, user, job: Job) -> bool:
    """Whether ``user`` may retry or regenerate ``job``: its requester, or someone who manages
    its school. The district office only reads its schools' jobs."""
    scope = user.scope
    return (
        scope.is_superuser
        or job.requested_by_id == user.pk
        or (job.school_id is not None and job.school_id in scope.managed_school_ids)
    )


def current_school_year(today=None) -> int:
    """The start year of the school year running today (years run September–August)."""
    from django.utils import timezone

    from .models import school_year_start

    return school_year_start(today or timezone.localdate())


def district_ids_of(*, user) -> set[int]:
    """Every district the user works in: their own, their city's (read), or their schools'."""
    scope = user.scope
    return set(scope.readable_district_ids) | set(
        School.objects.filter(pk__in=scope.school_roles).values_list("district_id", flat=True)
    )


def school_year_list(*, user) -> QuerySet[SchoolYear]:
    qs = SchoolYear.objects.select_related("district").prefetch_related("semesters")
    if user.scope.is_superuser:
        return qs
    return qs.filter(district_id__in=district_ids_of(user=user))


def school_year_initial(school_year: SchoolYear) -> dict:
    semesters = {s.number: s for s in school_year.semesters.all()}
    data = {
        "start_year": school_year.start_year,
        "start_date": school_year.start_date,
        "end_date": school_year.end_date,
    }
    for number, prefix in ((1, "first"), (2, "second")):
        if number in semesters:
            data[f"{prefix}_start"] = semesters[number].start_date
            data[f"{prefix}_end"] = semesters[number].end_date
    return data


def holiday_list(*, user) -> QuerySet[Holiday]:
    qs = Holiday.objects.select_related("district")
    if user.scope.is_superuser:
        return qs
    return qs.filter(district_id__in=district_ids_of(user=user))


def group_search(*, user, term: str, kind: str = "") -> list[TeachingGroup]:
    """The groups of the schools the user sees whose name or school's name holds ``term``."""
    groups = TeachingGroup.objects.filter(school__in=user.scope.schools()).select_related("school")
    if kind in TeachingGroup.Kind.values:
        groups = groups.filter(kind=kind)
    if term:
        groups = groups.filter(Q(name__icontains=term) | Q(school__name__icontains=term))
    return list(groups.order_by("school__code", "name")[:GROUP_SEARCH_LIMIT])
