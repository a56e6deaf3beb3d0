"""Every read the training pages need, already scoped."""

from django.db.models import Count, Prefetch, Q, QuerySet

from core.scoping import get_for_user
from teachers.models import Teacher

from .models import Attendance, Enrolment, Programme, Session


def sees_programmes(user) -> bool:
    scope = user.scope
    return scope.is_superuser or scope.is_school_staff or scope.reads_districts


def organises_any(user) -> bool:
    scope = user.scope
    return scope.is_superuser or bool(scope.managed_school_ids) or scope.is_district_office


def programme_list(*, user, year: int | None = None) -> QuerySet[Programme]:
    programmes = Programme.objects.visible_to(user).select_related("school", "district")
    if year:
        programmes = programmes.filter(year=year)
    return programmes.annotate(
        session_count=Count("sessions", distinct=True),
        trainee_count=Count(
            "enrolments",
            filter=Q(enrolments__status=Enrolment.Status.ENROLLED),
            distinct=True,
        ),
    ).order_by("-start_date", "-pk")


def get_programme(*, user, pk: int, write: bool = False) -> Programme:
    return get_for_user(
        Programme.objects.select_related("school", "district"), user, write=write, pk=pk
    )


def get_session(*, user, pk: int, write: bool = False) -> Session:
    return get_for_user(
        Session.objects.select_related(
            "programme__school", "programme__district", "speaker_teacher"
        ),
        user,
        write=write,
        pk=pk,
    )


def visible_teachers(*, user, programme: Programme) -> QuerySet[Teacher]:
    """The trainees a user may see in a programme: the district office sees every school's,
    a school's staff only their own teachers (a district programme has many schools)."""
    scope = user.scope
    if scope.is_superuser or (
        programme.is_district and programme.district_id in scope.district_ids
    ):
        return Teacher.objects.all()
    if programme.school_id and programme.school.district_id in scope.district_ids:
        return Teacher.objects.all()
    if programme.group_id and programme.group_id in scope.led_group_ids:
        return Teacher.objects.filter(school_id=programme.school_id)  # a group's head
    return Teacher.objects.filter(school_id__in=scope.staff_school_ids)


def enrolments(*, user, programme: Programme) -> QuerySet[Enrolment]:
    return (
        programme.enrolments.filter(teacher__in=visible_teachers(user=user, programme=programme))
        .select_related("teacher__school", "certificate")
        .order_by("teacher__school__code", "teacher__name", "pk")
    )


def sessions_of(*, programme: Programme) -> QuerySet[Session]:
    # (a GROUP BY query ignores Meta.ordering: order explicitly)
    return (
        programme.sessions.select_related("speaker_teacher")
        .annotate(
            present_count=Count(
                "attendances", filter=Q(attendances__status__in=Attendance.ATTENDED)
            )
        )
        .order_by("date", "starts_at", "pk")
    )


def register_rows(*, user, session: Session) -> list[tuple[Enrolment, Attendance | None]]:
    """The register: every enrolled trainee the user may see, with their line if any."""
    trainees = enrolments(user=user, programme=session.programme)
    lines = {
        a.teacher_id: a
        for a in session.attendances.filter(teacher_id__in=trainees.values("teacher_id"))
    }
    return [(e, lines.get(e.teacher_id)) for e in trainees]


def own_teacher(user) -> Teacher | None:
    return getattr(user, "teacher", None) if user.is_authenticated else None


def my_sessions(*, teacher: Teacher) -> QuerySet[Session]:
    """The published sessions of the programmes the teacher is enrolled in, with their line."""
    return (
        Session.objects.published()
        .filter(
            programme__enrolments__teacher=teacher,
            programme__enrolments__status=Enrolment.Status.ENROLLED,
        )
        .select_related("programme", "speaker_teacher")
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.filter(teacher=teacher),
                to_attr="mine",
            )
        )
    )


def places_lost(*, teacher: Teacher) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(
        teacher=teacher, status=Enrolment.Status.PLACE_LOST
    ).select_related("programme")


def can_edit(user, programme: Programme) -> bool:
    """The programme's organiser (the school's managers, or the district office)."""
    return Programme.objects.editable_by(user).filter(pk=programme.pk).exists()
