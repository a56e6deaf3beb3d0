"""What every record form shares: the date and text widgets, the teacher and record pickers,
and RecordForm itself (defaults, the teacher's colleagues, save and submit)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.html import format_html

from core.dates import check_day, form_check_days
from core.forms import ModelForm, ModelIdsField
from teachers.models import Teacher

from ..models import (
    Record,
)

MAX_TRAINING_HOURS = 200

SUBMIT_BUTTON = "save_submit"  # the name of the "save and submit" button


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


class TeacherChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.subject}"


class TeacherMultipleChoiceField(ModelIdsField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.subject}"


class RecordChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.date:%Y-%m-%d} · {obj.get_kind_display()} · {obj.title}"


def colleagues(teacher: Teacher, *, keep=()) -> QuerySet[Teacher]:
    """The teacher's colleagues on staff at their school (and whoever is already chosen, so
    editing a record about someone who has since left still validates)."""
    return (
        Teacher.objects.filter(
            Q(school_id=teacher.school_id, is_active=True) | Q(pk__in=[k for k in keep if k])
        )
        .exclude(pk=teacher.pk)
        .order_by("name", "pk")
    )


class RecordForm(ModelForm):
    """What every kind shares: the author is fixed by the view, the date defaults to today,
    and there are two buttons, "Save draft" and "Save and submit"."""

    date_help = ""
    # The field that carries the record's date, and whether it may lie ahead (then the
    # record is planned: saved as a draft, submitted once it has taken place).
    date_field: str | None = "date"
    may_be_planned = False
    # Other dates of the kind that must have passed (a project's stages, an end date).
    other_dates: tuple[str, ...] = ()

    class Meta:
        model = Record
        fields = ["date"]
        widgets = {"date": _date_input()}

    def __init__(self, *args, teacher: Teacher, **kwargs):
        super().__init__(*args, **kwargs)
        self.teacher = teacher
        self.instance.teacher = teacher
        if "date" in self.fields:
            self.fields["date"].initial = timezone.localdate()
            if self.date_help:
                self.fields["date"].help_text = self.date_help
        if self.instance.pk is None:
            self.set_defaults()
        # The page wraps the fields in one form with the files and the two buttons
        # ("Save draft", "Save and submit"), so both are saved in one request.
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self.layout())

    def set_defaults(self) -> None:
        """Initial values for a new record of this kind."""

    def _post_clean(self):
        super()._post_clean()
        # After the kind's clean(), which may derive the date (an open class from its start).
        day = self.instance.date
        if self.date_field and day and not self.has_error(self.date_field):
            try:
                check_day(day, future=self.may_be_planned)
            except ValidationError as exc:
                self.add_error(self.date_field, exc.messages)
        form_check_days(self, *self.other_dates, future=self.may_be_planned)

    def layout(self) -> list:
        return list(self.fields)

    def save(self, commit: bool = False) -> Record:
        if commit:
            raise ValueError("Records are saved through records.services.workflow.record_save.")
        record = super().save(commit=False)
        # record_save() validates the whole row before the kind's save() derives the title
        # from its own fields, so a new record needs a provisional one.
        record.title = record.title or str(record._meta.verbose_name)
        return record

    @staticmethod
    def section(title, *fields) -> Div:
        heading = format_html('<h2 class="h6 text-muted mt-2">{}</h2>', title)
        return Div(HTML(heading), *fields)

    def _check_order(self, start: str, end: str, message) -> None:
        first, last = self.cleaned_data.get(start), self.cleaned_data.get(end)
        if first and last and last < first:
            self.add_error(end, message)
