"""Every read the competition pages need, already scoped."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from backbone.models import Designation
from core.models import school_year_start
from core.scoping import get_for_user
from records.models import Record, Status

from .models import Contest, Entry, SharedItem


def organises_any(user) -> bool:
    scope = user.scope
    return scope.is_superuser or bool(scope.managed_school_ids) or scope.is_district_office


def contest_list(*, user, year: int | None = None) -> QuerySet[Contest]:
    contests = Contest.objects.visible_to(user).select_related("school", "district")
    if year:
        contests = contests.filter(year=year)
    return contests.annotate(entry_count=Count("entries")).order_by("-entry_opens", "-pk")


def get_contest(*, user, pk: int, write: bool = False) -> Contest:
    return get_for_user(
        Contest.objects.select_related("school", "district", "panel"), user, write=write, pk=pk
    )


def get_entry(*, user, pk: int) -> Entry:
    return get_for_user(
        Entry.objects.select_related("contest__panel", "contest__school", "teacher__school"),
        user,
        pk=pk,
    )


def can_edit(user, contest: Contest) -> bool:
    return Contest.objects.editable_by(user).filter(pk=contest.pk).exists()


def visible_entries(*, user, contest: Contest) -> QuerySet[Entry]:
    """The entries of the contest that ``user`` may see (entries.visible_to)."""
    return (
        Entry.objects.visible_to(user)
        .filter(contest=contest)
        .select_related("teacher__school")
        .order_by("category", "teacher__staff_no", "pk")
    )


# -- the shared library --------------------------------------------------------------------------
def library_search(
    *, user, subject: str = "", grade: str = "", kind: str = "", tier=None, text: str = "",
    year: int | None = None,
) -> QuerySet[SharedItem]:  # fmt: skip
    """Shared items ``user`` may see, newest first, with the author's current backbone tier
    (``tier_label``); one query for the page."""
    this_year = school_year_start(timezone.localdate())
    current = Designation.objects.filter(
        teacher_id=OuterRef("record__teacher_id"),
        status=Designation.Status.ACTIVE,
        first_year__lte=this_year,
        last_year__gte=this_year,
    ).order_by("-tier__level")
    items = (
        SharedItem.objects.visible_to(user)
        .select_related("record__teacher__school")
        .annotate(tier_label=Subquery(current.values("tier__name")[:1]))
    )
    if subject:
        items = items.filter(record__teacher__subject=subject)
    if grade:
        items = items.filter(record__teacher__grades__icontains=grade)
    if kind:
        items = items.filter(kind=kind)
    if tier is not None:
        items = items.filter(Exists(current.filter(tier=tier)))
    if text:
        items = items.filter(record__title__icontains=text)
    if year:
        items = items.filter(record__year=year)
    return items.order_by("-shared_at", "-pk")


def shareable_records(*, user) -> QuerySet[Record]:
    """The user's own verified records that could be shared and are not yet."""
    return (
        Record.objects.filter(teacher__user_id=user.pk, status=Status.VERIFIED, shared=None)
        .filter(
            Q(kind="paper", paper__result_kind__in=["case", "design", "courseware", "story"])
            | Q(kind="reading")
        )
        .select_related("paper")
        .order_by("-date", "-pk")
    )


def get_shared_item(*, user, pk: int) -> SharedItem:
    return get_for_user(SharedItem.objects.select_related("record__teacher"), user, pk=pk)
