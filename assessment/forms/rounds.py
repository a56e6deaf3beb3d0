"""Forms of assessment rounds and templates. They parse input; the rules live in
assessment.services."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.dates import form_check_days, form_check_order
from core.fields import SHORT_TEXT
from core.forms import Form, ModelIdsField
from core.models import school_year_label, school_year_start
from core.wording import in_brackets
from scoring.forms import SheetForm

from .. import selectors
from ..models import AssessmentTemplate, Grade
from ..services.results import notice_start_problem

DEFAULT_NOTICE_DAYS = 7
SMALL = {"class": "form-control form-control-sm"}


def _date_widget():
    return forms.DateInput(attrs={"type": "date", **SMALL}, format="%Y-%m-%d")


def _year_choices():
    current = school_year_start(timezone.localdate())
    return [(y, school_year_label(y)) for y in range(current - 2, current + 2)]


class CommitteeField(ModelIdsField):
    def label_from_instance(self, obj):
        return f"{obj}{in_brackets(obj.username)}"


class RoundForm(Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=None)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=AssessmentTemplate.Kind.choices, initial="annual"
    )
    year = forms.TypedChoiceField(label=_("School year"), choices=_year_choices, coerce=int)
    semester = forms.TypedChoiceField(
        label=_("Semester"),
        choices=[("", "—"), (1, _("First semester")), (2, _("Second semester"))],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Only for a semester check."),
    )
    title = forms.CharField(label=_("Title"), max_length=100)
    all_teachers = forms.BooleanField(
        label=_("All active teachers, not only backbone teachers"), required=False
    )
    committee = CommitteeField(
        label=_("Committee members (考核小组)"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=pgettext_lazy(
            "assessment", "Committee members, the principal or the training office of the school."
        ),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["committee"].queryset = selectors.committee_choices(schools=schools)
        self.fields["year"].initial = school_year_start(timezone.localdate())
        if len(schools) == 1:
            self.fields["school"].initial = schools[0].pk
            self.fields["school"].widget = forms.HiddenInput()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "school",
            Row(Column("title", css_class="col-md-6"), Column("kind"), Column("year")),
            Row(Column("semester"), Column("all_teachers")),
            "committee",
        )
        self.helper.add_input(Submit("submit", pgettext_lazy("assessment", "Open the round")))


class ScoreSheetForm(SheetForm):
    """One number per entry and component; fields named s_<entry>_<component>."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, name=lambda entry: entry.teacher.name, **kwargs)


class PostForm(Form):
    notice_from = forms.DateField(label=_("Posted from"), widget=_date_widget())
    notice_until = forms.DateField(label=_("Posted until"), widget=_date_widget())
    notice_contact = forms.CharField(
        label=_("Contact person"),
        max_length=100,
        widget=forms.TextInput(attrs=SMALL),
        help_text=_("Named on the notice: who receives questions, with a telephone or office."),
    )

    def __init__(self, *args, round=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
        today = timezone.localdate()
        self.fields["notice_from"].initial = (round and round.notice_from) or today
        self.fields["notice_until"].initial = (round and round.notice_until) or (
            today + datetime.timedelta(days=DEFAULT_NOTICE_DAYS)
        )
        self.fields["notice_contact"].initial = round.notice_contact if round else ""
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("notice_from"), Column("notice_until")), "notice_contact"
        )
        self.helper.add_input(Submit("submit", _("Post the results")))

    def clean(self):
        data = super().clean()
        form_check_days(self, "notice_from", "notice_until", future=True)
        form_check_order(
            self, "notice_from", "notice_until", _("The notice cannot end before it starts.")
        )
        start = data.get("notice_from")
        if self.round is not None and start and not self.has_error("notice_from"):
            problem = notice_start_problem(self.round, start)
            if problem:
                self.add_error("notice_from", problem)
        return data


class RevokeForm(Form):
    reason = forms.CharField(
        label=_("Reason for the revocation"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=SHORT_TEXT,
    )


class DutyReportForm(Form):
    text = forms.CharField(
        label=_("My annual duty report (述职)"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("What you did on each duty this school year: classes, research, mentoring."),
    )

    def __init__(self, *args, disabled=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].disabled = disabled
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class TemplateForm(Form):
    excellent_from = forms.DecimalField(
        label=_("Excellent from"), min_value=0, max_value=100, decimal_places=1
    )
    good_from = forms.DecimalField(
        label=_("Good from"), min_value=0, max_value=100, decimal_places=1
    )
    qualified_from = forms.DecimalField(
        label=_("Qualified from"), min_value=0, max_value=100, decimal_places=1
    )
    missed_core_duty_cap = forms.TypedChoiceField(
        label=_("Grade cap when a core duty is missed"),
        choices=[("", _("No cap")), *Grade.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    year = forms.TypedChoiceField(
        label=_("Applies from school year"),
        choices=_year_choices,
        coerce=int,
        help_text=_("Past school years keep the template they had."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = school_year_start(timezone.localdate())
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(Column("excellent_from"), Column("good_from"), Column("qualified_from")),
            Row(Column("missed_core_duty_cap"), Column("year")),
        )


class ComponentForm(Form):
    name = forms.CharField(
        label=_("Component"), max_length=50, required=False, widget=forms.TextInput(attrs=SMALL)
    )
    weight = forms.IntegerField(
        label=_("Weight (%)"), min_value=1, max_value=100, required=False,
        widget=forms.NumberInput(attrs=SMALL),
    )  # fmt: skip
    max_score = forms.IntegerField(
        label=_("Maximum score"), min_value=1, max_value=1000, required=False,
        widget=forms.NumberInput(attrs=SMALL),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("weight"):
            raise ValidationError(_("Give the component a weight."))
        return data


class BaseComponentFormSet(forms.BaseFormSet):
    @property
    def rows(self) -> list[dict]:
        return [
            {"name": f.cleaned_data["name"], "weight": f.cleaned_data["weight"],
             "max_score": f.cleaned_data.get("max_score") or 100}
            for f in self.forms
            if f.cleaned_data.get("name")
        ]  # fmt: skip


def component_formset(data=None, initial=None):
    formset = forms.formset_factory(ComponentForm, formset=BaseComponentFormSet, extra=2)
    return formset(data, initial=initial, prefix="components")


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
