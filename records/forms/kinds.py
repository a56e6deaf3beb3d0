"""One short form per kind of record, and the form each kind uses."""

import datetime

from crispy_forms.layout import Column, Field, Row
from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ..models import (
    Kind,
    Lecture,
    Level,
    Observation,
    OpenClass,
    Paper,
    ReadingNote,
    Record,
    ResearchProject,
    Status,
    StudyTrip,
    TeachingReflection,
    Training,
)
from .base import (
    MAX_TRAINING_HOURS,
    RecordChoiceField,
    RecordForm,
    TeacherChoiceField,
    TeacherMultipleChoiceField,
    _date_input,
    _text,
    colleagues,
)
from .plans import SelfDevelopmentPlanForm

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


class TeachingReflectionForm(RecordForm):
    class Meta:
        model = TeachingReflection
        fields = ["lesson", "date", "reflection"]
        widgets = {"date": _date_input(), "reflection": _text(8)}

    def layout(self):
        return [Row(Column("lesson", css_class="col-md-8"), Column("date")), "reflection"]


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
    Kind.REFLECTION: TeachingReflectionForm,
}


def form_class_for(kind: str) -> type[RecordForm]:
    return FORMS[kind]
