"""Forms of training. They parse input; the rules live in training.services and ledger."""

from crispy_forms.layout import Column, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from backbone.models import Tier
from core.forms import Form, ImportFileField, ModelForm, ModelIdField, ModelIdsField
from core.forms import form_helper as _helper
from core.models import School, TeachingGroup
from teachers.models import Teacher

from .models import Programme, Session

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ProgrammeForm(ModelForm):
    organiser = forms.ChoiceField(label=_("Organiser"))
    audience_tiers = ModelIdsField(label=_("Tiers"), queryset=Tier.objects.none(), required=False)
    audience_groups = ModelIdsField(
        label=_("Teaching-research groups"), queryset=TeachingGroup.objects.none(), required=False
    )

    class Meta:
        model = Programme
        fields = [
            "title", "kind", "audience", "audience_tiers", "audience_groups", "modules",
            "start_date", "end_date", "capacity", "quota_per_school", "hours_per_session",
            "school_based", "open_for_application",
            "absence_share", "pass_rule",
        ]  # fmt: skip
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "modules": forms.Textarea(attrs={"rows": 3}),
            "pass_rule": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = user.scope
        choices = [(f"s{s.pk}", s.name) for s in scope.schools(write=True)]
        if scope.is_superuser or scope.is_district_office:
            from core.models import District

            districts = (
                District.objects.all()
                if scope.is_superuser
                else District.objects.filter(pk__in=scope.district_ids)
            )
            choices = [(f"d{d.pk}", str(_("%(district)s (all its schools)") % {"district": d.name}))
                       for d in districts] + choices  # fmt: skip
        self.fields["organiser"].choices = choices
        if self.instance.pk:
            self.fields["organiser"].disabled = True
            self.initial["organiser"] = (
                f"s{self.instance.school_id}"
                if self.instance.school_id
                else f"d{self.instance.district_id}"
            )
        district_ids = scope.district_ids | {s.district_id for s in scope.schools(write=True)}
        self.fields["audience_tiers"].queryset = Tier.objects.filter(district_id__in=district_ids)
        self.fields["audience_groups"].queryset = TeachingGroup.objects.filter(
            school__in=scope.schools(write=True)
            if not scope.is_district_office
            else scope.schools()
        ).select_related("school")
        self.helper = _helper(
            Row(Column("organiser"), Column("kind")),
            "title",
            Row(Column("audience"), Column("audience_tiers"), Column("audience_groups")),
            "modules",
            Row(
                Column("start_date"),
                Column("end_date"),
                Column("capacity"),
                Column("quota_per_school"),
            ),  # fmt: skip
            Row(Column("hours_per_session"), Column("absence_share"), Column("school_based")),
            "open_for_application",
            "pass_rule",
        )

    def clean_organiser(self):
        value = self.cleaned_data["organiser"]
        if self.instance.pk:
            return value
        kind, pk = value[0], int(value[1:])
        if kind == "s":
            self.instance.school = School.objects.get(pk=pk)
            self.instance.district_id = self.instance.school.district_id
        else:
            self.instance.school = None
            self.instance.district_id = pk
        return value

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The programme cannot end before it starts."))
        return cleaned


class SessionForm(ModelForm):
    speaker_teacher = ModelIdField(
        label=_("Speaker (a teacher in Gugan)"), queryset=Teacher.objects.none(), required=False
    )

    class Meta:
        model = Session
        fields = [
            "module", "date", "starts_at", "ends_at", "place", "speaker_teacher",
            "speaker_name", "theme", "content", "materials", "hours",
        ]  # fmt: skip
        widgets = {
            "date": DATE,
            "starts_at": TIME,
            "ends_at": TIME,
            "content": forms.Textarea(attrs={"rows": 3}),
            "materials": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        teachers = Teacher.objects.filter(is_active=True)
        if programme.school_id:
            teachers = teachers.filter(school_id=programme.school_id)
        else:
            teachers = teachers.filter(school__district_id=programme.district_id)
        self.fields["speaker_teacher"].queryset = teachers.order_by("name")
        self.fields["hours"].required = False
        self.fields["hours"].initial = programme.hours_per_session
        if programme.module_list:
            self.fields["module"] = forms.ChoiceField(
                label=_("Module"),
                required=False,
                choices=[("", "—")] + [(m, m) for m in programme.module_list],
            )
        self.helper = _helper(
            Row(Column("date"), Column("starts_at"), Column("ends_at"), Column("hours")),
            Row(Column("theme"), Column("module")),
            Row(Column("place"), Column("speaker_teacher"), Column("speaker_name")),
            "content",
            "materials",
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The session must end after it starts."))
        return cleaned


class EnrolForm(Form):
    teachers = ModelIdsField(label=_("Teachers"), queryset=Teacher.objects.none())

    def __init__(self, *args, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = teachers
        self.helper = _helper("teachers")


class AttendanceImportForm(Form):
    file = ImportFileField(label=_("Sign-in sheet"))
    dry_run = forms.BooleanField(label=_("Only check the file, import nothing"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("file", "dry_run")


class AssessmentForm(Form):
    """The trainee assessment: a weight and a maximum per component, the panel, the pass
    mark. Fields w_<key> and m_<key> per component (training.assessment.COMPONENTS)."""

    pass_mark = forms.IntegerField(label=_("Pass mark (total out of 100)"), initial=60)
    members = ModelIdsField(
        label=_("Panel members"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, components, current, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members
        self.keys = list(components)
        for key, label in components.items():
            weight, top = current.get(key, (None, 100))
            self.fields[f"w_{key}"] = forms.IntegerField(
                label=_("%(component)s: weight (%%)") % {"component": label},
                min_value=0, max_value=100, required=False, initial=weight,
            )  # fmt: skip
            self.fields[f"m_{key}"] = forms.IntegerField(
                label=_("%(component)s: maximum score") % {"component": label},
                min_value=1, max_value=999, initial=top,
            )  # fmt: skip
        self.helper = _helper(
            *[Row(Column(f"w_{k}"), Column(f"m_{k}")) for k in self.keys], "pass_mark", "members"
        )

    @property
    def components(self) -> dict[int, tuple[int, int]]:
        data = self.cleaned_data
        return {
            k: (data.get(f"w_{k}") or 0, data.get(f"m_{k}") or 100)
            for k in self.keys
            if data.get(f"w_{k}")
        }


class ApplicationForm(Form):
    note = forms.CharField(
        label=_("Note to the organiser"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
