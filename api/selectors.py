"""What each endpoint lists: the same scoped querysets the pages use (core.scoping), ordered by
id so that pages are stable. Each selects what its serializer reads, in a constant number of
queries however many rows there are."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from assessment.models import AssessmentEntry, AssessmentRound
from backbone.models import Designation
from core.models import School
from records.models import Record, Status, Training
from teachers.models import Teacher

RESULT_STATUSES = (AssessmentRound.Status.POSTED, AssessmentRound.Status.LOCKED)


def schools(*, user) -> QuerySet[School]:
    return user.scope.schools().order_by("pk")


def teachers(*, user) -> QuerySet[Teacher]:
    """Everyone whose profile page the user may open (teachers.selectors.get_teacher): their
    staff, their district office, and a teacher themself."""
    return Teacher.objects.visible_to(user).select_related("school", "group").order_by("pk")


def designations(*, user) -> QuerySet[Designation]:
    return (
        Designation.objects.visible_to(user)
        .select_related("teacher__school", "tier")
        .order_by("pk")
    )


def verified_records(*, user) -> QuerySet[Record]:
    return (
        Record.objects.visible_to(user)
        .filter(status=Status.VERIFIED)
        .select_related("teacher__school")
        .order_by("pk")
    )


def ledger(*, user) -> QuerySet[Training]:
    """The training-hours ledger: verified training records, whoever entered them (the
    teacher, the session register, the bureau's platform), as records.hours counts them."""
    return (
        Training.objects.visible_to(user)
        .filter(status=Status.VERIFIED)
        .select_related("teacher__school")
        .order_by("pk")
    )


def posted_results(*, user, today=None) -> QuerySet[AssessmentEntry]:
    """Entries of posted rounds, as assessment.selectors.results_visible lets the user read
    them: the school's staff and district office once posted, anyone with a role at the school
    while the notice runs. Grades only: the results page never shows scores."""
    today = today or timezone.localdate()
    scope = user.scope
    role_schools = set(scope.school_roles)
    if scope.within is not None:
        role_schools &= scope.within
    notice = Q(
        round__school_id__in=role_schools,
        round__status=AssessmentRound.Status.POSTED,
        round__notice_from__lte=today,
        round__notice_until__gte=today,
    )
    return (
        AssessmentEntry.objects.filter(round__status__in=RESULT_STATUSES)
        .filter(scope.school_filter("round__school") | notice)
        .select_related("round__school", "teacher")
        .order_by("pk")
    )
