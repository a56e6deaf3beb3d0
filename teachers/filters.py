import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from core.forms import use_group_search
from core.models import School, TeachingGroup

from .models import Education, Teacher, Title
from .stages import GrowthStage, career_start_range


class TeacherFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Name or staff number"), method="filter_q")
    school = django_filters.ModelChoiceFilter(label=_("School"), queryset=School.objects.none())
    group = django_filters.ModelChoiceFilter(
        label=_("Teaching-research group"), queryset=TeachingGroup.objects.none()
    )
    subject = django_filters.ChoiceFilter(label=_("Subject"), choices=[])
    title = django_filters.ChoiceFilter(label=_("Professional title"), choices=Title.choices)
    education = django_filters.ChoiceFilter(label=_("Education"), choices=Education.choices)
    stage = django_filters.ChoiceFilter(
        label=_("Growth stage"), choices=GrowthStage.choices, method="filter_stage"
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("active", _("On staff")), ("left", _("Left")), ("all", _("All"))],
        method="filter_status",
        empty_label=None,
    )

    class Meta:
        model = Teacher
        fields = ["q", "school", "group", "subject", "title", "education", "stage", "status"]

    def __init__(self, data=None, *args, user, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("status", "active")
        super().__init__(data, *args, **kwargs)
        self.user = user
        schools = user.scope.schools()
        self.filters["school"].queryset = schools
        self.filters["group"].queryset = TeachingGroup.objects.filter(
            school__in=schools
        ).select_related("school")
        subjects = (
            Teacher.objects.visible_to(user)
            .order_by("subject")
            .values_list("subject", flat=True)
            .distinct()
        )
        self.filters["subject"].extra["choices"] = [(s, s) for s in subjects]
        if schools.count() <= 1:
            del self.filters["school"]
        use_group_search(self.form.fields["group"], many_schools="school" in self.filters)
        self.form.fields["status"].widget = forms.Select(
            choices=self.filters["status"].extra["choices"]
        )

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(staff_no__icontains=value))

    def filter_stage(self, queryset, name, value):
        # Stage depends on the district's thresholds; filter per district by career-start dates.
        today = Teacher.today()
        condition = Q(pk__in=[])
        for district in {s.district for s in self.user.scope.schools()}:
            after, upto = career_start_range(value, district, today)
            part = Q(school__district=district)
            if upto is not None:
                part &= Q(career_start__lte=upto)
            if after is not None:
                part &= Q(career_start__gt=after)
            condition |= part
        return queryset.filter(condition)

    def filter_status(self, queryset, name, value):
        if value == "active":
            return queryset.filter(is_active=True)
        if value == "left":
            return queryset.filter(is_active=False)
        return queryset
