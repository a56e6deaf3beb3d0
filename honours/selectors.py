"""Every read the honours pages need, already scoped, and who may do what.

- the principal and training office of a school propose its honours list, keep or leave out
  candidates and name the honours; the principal confirms; both print the commendation;
- the district office reads the lists, priority lists and performance pay of its schools and
  prints the commendation;
- a teacher sees their own honours once the principal has confirmed the list.
Nobody else reaches these pages (404). Annual grades are read only once released
(``assessment.selectors.released_grades``): before its round's results are posted a grade
is in no list, no order and no file here.
"""

import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from core.models import Role, School, User, school_year_start
from core.scoping import get_for_user

from .models import HonourCandidate, HonourList


# -- who ---------------------------------------------------------------------------------------
def is_principal_of(user: User, school_id: int) -> bool:
    scope = user.scope
    return scope.is_superuser or Role.PRINCIPAL in scope.roles_at(school_id)


def reader_schools(*, user: User) -> QuerySet[School]:
    """Schools whose honours, priority lists and pay the user reads: those they manage, and
    for the district office the schools of its district."""
    scope = user.scope
    qs = scope.schools()
    if scope.is_superuser:
        return qs.order_by("district__code", "code")
    return qs.filter(
        Q(pk__in=scope.managed_school_ids) | Q(district_id__in=scope.readable_district_ids)
    ).order_by("district__code", "code")


def require_reader(user: User) -> None:
    scope = user.scope
    if not (scope.is_superuser or scope.managed_school_ids or scope.reads_districts):
        raise Http404


def current_year(today: datetime.date | None = None) -> int:
    return school_year_start(today or timezone.localdate())


def year_from(value, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if 2000 <= year <= 2100 else default


# -- honours lists -----------------------------------------------------------------------------
def honour_lists(*, user: User) -> QuerySet[HonourList]:
    return (
        HonourList.objects.filter(school__in=reader_schools(user=user))
        .select_related("school")
        .order_by("-year", "school__code")
    )


def get_list_for_user(*, user: User, pk: int, write: bool = False) -> HonourList:
    """404 for users who may not read the list, 403 for readers who may not change it."""
    honour_list = honour_lists(user=user).filter(pk=pk).first()
    if honour_list is None:
        raise Http404
    if write:
        get_for_user(HonourList.objects.all(), user, write=True, pk=pk)
    return honour_list


def candidates(*, honour_list: HonourList) -> list[HonourCandidate]:
    return list(honour_list.candidates.select_related("teacher__group").order_by("position", "pk"))


def commended(*, honour_list: HonourList) -> list[HonourCandidate]:
    return [c for c in candidates(honour_list=honour_list) if c.included]


def own_honours(*, user: User) -> QuerySet[HonourCandidate]:
    """The user's own honours: on a confirmed list, kept by the office."""
    return (
        HonourCandidate.objects.filter(
            teacher__user_id=user.pk,
            included=True,
            honour_list__status=HonourList.Status.CONFIRMED,
        )
        .select_related("honour_list__school")
        .order_by("-honour_list__year")
    )
