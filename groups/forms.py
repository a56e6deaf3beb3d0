"""Forms of group work. They parse input; the rules live in groups.services."""

from crispy_forms.layout import Column, Row
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.fields import LONG_TEXT, SHORT_TEXT
from core.forms import Form, ModelIdField, ModelIdsField
from core.forms import form_helper as _helper
from core.models import School, Semester, TeachingGroup
from teachers.models import Teacher

from .models import Activity, ActivityKind, GroupSettings, PlannedWeek
from .models.planning import MAX_WEEKS, WEEKDAYS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _text(label, *, required=True, rows=4, max_length=LONG_TEXT):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class GroupForm(Form):
    school = ModelIdField(label=_("School"), queryset=School.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=TeachingGroup.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=50)

    def __init__(self, *args, schools, renaming: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if schools.count() == 1:
            self.fields["school"].initial = schools.first()
        if renaming:
            del self.fields["school"], self.fields["kind"]
            self.helper = _helper("name")
        else:
            self.helper = _helper(Row(Column("school"), Column("kind"), Column("name")))


class MembersForm(Form):
    members = ModelIdsField(
        label=_("Members"), queryset=Teacher.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    heads = ModelIdsField(
        label=_("Group heads (教研组长 / 备课组长)"), queryset=Teacher.objects.none(),
        required=False, help_text=_("One head, or a head and a deputy; they need a login."),
    )  # fmt: skip

    def __init__(self, *args, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = teachers
        self.fields["heads"].queryset = teachers
        self.helper = _helper("heads", "members")


class SettingsForm(Form):
    activity_hours = forms.DecimalField(
        label=capfirst(GroupSettings._meta.get_field("activity_hours").verbose_name),
        min_value=0.5, max_value=8, decimal_places=1,
    )  # fmt: skip
    hours_school_based = forms.BooleanField(
        label=capfirst(GroupSettings._meta.get_field("hours_school_based").verbose_name),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("activity_hours", "hours_school_based")


class SlotForm(Form):
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=WEEKDAYS, coerce=int)
    starts_at = forms.TimeField(label=_("Starts at"), widget=TIME)
    ends_at = forms.TimeField(label=_("Ends at"), widget=TIME)
    place = forms.CharField(label=_("Place"), max_length=100)
    aims = _text(_("Aims of the semester"), required=False, rows=3)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The activity must end after it starts."))
        return cleaned


class PlanForm(SlotForm):
    semester = ModelIdField(label=_("Semester"), queryset=Semester.objects.none())

    def __init__(self, *args, semesters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["semester"].queryset = semesters
        self.helper = _helper(
            "semester",
            Row(Column("weekday"), Column("starts_at"), Column("ends_at"), Column("place")),
            "aims",
        )


class WeekForm(Form):
    week = forms.IntegerField(label=_("Week"), min_value=1, max_value=MAX_WEEKS)
    kind = forms.ChoiceField(label=_("Activity kind"), choices=ActivityKind.choices)
    theme = forms.CharField(label=_("Theme"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Row(Column("week"), Column("kind"), Column("theme")))


class ActivityForm(Form):
    week = ModelIdField(
        label=_("Planned week"), queryset=PlannedWeek.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=_("Activity kind"), choices=ActivityKind.choices)
    theme = forms.CharField(label=_("Theme"), max_length=200)
    host = ModelIdField(label=_("Host"), queryset=Teacher.objects.none())
    date = forms.DateField(label=_("Date"), widget=DATE)
    starts_at = forms.TimeField(label=_("Starts at"), widget=TIME)
    ends_at = forms.TimeField(label=_("Ends at"), widget=TIME)
    place = forms.CharField(label=_("Place"), max_length=100)
    content = _text(_("Agenda"), rows=3)

    def __init__(self, *args, weeks, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["week"].queryset = weeks
        self.fields["week"].label_from_instance = lambda w: f"{w.week} · {w.theme}"
        self.fields["host"].queryset = teachers
        self.helper = _helper(
            Row(Column("week"), Column("kind")),
            Row(Column("theme"), Column("host")),
            Row(Column("date"), Column("starts_at"), Column("ends_at"), Column("place")),
            "content",
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The activity must end after it starts."))
        return cleaned


class MinutesForm(Form):
    minutes = _text(_("Minutes (活动记录)"), rows=6)
    follow_up = _text(_("Follow-up actions"), required=False, rows=2, max_length=SHORT_TEXT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("minutes", "follow_up")


class FileForm(Form):
    file = forms.FileField(label=_("File"))


class UnitForm(Form):
    title = forms.CharField(label=_("Unit or lesson"), max_length=200)
    main_preparer = ModelIdField(label=_("Main preparer"), queryset=Teacher.objects.none())
    activity = ModelIdField(
        label=_("Discussed at"), queryset=Activity.objects.none(), required=False
    )

    def __init__(self, *args, teachers, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["main_preparer"].queryset = teachers
        self.fields["activity"].queryset = activities
        self.fields["activity"].label_from_instance = lambda a: str(a.session)
        self.helper = _helper(Row(Column("title"), Column("main_preparer"), Column("activity")))


class DraftForm(Form):
    draft = _text(_("First draft (初备)"), rows=10)
    file = forms.FileField(label=_("Draft file (optional)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("draft", "file")


class CommentForm(Form):
    text = _text(_("Comment"), rows=2, max_length=SHORT_TEXT)


class AgreeForm(Form):
    common_plan = _text(
        _("Common plan (共案)"), required=False, rows=8,
    )  # fmt: skip


class AdaptationForm(Form):
    class_name = forms.CharField(label=_("Class"), max_length=50, required=False)
    text = _text(_("Own adaptation (个案, 二次备课)"), rows=8)
    taught_on = forms.DateField(label=_("Taught on"), widget=DATE, required=False)
    reflection = _text(_("Reflection after class (教学反思)"), required=False, rows=4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Row(Column("class_name"), Column("taught_on")), "text", "reflection")
