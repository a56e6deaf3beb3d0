"""Forms of the duties pages: the grid filters, changing a duty, opening a school year. They
parse input; the rules live in assessment.services.duties."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backbone.models import Tier
from core.forms import FilterForm, Form, ModelForm, use_group_search
from core.models import District, School, TeachingGroup, school_year_label, school_year_start
from teachers.stages import GrowthStage

from ..models import DutyTemplate


def year_choices(*, back: int = 4, ahead: int = 1) -> list[tuple[int, str]]:
    current = school_year_start(timezone.localdate())
    return [(y, school_year_label(y)) for y in range(current + ahead, current - back - 1, -1)]


SEMESTER_CHOICES = [("", _("Whole year")), (1, _("First semester")), (2, _("Second semester"))]


class DutyGridFilterForm(FilterForm):
    year = forms.TypedChoiceField(label=_("School year"), coerce=int, required=False)
    semester = forms.TypedChoiceField(
        label=_("Semester"), choices=SEMESTER_CHOICES, coerce=int, empty_value=None, required=False
    )
    school = forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), required=False
    )
    tier = forms.ModelChoiceField(label=_("Tier"), queryset=Tier.objects.none(), required=False)
    stage = forms.ChoiceField(
        label=_("Or young teachers in the growth stage"),
        choices=[("", _("Backbone teachers")), *GrowthStage.choices],
        required=False,
        help_text=_("Teachers without a tier designation, with the duties of their stage."),
    )
    group = forms.ModelChoiceField(
        label=_("Teaching-research group"), queryset=TeachingGroup.objects.none(), required=False
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        schools = user.scope.schools()
        self.fields["year"].choices = year_choices()
        self.fields["year"].initial = school_year_start(timezone.localdate())
        self.fields["school"].queryset = schools
        scope = user.scope
        # School staff see their own schools: no query needed to count them.
        own_only = not (scope.is_superuser or scope.is_district_office)
        if (len(scope.staff_school_ids) if own_only else schools.count()) <= 1:
            del self.fields["school"]
        self.fields["tier"].queryset = Tier.objects.filter(
            kind=Tier.Kind.TIER, district_id__in=schools.values("district_id")
        ).order_by("district_id", "level")
        self.fields["group"].queryset = TeachingGroup.objects.filter(
            school__in=schools, kind=TeachingGroup.Kind.RESEARCH
        ).select_related("school")
        use_group_search(
            self.fields["group"],
            kind=TeachingGroup.Kind.RESEARCH,
            many_schools="school" in self.fields,
        )

    @property
    def filters(self) -> dict:
        """The cleaned filters, with the current school year when none is chosen."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "year": data.get("year") or school_year_start(timezone.localdate()),
            "semester": data.get("semester"),
            "school": data.get("school"),
            "tier": None if data.get("stage") else data.get("tier"),
            "stage": data.get("stage") or None,
            "group": data.get("group"),
        }


class DutyTemplateForm(ModelForm):
    from_year = forms.TypedChoiceField(
        label=_("Applies from school year"),
        coerce=int,
        help_text=_("Earlier school years keep the duty as it was."),
    )

    class Meta:
        model = DutyTemplate
        fields = ["required", "period", "min_level", "min_school_based", "is_core", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_year"].choices = year_choices(back=0, ahead=2)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save the change")))

    def clean_required(self):
        value = self.cleaned_data["required"]
        if value < 0:
            raise forms.ValidationError(_("The required number cannot be negative."))
        return value


class OpenSchoolYearForm(Form):
    start_year = forms.TypedChoiceField(label=_("School year"), coerce=int)
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        required=False,
        help_text=_("The school year and its semesters are opened for the school's district."),
    )
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.none(), required=False
    )

    def __init__(self, *args, schools, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_year"].choices = year_choices(back=1, ahead=1)
        self.fields["start_year"].initial = school_year_start(timezone.localdate()) + 1
        self.fields["school"].queryset = schools
        self.fields["district"].queryset = districts
        if not districts.exists():
            del self.fields["district"]
        if not schools.exists():
            del self.fields["school"]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Open the school year")))

    def clean(self):
        data = super().clean()
        if not (data.get("school") or data.get("district")):
            raise forms.ValidationError(_("Choose a school or a district."))
        return data
