"""The training office's overview of every pairing it may see, filtered and lit."""

import datetime
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

import django_filters
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from core.forms import use_group_search
from core.kept import kept
from core.models import School, TeachingGroup

from ..models import Pairing
from .counting import compliance_for
from .rules import LIGHT_ORDER, Compliance, Light


# -- the overview ------------------------------------------------------------------------------
def overview_pairings(*, user) -> models.QuerySet[Pairing]:
    """The pairings the overview lists: scoped, with what each row shows."""
    return (
        Pairing.objects.visible_to(user)
        .select_related("school", "mentor", "apprentice")
        .annotate(session_count=Count("sessions"))
    )


class OverviewFilter(FilterSet):
    """Filters of the compliance overview; the queryset comes scoped (overview_pairings)."""

    q = django_filters.CharFilter(label=_("Mentor or apprentice"), method="filter_q")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Pairing.Status.choices, empty_label=_("Any status")
    )
    school = django_filters.ModelChoiceFilter(label=_("School"), queryset=School.objects.none())
    group = django_filters.ModelChoiceFilter(
        label=_("Teaching-research group"),
        queryset=TeachingGroup.objects.none(),
        method="filter_group",
    )
    # Applied to the computed compliance, not in SQL (overview_rows).
    light = django_filters.ChoiceFilter(
        label=_("Compliance"), choices=Light.choices, method="filter_nothing"
    )

    class Meta:
        model = Pairing
        fields = ["q", "status", "school", "group", "light"]

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        schools = user.scope.schools()
        self.filters["school"].queryset = schools
        self.filters["group"].queryset = TeachingGroup.objects.filter(
            school__in=schools, kind=TeachingGroup.Kind.RESEARCH
        ).select_related("school")
        if len(schools) <= 1:
            del self.filters["school"]
        use_group_search(
            self.form.fields["group"],
            kind=TeachingGroup.Kind.RESEARCH,
            many_schools="school" in self.filters,
        )

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(mentor__name__icontains=value) | Q(apprentice__name__icontains=value)
        )

    def filter_group(self, queryset, name, value):
        return queryset.filter(Q(mentor__group=value) | Q(apprentice__group=value))

    def filter_nothing(self, queryset, name, value):
        return queryset


@dataclass
class OverviewRow:
    pairing: Pairing
    compliance: Compliance

    @property
    def sort_key(self) -> tuple:
        c = self.compliance
        percent = 101 if c.percent is None else c.percent
        return (
            LIGHT_ORDER[c.light],
            percent,
            -c.missed_weeks,
            self.pairing.mentor.name,
            self.pairing.pk,
        )


@dataclass
class Overview:
    filter: OverviewFilter
    rows: list[OverviewRow]  # after every filter, overdue first
    counts: dict[str, int]  # per light, before the light filter


def _filterset(*, user, data: Mapping) -> OverviewFilter:
    data = data.copy()
    data.setdefault("status", Pairing.Status.ACTIVE)
    return OverviewFilter(data, queryset=overview_pairings(user=user), user=user)


def _chosen_light(filterset: OverviewFilter) -> str:
    return filterset.form.cleaned_data.get("light") if filterset.is_valid() else ""


def _counted(filterset: OverviewFilter, today) -> tuple[list[OverviewRow], dict[str, int]]:
    """Every pairing of the filters but the light, with its compliance, furthest behind first,
    and how many have each light."""
    pairings = list(filterset.qs)
    compliance = compliance_for(pairings=pairings, today=today)
    rows = sorted(
        (OverviewRow(pairing=p, compliance=compliance[p.pk]) for p in pairings),
        key=lambda row: row.sort_key,
    )
    counts = {light: 0 for light in Light.values}
    for row in rows:
        counts[row.compliance.light] += 1
    return rows, counts


def overview_rows(*, user, data: Mapping, today: datetime.date | None = None) -> Overview:
    """Pairings the user may see, filtered (active ones unless a status is chosen), with their
    compliance; red first, then amber, each the furthest behind first."""
    filterset = _filterset(user=user, data=data)
    rows, counts = _counted(filterset, today)
    light = _chosen_light(filterset)
    if light:
        rows = [row for row in rows if row.compliance.light == light]
    return Overview(filter=filterset, rows=rows, counts=counts)


# -- one page of it ----------------------------------------------------------------------------
# An office that sees a district or a city orders thousands of pairings by counting every one
# of their weeks. Like the duties grid and the district overview, its page keeps that order and
# the counts per light a few minutes, says when it counted and offers to count again; the rows
# of the page are always counted anew (core.kept). A school's overview is counted at every
# visit.


@dataclass
class OverviewPage:
    filter: OverviewFilter
    page: Page  # of OverviewRow
    counts: dict[str, int]
    counted_at: datetime.datetime | None  # when the order was counted, if it was kept


def _order_key(user, data: Mapping, today) -> str:
    """The user's order for these filters (not the light, not the page) on this day."""
    chosen = sorted(
        (name, tuple(values))
        for name, values in data.lists()
        if name not in ("light", "page", "refresh")
    )
    digest = hashlib.sha256(repr(chosen).encode()).hexdigest()[:32]
    return f"mentoring-order:{user.scope.cache_key}:{today}:{digest}"


def overview_page(
    *,
    user,
    data: QueryDict,
    page: str | None,
    per_page: int,
    refresh: bool = False,
    today: datetime.date | None = None,
) -> OverviewPage:
    """One page of the overview; for a district or city office the order is kept."""
    today = today or timezone.localdate()
    scope = user.scope
    if not (scope.is_superuser or scope.reads_districts):
        result = overview_rows(user=user, data=data, today=today)
        return OverviewPage(
            filter=result.filter,
            page=Paginator(result.rows, per_page).get_page(page),
            counts=result.counts,
            counted_at=None,
        )
    filterset = _filterset(user=user, data=data)

    def count():
        rows, counts = _counted(filterset, today)
        return [(row.pairing.pk, row.compliance.light) for row in rows], counts

    (order, counts), counted_at = kept(_order_key(user, data, today), count, refresh=refresh)
    light = _chosen_light(filterset)
    shown = Paginator([pk for pk, lit in order if not light or lit == light], per_page)
    current = shown.get_page(page)
    pairings = overview_pairings(user=user).in_bulk(current.object_list)
    compliance = compliance_for(pairings=pairings.values(), today=today)
    current.object_list = [
        OverviewRow(pairing=pairings[pk], compliance=compliance[pk])
        for pk in current.object_list
        if pk in pairings  # ended or moved out of scope since it was counted
    ]
    return OverviewPage(filter=filterset, page=current, counts=counts, counted_at=counted_at)
