"""The office's form to exempt a teacher from the school-based hours."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import SHORT_TEXT
from core.forms import Form, ModelIdField
from core.models import school_year_label
from teachers.models import Teacher


class HoursExemptionForm(Form):
    teacher = ModelIdField(label=_("Teacher"), queryset=Teacher.objects.none())
    year = forms.TypedChoiceField(label=_("School year"), coerce=int)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. further study away for the whole year (长周期培训)."),
    )

    def __init__(self, *args, teachers, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = teachers
        self.fields["teacher"].label_from_instance = lambda t: f"{t.name}（{t.staff_no}）"
        self.fields["year"].choices = [(y, school_year_label(y)) for y in years]
