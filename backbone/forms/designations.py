"""Forms for recording, revoking and promoting designations, the reserve pool and the
designation import. They parse input; the rules live in backbone.services."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import SHORT_TEXT
from core.forms import Form, ImportFileField
from core.models import School, school_year_label
from core.wording import in_brackets
from teachers.models import Teacher

from ..models import Tier, school_year_start


class TeacherChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}{in_brackets(obj.staff_no)} · {obj.school.name}"


def _year_choices(*, blank_label=None):
    current = school_year_start(timezone.localdate())
    choices = [(y, school_year_label(y)) for y in range(current - 6, current + 4)]
    return [("", blank_label), *choices] if blank_label else choices


def _year_field(label, *, required=True, blank_label=None, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        choices=lambda: _year_choices(blank_label=blank_label),
        coerce=int,
        empty_value=None,
        required=required,
        help_text=help_text,
    )


class _TermFields(Form):
    designated_by = forms.CharField(
        label=_("Designated by"),
        max_length=100,
        help_text=_("The designating body, e.g. 鼓楼区教育局."),
    )
    certificate_no = forms.CharField(label=_("Certificate number"), max_length=50, required=False)
    first_year = _year_field(_("First school year"))
    last_year = _year_field(
        _("Last school year"),
        required=False,
        blank_label=_("The tier's default term"),
        help_text=_("Leave empty for the tier's default term length."),
    )

    def clean(self):
        data = super().clean()
        first, last = data.get("first_year"), data.get("last_year")
        if first is not None and last is not None and last < first:
            self.add_error("last_year", _("The last school year cannot be before the first."))
        return data

    def _helper(self, *fields, submit):
        helper = FormHelper()
        helper.layout = Layout(
            *fields,
            Row(Column("designated_by"), Column("certificate_no")),
            Row(Column("first_year"), Column("last_year")),
        )
        helper.add_input(Submit("submit", submit))
        return helper


class DesignationForm(_TermFields):
    """Record an external designation (district tier and up, or an honorary title)."""

    teacher = TeacherChoiceField(label=_("Teacher"), queryset=Teacher.objects.none())
    tier = forms.ModelChoiceField(label=_("Tier or honorary title"), queryset=Tier.objects.none())

    field_order = ["teacher", "tier"]

    def __init__(self, *args, teachers, tiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = teachers
        self.fields["tier"].queryset = tiers
        self.fields["first_year"].initial = school_year_start(timezone.localdate())
        self.helper = self._helper(Row(Column("teacher"), Column("tier")), submit=_("Record"))


class PromoteForm(_TermFields):
    tier = forms.ModelChoiceField(label=_("New tier"), queryset=Tier.objects.none())

    field_order = ["tier"]

    def __init__(self, *args, tiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = tiers
        self.fields["first_year"].initial = school_year_start(timezone.localdate())
        self.helper = self._helper("tier", submit=_("Promote"))


class RevokeForm(Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept on the teacher's record."),
        max_length=SHORT_TEXT,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Revoke"), css_class="btn-danger"))


class ReserveEntryForm(Form):
    teacher = TeacherChoiceField(label=_("Teacher"), queryset=Teacher.objects.none())
    tier = forms.ModelChoiceField(label=_("Candidate for"), queryset=Tier.objects.none())
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=SHORT_TEXT
    )

    def __init__(self, *args, teachers, tiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = teachers
        self.fields["tier"].queryset = tiers
        self.helper = FormHelper()
        self.helper.layout = Layout(Row(Column("teacher"), Column("tier")), "reason")
        self.helper.add_input(Submit("submit", _("Add to the reserve pool")))


class DesignationImportForm(Form):
    file = ImportFileField(label=_("Designations file"))
    school = forms.ModelChoiceField(queryset=School.objects.none(), label=_("School"))

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if len(schools) == 1:
            self.fields["school"].initial = schools[0].pk
            self.fields["school"].widget = forms.HiddenInput()
