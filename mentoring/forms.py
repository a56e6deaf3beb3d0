"""Forms of mentoring. They parse input; the rules live in mentoring.services."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.dates import form_check_days, form_check_order
from core.fields import SHORT_TEXT
from core.forms import Form, ModelForm, ModelIdField
from records.models import Observation, OpenClass
from teachers.models import Teacher

from . import selectors, services
from .models import GuidanceSession

MAX_PAIRING_YEARS = 3  # a mentoring contract runs one to three years

SUBMIT_BUTTON = "save_submit"  # "save and submit" on the observation form


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


def _helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout)
    return helper


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the field exists."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class TeacherField(forms.ModelChoiceField):
    """A teacher, with their current mentor load when ``loads`` is given."""

    loads: dict[int, selectors.MentorLoad] = {}

    def label_from_instance(self, obj):
        label = f"{obj.name} · {obj.subject}"
        load = self.loads.get(obj.pk)
        if load is None or not (load.current or load.recent):
            return label
        counts = ngettext(
            "%(current)d current apprentice, %(recent)d in three years",
            "%(current)d current apprentices, %(recent)d in three years",
            load.current,
        ) % {"current": load.current, "recent": load.recent}
        if load.at_maximum:
            counts += " · " + str(_("at the maximum"))
        return f"{label} — {counts}"


class TermsForm(Form):
    """The contract terms, prefilled with the defaults in the user's language."""

    start_date = forms.DateField(label=_("Start date"), widget=_date_input())
    end_date = forms.DateField(label=_("End date"), widget=_date_input())
    mentor_observations_per_week = forms.IntegerField(
        label=_("Mentor observations of the apprentice per week"), min_value=0, max_value=10
    )
    apprentice_observations_per_week = forms.IntegerField(
        label=_("Apprentice observations of the mentor per week"), min_value=0, max_value=10
    )
    goals = forms.CharField(label=_("Goals"), widget=_text(3), max_length=SHORT_TEXT)
    mentor_duties = forms.CharField(
        label=_("Mentor's duties"), widget=_text(5), max_length=SHORT_TEXT
    )
    apprentice_duties = forms.CharField(
        label=_("Apprentice's duties"), widget=_text(4), max_length=SHORT_TEXT
    )

    TERMS_LAYOUT = (
        Fieldset(
            _("Contract terms"),
            Row(Column("start_date"), Column("end_date")),
            Row(Column("mentor_observations_per_week"), Column("apprentice_observations_per_week")),
            "goals",
            Row(Column("mentor_duties"), Column("apprentice_duties")),
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, value in services.default_terms().items():
            self.fields[name].initial = value

    def clean(self):
        data = super().clean()
        form_check_days(self, "start_date", future=True)
        form_check_order(
            self, "start_date", "end_date", _("The pairing cannot end before it starts.")
        )
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end > start.replace(year=start.year + MAX_PAIRING_YEARS, day=28):
            self.add_error(
                "end_date",
                _("A pairing lasts at most %(years)d years; check the end date.")
                % {"years": MAX_PAIRING_YEARS},
            )
        return data

    @property
    def terms(self) -> services.PairingTerms:
        names = services.PairingTerms.__annotations__
        return services.PairingTerms(**{k: self.cleaned_data[k] for k in names})


class ProposalForm(TermsForm):
    """A teacher asks for a mentor, or offers to mentor a colleague."""

    REQUEST, OFFER = "request", "offer"

    role = forms.ChoiceField(
        label=_("I am"),
        choices=[
            (REQUEST, _("the apprentice: I ask a colleague to be my mentor")),
            (OFFER, _("the mentor: I offer to guide a colleague")),
        ],
        widget=forms.RadioSelect,
        initial=REQUEST,
    )
    colleague = TeacherField(label=_("Colleague"), queryset=Teacher.objects.none())

    def __init__(self, *args, teacher: Teacher, colleagues: QuerySet[Teacher], loads, **kwargs):
        super().__init__(*args, **kwargs)
        self.teacher = teacher
        self.fields["colleague"].queryset = colleagues
        self.fields["colleague"].loads = loads
        self.helper = _helper("role", "colleague", *self.TERMS_LAYOUT)


class AssignForm(TermsForm):
    """The school pairs a mentor and an apprentice."""

    mentor = TeacherField(label=_("Mentor"), queryset=Teacher.objects.none())
    apprentice = TeacherField(label=_("Apprentice"), queryset=Teacher.objects.none())

    def __init__(self, *args, teachers: QuerySet[Teacher], loads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = teachers
        self.fields["mentor"].loads = loads
        self.fields["apprentice"].queryset = teachers
        self.helper = _helper(Row(Column("mentor"), Column("apprentice")), *self.TERMS_LAYOUT)

    def clean(self):
        data = super().clean()
        if data.get("mentor") and data.get("mentor") == data.get("apprentice"):
            self.add_error("apprentice", _("Choose someone other than the mentor."))
        return data


class ReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), widget=_text(3), max_length=SHORT_TEXT)

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        self.helper = _helper("reason")


class ObservationForm(ModelForm):
    """An observation of the other party's class; the observer and observed are the pair."""

    class Meta:
        model = Observation
        fields = ["date", "subject", "class_name", "rating", "notes"]
        widgets = {"date": _date_input(), "notes": _text(5)}

    def __init__(self, *args, observed: Teacher, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["subject"].initial = observed.subject
        self.helper = _helper(
            Row(Column("date"), Column("subject"), Column("class_name")),
            Row(Column("rating", css_class="col-md-4")),
            "notes",
        )

    def clean(self):
        data = super().clean()
        form_check_days(self, "date", future=False)
        return data


class SessionForm(ModelForm):
    class Meta:
        model = GuidanceSession
        fields = ["date", "kind", "notes", "follow_up", "private"]
        widgets = {"date": _date_input(), "notes": _text(5), "follow_up": _text(3)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.helper = _helper(Row(Column("date"), Column("kind")), "notes", "follow_up", "private")

    def clean(self):
        data = super().clean()
        form_check_days(self, "date", future=False)
        return data


class ReportClassField(ModelIdField):
    def label_from_instance(self, obj):
        return f"{obj.date:%Y-%m-%d} · {obj.topic} · {obj.get_status_display()}"


class AppraisalForm(Form):
    final_appraisal = forms.CharField(label=_("Final appraisal"), widget=_text(8))
    report_class = ReportClassField(
        label=_("Report class (汇报课)"),
        queryset=OpenClass.objects.none(),
        required=False,
        help_text=_("The apprentice's end-of-pairing report class, once they have handed it in."),
    )

    def __init__(self, *args, report_classes: QuerySet[OpenClass], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report_class"].queryset = report_classes
        self.helper = _helper("report_class", "final_appraisal")
