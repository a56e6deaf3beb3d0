from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import Form, ModelForm
from core.models import school_year_label
from teachers.models import Grade

from ..models import EligibilityRuleSet, Tier
from ..services.eligibility import RULE_FIELDS


class EligibilityRulesForm(ModelForm):
    """Parses the rules; the service saves them (and sets tier, school, updated_by)."""

    class Meta:
        model = EligibilityRuleSet
        fields = list(RULE_FIELDS)

    def __init__(self, *args, tier: Tier, **kwargs):
        super().__init__(*args, **kwargs)
        if not tier.below():
            del self.fields["requires_tier_below"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("min_years_teaching"), Column("max_years_teaching")),
            Row(Column("min_education"), Column("min_title")),
            "min_recent_grade",
            "no_unqualified_in_term",
            *(["requires_tier_below"] if "requires_tier_below" in self.fields else []),
        )

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class AnnualGradesForm(Form):
    """One grade select per teacher for one school year; blank clears a grade."""

    def __init__(self, *args, teachers, grades: dict[int, int], disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.teachers = teachers
        choices = [("", "—"), *Grade.choices]
        for teacher in teachers:
            self.fields[self.key(teacher)] = forms.TypedChoiceField(
                label=teacher.name,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=grades.get(teacher.pk),
                disabled=disabled,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    @staticmethod
    def key(teacher) -> str:
        return f"t{teacher.pk}"

    def rows(self):
        return [(teacher, self[self.key(teacher)]) for teacher in self.teachers]

    def grades(self) -> dict[int, int | None]:
        return {t.pk: self.cleaned_data.get(self.key(t)) for t in self.teachers}


class TargetPlanForm(Form):
    """A plan for one school year: a number of teachers per tier."""

    by_year = forms.TypedChoiceField(label=_("By the end of school year"), coerce=int)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, tiers: list[Tier], years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.tiers = tiers
        self.fields["by_year"].choices = [(y, school_year_label(y)) for y in years]
        for tier in tiers:
            self.fields[f"tier_{tier.pk}"] = forms.IntegerField(
                label=tier.label, min_value=0, max_value=9999, required=False
            )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("by_year"), Column("note")),
            Row(*(Column(f"tier_{tier.pk}") for tier in tiers)),
        )
        self.helper.add_input(Submit("submit", _("Save")))

    def clean(self):
        data = super().clean()
        if all(data.get(f"tier_{tier.pk}") is None for tier in self.tiers):
            raise forms.ValidationError(_("Give a number of teachers for at least one tier."))
        return data

    def counts(self) -> dict[Tier, int | None]:
        return {tier: self.cleaned_data.get(f"tier_{tier.pk}") for tier in self.tiers}
