"""Forms of a lesson study: they parse input; the rules live in records.services.lessonstudy."""

from crispy_forms.layout import Column, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import Form, ModelIdField
from core.forms import form_helper as _helper
from core.models import School

from ..models import LessonStudy, OpenClass


class LessonStudyForm(Form):
    school = ModelIdField(label=_("School"), queryset=School.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=LessonStudy.Kind.choices)
    lesson = forms.CharField(label=_("Lesson"), max_length=200)
    subject = forms.CharField(label=_("Subject"), max_length=30)
    grade = forms.CharField(label=_("School grade"), max_length=50, required=False)
    theme = forms.CharField(label=_("Research theme"), max_length=200, required=False)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if len(choices := list(schools)) == 1:
            self.fields["school"].initial = choices[0].pk
        self.helper = _helper(
            Row(Column("school"), Column("kind")),
            "lesson",
            Row(Column("subject"), Column("grade")),
            "theme",
        )


class RoundForm(Form):
    open_class = ModelIdField(
        label=_("Open class"),
        queryset=OpenClass.objects.none(),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    note = forms.CharField(
        label=_("What changed in this round"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["open_class"].queryset = classes
        self.fields["open_class"].label_from_instance = lambda c: (
            f"{c.date:%Y-%m-%d} · {c.teacher.name} · {c.topic}"
        )
