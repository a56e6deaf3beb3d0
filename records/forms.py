"""One short form per kind of record, with sensible defaults (today, the teacher's own
subject, school level), and the growth-page filters. Forms parse and validate input; saving
goes through records.services.workflow."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Field, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.dates import check_day, form_check_days
from core.forms import Form, ModelForm, ModelIdsField
from core.models import school_year_label, school_year_start
from teachers.models import Teacher

from .models import (
    Kind,
    Lecture,
    Level,
    Observation,
    OpenClass,
    Paper,
    ReadingNote,
    Record,
    ResearchProject,
    SelfDevelopmentPlan,
    Status,
    StudyTrip,
    Training,
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


# -- the kinds ---------------------------------------------------------------------------------


class OpenClassForm(RecordForm):
    date_field = "starts_at"
    may_be_planned = True
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    class Meta:
        model = OpenClass
        fields = [
            "class_kind", "level", "starts_at", "place", "host_school", "subject",
            "grade_class", "topic", "research_theme", "prize",
        ]  # fmt: skip

    def set_defaults(self):
        self.fields["subject"].initial = self.teacher.subject
        self.fields["starts_at"].initial = datetime.datetime.combine(
            timezone.localdate(), datetime.time(9, 0)
        )

    def layout(self):
        return [
            Row(Column("topic", css_class="col-md-8"), Column("class_kind", css_class="col-md-4")),
            Row(Column("starts_at"), Column("level"), Column("subject")),
            Row(Column("grade_class"), Column("place"), Column("host_school")),
            Row(Column("research_theme", css_class="col-md-8"), Column("prize")),
        ]

    def clean(self):
        data = super().clean()
        if data.get("starts_at"):
            # The record's date (and so its school year) is the day of the class.
            self.instance.date = timezone.localdate(data["starts_at"])
        if data.get("class_kind") == OpenClass.ClassKind.OUTREACH and not data.get("host_school"):
            self.add_error("host_school", _("For an outreach class, name the school visited."))
        return data


class ObservationForm(RecordForm):
    class Meta:
        model = Observation
        fields = [
            "date", "observed_teacher", "observed_name", "observed_school", "subject",
            "class_name", "rating", "notes",
        ]  # fmt: skip
        field_classes = {"observed_teacher": TeacherChoiceField}
        widgets = {"date": _date_input(), "notes": _text(5)}
        help_texts = {
            "observed_teacher": _("A colleague at your school."),
            "observed_name": _("For a teacher outside your school."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["observed_teacher"].queryset = colleagues(
            self.teacher, keep=[self.instance.observed_teacher_id]
        )
        self.fields["observed_teacher"].empty_label = _("— someone outside the school —")

    def set_defaults(self):
        self.fields["subject"].initial = self.teacher.subject

    def layout(self):
        return [
            Row(Column("date"), Column("subject"), Column("class_name")),
            Row(Column("observed_teacher"), Column("observed_name"), Column("observed_school")),
            Row(Column("rating", css_class="col-md-4")),
            "notes",
        ]

    def clean(self):
        data = super().clean()
        chosen, name = data.get("observed_teacher"), data.get("observed_name")
        if not chosen and not name:
            self.add_error(
                "observed_teacher",
                _("Choose the observed teacher, or type the name of a teacher outside the school."),
            )
        elif chosen and name:
            self.add_error(
                "observed_name", _("Either choose a colleague or type a name, not both.")
            )
        if chosen and data.get("observed_school"):
            self.add_error(
                "observed_school", _("The school is only needed for a teacher outside yours.")
            )
        return data


class PaperForm(RecordForm):
    class Meta:
        model = Paper
        fields = ["paper_title", "result_kind", "date", "progress", "venue", "award_level", "prize"]
        widgets = {"date": _date_input()}

    date_help = _("When it was written, published or awarded.")

    def layout(self):
        return [
            Row(
                Column("paper_title", css_class="col-md-8"),
                Column("result_kind", css_class="col-md-4"),
            ),
            Row(Column("date"), Column("progress"), Column("venue")),
            Row(Column("award_level"), Column("prize")),
        ]

    def clean(self):
        data = super().clean()
        if data.get("progress") == Paper.Progress.AWARDED and not data.get("award_level"):
            self.add_error("award_level", _("Give the level of the award."))
        return data


class ResearchProjectForm(RecordForm):
    class Meta:
        model = ResearchProject
        fields = [
            "project_title", "level", "role", "stage", "date", "approved_on", "midterm_on",
            "concluded_on", "members", "other_members", "semester_plan", "process_records",
            "stage_summary", "outcome",
        ]  # fmt: skip
        field_classes = {"members": TeacherMultipleChoiceField}
        widgets = {
            "date": _date_input(),
            "approved_on": _date_input(),
            "midterm_on": _date_input(),
            "concluded_on": _date_input(),
            "members": forms.SelectMultiple(attrs={"size": 6}),
            "semester_plan": _text(),
            "process_records": _text(),
            "stage_summary": _text(),
            "outcome": _text(),
        }

    date_help = _("The date this record belongs to, usually that of the latest stage.")
    other_dates = ("approved_on", "midterm_on", "concluded_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        keep = self.instance.members.values_list("pk", flat=True) if self.instance.pk else []
        self.fields["members"].queryset = colleagues(self.teacher, keep=list(keep))
        self.fields["members"].help_text = _("Colleagues at your school; others below.")

    def set_defaults(self):
        self.fields["level"].initial = Level.SCHOOL
        self.fields["role"].initial = ResearchProject.Role.LEADER
        self.fields["stage"].initial = ResearchProject.Stage.APPROVED

    def layout(self):
        return [
            Row(
                Column("project_title", css_class="col-md-8"),
                Column("level", css_class="col-md-4"),
            ),
            Row(Column("role"), Column("stage"), Column("date")),
            Row(Column("approved_on"), Column("midterm_on"), Column("concluded_on")),
            Row(Column("members"), Column("other_members")),
            "semester_plan",
            "process_records",
            "stage_summary",
            "outcome",
        ]

    def clean(self):
        data = super().clean()
        self._check_order(
            "approved_on", "midterm_on", _("The mid-term review cannot be before the approval.")
        )
        self._check_order(
            "approved_on", "concluded_on", _("The conclusion cannot be before the approval.")
        )
        self._check_order(
            "midterm_on", "concluded_on", _("The conclusion cannot be before the mid-term review.")
        )
        return data


class LectureForm(RecordForm):
    may_be_planned = True

    class Meta:
        model = Lecture
        fields = ["topic", "audience", "date", "attendees"]
        widgets = {"date": _date_input()}

    def layout(self):
        return [
            "topic",
            Row(Column("audience"), Column("date"), Column("attendees")),
        ]


class TrainingForm(RecordForm):
    may_be_planned = True
    other_dates = ("end_date",)

    class Meta:
        model = Training
        fields = ["course", "organiser_level", "date", "end_date", "hours", "school_based"]
        labels = {"date": capfirst(_("start date"))}
        widgets = {"date": _date_input(), "end_date": _date_input()}

    def layout(self):
        return [
            Row(
                Column("course", css_class="col-md-8"),
                Column("organiser_level", css_class="col-md-4"),
            ),
            Row(Column("date"), Column("end_date"), Column("hours")),
            Field("school_based"),
        ]

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours <= 0:
            raise forms.ValidationError(_("Hours must be more than 0."))
        if hours > MAX_TRAINING_HOURS:
            raise forms.ValidationError(
                _("Hours cannot be more than %(max)d.") % {"max": MAX_TRAINING_HOURS}
            )
        return hours

    def clean(self):
        data = super().clean()
        self._check_order("date", "end_date", _("The end date cannot be before the start date."))
        return data


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self):
        super().__init__(format="%Y-%m")


class ReadingNoteForm(RecordForm):
    date = forms.DateField(label=_("Month"), widget=MonthInput(), input_formats=["%Y-%m"])

    class Meta:
        model = ReadingNote
        fields = ["book", "date", "reflection"]
        widgets = {"reflection": _text(8)}

    def set_defaults(self):
        self.fields["date"].initial = timezone.localdate().replace(day=1)

    def layout(self):
        return [Row(Column("book", css_class="col-md-8"), Column("date")), "reflection"]


class StudyTripForm(RecordForm):
    may_be_planned = True
    other_dates = ("end_date",)

    class Meta:
        model = StudyTrip
        fields = ["destination", "purpose", "date", "end_date", "report", "follow_up"]
        field_classes = {"follow_up": RecordChoiceField}
        labels = {"date": capfirst(_("start date"))}
        widgets = {"date": _date_input(), "end_date": _date_input(), "report": _text(6)}
        help_texts = {
            "follow_up": _("The talk or report class you gave afterwards (log it first)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up"].queryset = (
            Record.objects.filter(teacher=self.teacher, kind__in=[Kind.LECTURE, Kind.OPEN_CLASS])
            .exclude(status=Status.ARCHIVED)
            .order_by("-date", "-pk")
        )

    def set_defaults(self):
        self.fields["end_date"].initial = timezone.localdate()

    def layout(self):
        return [
            Row(Column("destination"), Column("purpose")),
            Row(Column("date"), Column("end_date")),
            "report",
            "follow_up",
        ]

    def clean(self):
        data = super().clean()
        self._check_order("date", "end_date", _("The end date cannot be before the start date."))
        return data


def _year_choices():
    current = school_year_start(timezone.localdate())
    return [(y, school_year_label(y)) for y in range(current - 3, current + 4)]


class SelfDevelopmentPlanForm(RecordForm):
    date_field = None  # derived from the term; the year choices bound it

    class Meta:
        model = SelfDevelopmentPlan
        fields = [
            "first_year", "last_year", "review", "self_assessment", "long_term_goals",
            "short_term_goals", "measures",
        ]  # fmt: skip
        widgets = {
            name: _text(5)
            for name in (
                "review", "self_assessment", "long_term_goals", "short_term_goals", "measures",
            )
        }  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_year", "last_year"):
            self.fields[name].widget = forms.Select(choices=_year_choices())

    def set_defaults(self):
        current = school_year_start(timezone.localdate())
        self.fields["first_year"].initial = current
        self.fields["last_year"].initial = current + 2

    def layout(self):
        return [
            Row(Column("first_year"), Column("last_year")),
            self.section(
                _("The five parts of the plan"),
                "review",
                "self_assessment",
                "long_term_goals",
                "short_term_goals",
                "measures",
            ),  # fmt: skip
        ]

    def clean(self):
        data = super().clean()
        first, last = data.get("first_year"), data.get("last_year")
        if first is not None and last is not None:
            if last < first:
                self.add_error("last_year", _("The term cannot end before it starts."))
            elif self.instance.pk is None or not self.instance.date:
                # The plan belongs to today's school year while its term runs, otherwise to
                # the term's first (or last) year.
                today = timezone.localdate()
                earliest = datetime.date(first, 9, 1)
                latest = datetime.date(last + 1, 8, 31)
                self.instance.date = min(max(today, earliest), latest)
        return data


FORMS: dict[str, type[RecordForm]] = {
    Kind.OPEN_CLASS: OpenClassForm,
    Kind.OBSERVATION: ObservationForm,
    Kind.PAPER: PaperForm,
    Kind.PROJECT: ResearchProjectForm,
    Kind.LECTURE: LectureForm,
    Kind.TRAINING: TrainingForm,
    Kind.READING: ReadingNoteForm,
    Kind.STUDY_TRIP: StudyTripForm,
    Kind.PLAN: SelfDevelopmentPlanForm,
}


def form_class_for(kind: str) -> type[RecordForm]:
    return FORMS[kind]


# -- "My growth" filters ----------------------------------------------------------------------


class GrowthFilterForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    year = forms.TypedChoiceField(
        label=_("School year"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    archived = forms.BooleanField(label=_("Show archived records"), required=False)

    def __init__(self, *args, years: list[int], show_drafts: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *Kind.choices]
        self.fields["year"].choices = [
            ("", _("All school years")),
            *((y, school_year_label(y)) for y in years),
        ]
        statuses = [
            (value, label)
            for value, label in Status.choices
            if show_drafts or value != Status.DRAFT
        ]
        self.fields["status"].choices = [("", _("All statuses")), *statuses]

    @property
    def filters(self) -> dict:
        """The valid filters; an invalid value (a stale link) is ignored, not an error."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
