"""Forms of the open-class calendar, evaluations, quick observation entry and plan comments.
They parse input; the rules live in records.services.calendar / observations / plans."""

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.forms import FilterForm, Form

from .models import OpenClass, OpenClassEvaluation
from .services.calendar import CRITERIA
from .services.observations import ObservationRow

RATINGS = [(i, str(i)) for i in range(1, 6)]
MAX_QUICK_ROWS = 30
DEFAULT_QUICK_ROWS = 3


class CalendarFilterForm(FilterForm):
    month = forms.CharField(required=False, widget=forms.HiddenInput)
    subject = forms.ChoiceField(label=_("Subject"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of class"),
        required=False,
        choices=[("", _("All kinds"))] + list(OpenClass.ClassKind.choices),
    )

    def __init__(self, *args, subjects: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [("", _("All subjects"))] + [(s, s) for s in subjects]
        for name in ("subject", "kind"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def value(self, name: str) -> str:
        return self.cleaned_data.get(name, "") if self.is_valid() else ""


def _field_label(name: str) -> str:
    return capfirst(OpenClassEvaluation._meta.get_field(name).verbose_name)


class EvaluationForm(Form):
    design = forms.TypedChoiceField(
        label=_field_label("design"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    delivery = forms.TypedChoiceField(
        label=_field_label("delivery"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    engagement = forms.TypedChoiceField(
        label=_field_label("engagement"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    effect = forms.TypedChoiceField(
        label=_field_label("effect"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    comments = forms.CharField(
        label=_("Comments"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What worked, what could be better, what you will take into your own class."),
    )
    log_observation = forms.BooleanField(
        label=_("Also log this as my class observation (听课记录)"), required=False
    )

    def __init__(self, *args, evaluation: OpenClassEvaluation | None = None, **kwargs):
        if evaluation is not None:
            kwargs.setdefault(
                "initial",
                {name: getattr(evaluation, name) for name in (*CRITERIA, "comments")},
            )
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            *(InlineRadios(name) for name in CRITERIA), "comments", "log_observation"
        )


class ObservationRowForm(Form):
    """One row of the quick entry: a class observed, in Gugan or outside it."""

    # Filled in by default on every row: a row counts once something else is typed in.
    CONTENT_FIELDS = (
        "observed_teacher",
        "observed_name",
        "observed_school",
        "class_name",
        "rating",
        "notes",
    )

    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    observed_teacher = forms.ModelChoiceField(
        label=_("Teacher of the school"), queryset=None, required=False
    )
    observed_name = forms.CharField(
        label=_("or name (outside Gugan)"), max_length=50, required=False
    )
    observed_school = forms.CharField(label=_("their school"), max_length=100, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=30)
    class_name = forms.CharField(label=_("Class"), max_length=50, required=False)
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[("", "—")] + RATINGS,
        coerce=int,
        empty_value=None,
        required=False,
    )
    notes = forms.CharField(label=_("Short notes"), max_length=2000, required=False)

    def __init__(self, *args, teachers, teacher_choices, subject: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["observed_teacher"]
        field.queryset = teachers
        field.choices = teacher_choices  # computed once for all rows
        self.fields["date"].initial = timezone.localdate
        self.fields["subject"].initial = subject
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            css = "form-select form-select-sm" if select else "form-control form-control-sm"
            field.widget.attrs["class"] = css

    def has_changed(self) -> bool:
        return any(self[name].data not in (None, "") for name in self.CONTENT_FIELDS)

    @property
    def row(self) -> ObservationRow:
        data = self.cleaned_data
        return ObservationRow(
            date=data["date"],
            subject=data["subject"],
            observed_teacher=data.get("observed_teacher"),
            observed_name=data.get("observed_name", ""),
            observed_school=data.get("observed_school", ""),
            class_name=data.get("class_name", ""),
            rating=data.get("rating"),
            notes=data.get("notes", ""),
        )


class BaseObservationFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not self.filled_forms:
            raise forms.ValidationError(_("Fill in at least one observation."))

    @property
    def filled_forms(self) -> list[ObservationRowForm]:
        return [form for form in self.forms if form.has_changed()]

    @property
    def rows(self) -> list[ObservationRow]:
        return [form.row for form in self.filled_forms]

    def add_row_errors(self, rows: dict) -> None:
        """Show the service's errors (by row among the filled ones) on their forms."""
        filled = self.filled_forms
        for index, error in rows.items():
            form = filled[index]
            for field, messages in error.message_dict.items():
                target = field if field in form.fields else None
                for message in messages:
                    form.add_error(target, message)


ObservationFormSet = forms.formset_factory(
    ObservationRowForm,
    formset=BaseObservationFormSet,
    extra=0,
    max_num=MAX_QUICK_ROWS,
    validate_max=True,
    absolute_max=MAX_QUICK_ROWS,
)
QUICK_PREFIX = "rows"


def observation_formset(*, data=None, teachers, subject: str = "", rows: int = 0):
    """The quick-entry formset; unbound it starts with ``rows`` empty rows."""
    choices = [("", "—")] + [(t.pk, t.name) for t in teachers]  # one query for all rows
    formset = ObservationFormSet(
        data,
        prefix=QUICK_PREFIX,
        form_kwargs={"teachers": teachers, "teacher_choices": choices, "subject": subject},
    )
    if data is None:
        formset.extra = max(1, min(rows or DEFAULT_QUICK_ROWS, MAX_QUICK_ROWS))
    return formset


def with_extra_row(data, *, subject: str = ""):
    """The submitted data with one more (empty) row, for "add a row" without JavaScript."""
    data = data.copy()
    key = f"{QUICK_PREFIX}-TOTAL_FORMS"
    try:
        total = int(data.get(key, 0))
    except ValueError:
        total = 0
    if total >= MAX_QUICK_ROWS:
        return data
    data[key] = str(total + 1)
    data[f"{QUICK_PREFIX}-{total}-date"] = timezone.localdate().isoformat()
    data[f"{QUICK_PREFIX}-{total}-subject"] = subject
    return data


class PlanCommentForm(Form):
    text = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
