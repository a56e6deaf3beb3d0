"""Every read the competition pages need, already scoped."""

from django.db.models import Count, QuerySet

from core.scoping import get_for_user

from .models import Contest, Entry


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
