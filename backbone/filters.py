import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from core.forms import use_group_search
from core.models import School, TeachingGroup
from teachers.models import Teacher

from .models import Designation, Tier, school_year_start
from .selectors.designations import roster_tiers


class RosterFilter(FilterSet):
    """Filters of the backbone roster; the queryset comes scoped (selectors.roster_list)."""

    q = django_filters.CharFilter(label=_("Name or staff number"), method="filter_q")
    school = django_filters.ModelChoiceFilter(
        label=_("School"), field_name="teacher__school", queryset=School.objects.none()
    )
    tier = django_filters.ModelChoiceFilter(label=_("Tier"), queryset=Tier.objects.none())
    group = django_filters.ModelChoiceFilter(
        label=_("Teaching-research group"),
        field_name="teacher__group",
        queryset=TeachingGroup.objects.none(),
    )
    subject = django_filters.ChoiceFilter(
        label=_("Subject"), field_name="teacher__subject", choices=[]
    )
    ending = django_filters.BooleanFilter(
        label=_("Term ends this school year"), method="filter_ending", widget=forms.CheckboxInput
    )
    title = django_filters.ModelChoiceFilter(
        label=_("Honorary title held"), queryset=Tier.objects.none(), method="filter_title"
    )

    class Meta:
        model = Designation
        fields = ["q", "school", "tier", "group", "subject", "ending", "title"]

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user = user
        schools = user.scope.schools()
        districts = schools.values("district_id")
        self.filters["school"].queryset = schools
        self.filters["tier"].queryset = roster_tiers(user=user)
        self.filters["title"].queryset = Tier.objects.filter(
            kind=Tier.Kind.HONORARY, district_id__in=districts
        ).order_by("level", "district_id")
        self.filters["group"].queryset = TeachingGroup.objects.filter(
            school__in=schools, kind=TeachingGroup.Kind.RESEARCH
        ).select_related("school")
        subjects = (
            Teacher.objects.visible_to(user)
            .filter(is_active=True)
            .order_by("subject")
            .values_list("subject", flat=True)
            .distinct()
        )
        self.filters["subject"].extra["choices"] = [(s, s) for s in subjects]
        if len(schools) <= 1:
            del self.filters["school"]
        use_group_search(
            self.form.fields["group"],
            kind=TeachingGroup.Kind.RESEARCH,
            many_schools="school" in self.filters,
        )

    def qs_without(self, *names: str):
        """The queryset with every filter applied except ``names`` (e.g. the counts per tier
        follow the other filters, whatever tier is picked)."""
        queryset = self.queryset
        if not self.is_bound or not self.form.is_valid():
            return queryset
        for name, value in self.form.cleaned_data.items():
            if name not in names and name in self.filters:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(teacher__name__icontains=value) | Q(teacher__staff_no__icontains=value)
        )

    def filter_ending(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(last_year=school_year_start(timezone.localdate()))

    def filter_title(self, queryset, name, value):
        holders = Designation.objects.current().filter(tier=value).values("teacher_id")
        return queryset.filter(teacher_id__in=holders)
