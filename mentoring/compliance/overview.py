"""The training office's overview of every pairing it may see, filtered and lit."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

import django_filters
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
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


def overview_rows(*, user, data: Mapping, today: datetime.date | None = None) -> Overview:
    """Pairings the user may see, filtered (active ones unless a status is chosen), with their
    compliance; red first, then amber, each the furthest behind first."""
    data = data.copy()
    data.setdefault("status", Pairing.Status.ACTIVE)
    filterset = OverviewFilter(data, queryset=overview_pairings(user=user), user=user)
    pairings = list(filterset.qs)
    compliance = compliance_for(pairings=pairings, today=today)
    rows = sorted(
        (OverviewRow(pairing=p, compliance=compliance[p.pk]) for p in pairings),
        key=lambda row: row.sort_key,
    )
    counts = {light: 0 for light in Light.values}
    for row in rows:
        counts[row.compliance.light] += 1
    light = filterset.form.cleaned_data.get("light") if filterset.is_valid() else ""
    if light:
        rows = [row for row in rows if row.compliance.light == light]
    return Overview(filter=filterset, rows=rows, counts=counts)
