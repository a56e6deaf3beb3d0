"""Forms of a selection round. They parse input; the rules live in backbone.services.rounds."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.dates import check_in_school_year, form_check_days, form_check_order, working_day_end
from core.fields import SHORT_TEXT
from core.forms import Form, ModelIdsField
from core.models import school_year_label
from core.wording import clauses, in_brackets
from scoring.forms import SheetForm

from ..models import Candidate, Objection, Tier, school_year_start
from ..selectors import rounds as selectors
from ..services import rounds as services

DATE = {"type": "date"}
# Applications for a school year's round may open this many months before it starts.
APPLY_MONTHS_BEFORE = 6


def _date_widget():
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


def _year_choices():
    current = school_year_start(timezone.localdate())
    return [(y, school_year_label(y)) for y in range(current - 1, current + 3)]


class CommitteeField(ModelIdsField):
    def label_from_instance(self, obj):
        return f"{obj}{in_brackets(obj.username)}"


class RoundForm(Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=None)
    tier = forms.ModelChoiceField(label=_("Tier"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=100)
    year = forms.TypedChoiceField(label=_("School year"), choices=_year_choices, coerce=int)
    term_years = forms.IntegerField(
        label=_("Term (years)"),
        min_value=1,
        max_value=6,
        required=False,
        help_text=_("Leave empty for the tier's usual term."),
    )
    quota = forms.IntegerField(label=_("Quota"), min_value=1, max_value=500)
    apply_from = forms.DateField(label=_("Applications open"), widget=_date_widget())
    apply_until = forms.DateField(label=_("Applications close"), widget=_date_widget())
    committee = CommitteeField(
        label=_("Committee members (评选小组)"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Committee members, the principal or the training office of the school."),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["school"].queryset = schools
        tiers = selectors.school_tiers(schools=schools)
        self.fields["tier"].queryset = tiers
        self.fields["committee"].queryset = selectors.committee_choices(schools=schools)
        self.fields["year"].initial = school_year_start(today)
        self.fields["apply_from"].initial = today
        self.fields["apply_until"].initial = today + datetime.timedelta(days=14)
        if len(schools) == 1:
            self.fields["school"].initial = schools[0].pk
            self.fields["school"].widget = forms.HiddenInput()
        first_tier = tiers.first()
        if first_tier is not None:
            self.fields["tier"].initial = first_tier.pk
            self.fields["term_years"].initial = first_tier.default_term_years
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "school",
            Row(Column("title", css_class="col-md-6"), Column("tier"), Column("year")),
            Row(Column("quota"), Column("term_years"), Column("apply_from"), Column("apply_until")),
            "committee",
        )

    def clean(self):
        data = super().clean()
        # Applications fall within the round's school year, or in the months that prepare it.
        year = data.get("year")
        for name in ("apply_from", "apply_until"):
            day = data.get(name)
            if year is None or not day:
                continue
            try:
                check_in_school_year(day, start_year=year, before_months=APPLY_MONTHS_BEFORE)
            except ValidationError as exc:
                self.add_error(name, exc.messages)
        form_check_order(
            self,
            "apply_from",
            "apply_until",
            _("Applications must close on or after the day they open."),
        )
        until = data.get("apply_until")
        if until and until < timezone.localdate() and not self.has_error("apply_until"):
            self.add_error(
                "apply_until", _("This day has passed: a new round needs applications still open.")
            )
        return data


class _OfficeRoundForm(RoundForm):
    """A round an office opens over the organisations below it: a district over its schools,
    a city over its districts. Each nominates up to the quota field's number, or a number of
    its own (fields ``quota_<unit>_<pk>``). Subclasses name the fields and what to offer."""

    school = None
    organiser_field = ""  # "district" or "city"
    quota_field = ""  # "school_quota" or "district_quota"
    unit = ""  # "school" or "district"
    own_quota_heading = ""

    def __init__(self, *args, organisers, **kwargs):
        Form.__init__(self, *args, **kwargs)
        today = timezone.localdate()
        organiser = organisers[0]
        field = self.fields[self.organiser_field]
        field.queryset, field.initial, field.widget = organisers, organiser.pk, forms.HiddenInput()
        tiers = self.tiers(organiser)
        self.fields["tier"].queryset = tiers
        committee = self.fields["committee"]
        committee.queryset, committee.help_text = self.committee(organiser)
        self.fields["year"].initial = school_year_start(today)
        self.fields["apply_from"].initial = today
        self.fields["apply_until"].initial = today + datetime.timedelta(days=14)
        first_tier = tiers.first()
        if first_tier is not None:
            self.fields["tier"].initial = first_tier.pk
            self.fields["term_years"].initial = first_tier.default_term_years
        self.units = self.units_of(organiser)
        for unit in self.units:
            self.fields[f"quota_{self.unit}_{unit.pk}"] = forms.IntegerField(
                label=unit.name, min_value=0, max_value=50, required=False
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            self.organiser_field,
            Row(Column("title", css_class="col-md-6"), Column("tier"), Column("year")),
            Row(
                Column("quota"),
                Column(self.quota_field),
                Column("term_years"),
                Column("apply_from"),
                Column("apply_until"),
            ),
            HTML(format_html('<p class="fw-semibold small mb-1">{}</p>', self.own_quota_heading)),
            Row(
                *(
                    Column(f"quota_{self.unit}_{u.pk}", css_class="col-6 col-md-3")
                    for u in self.units
                )
            ),
            "committee",
        )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        quotas = {}
        for unit in self.units:
            number = data.pop(f"quota_{self.unit}_{unit.pk}", None)
            if number is not None:
                quotas[unit] = number
        return {**data, f"{self.unit}_quotas": quotas}


class DistrictRoundForm(_OfficeRoundForm):
    """The district office's round: a tier it designates, a quota of nominations per school
    (with a number of its own for some schools) and a committee from across the district."""

    district = forms.ModelChoiceField(label=_("District"), queryset=None)
    school_quota = forms.IntegerField(
        label=_("Nominations per school"),
        min_value=0,
        max_value=50,
        initial=1,
        help_text=_("How many candidates each school may nominate from its reserve pool."),
    )
    organiser_field, quota_field, unit = "district", "school_quota", "school"
    own_quota_heading = _("A school's own number of nominations (leave empty for the number above)")

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, organisers=districts, **kwargs)

    def tiers(self, district):
        return selectors.district_tiers(districts=[district])

    def committee(self, district):
        return selectors.district_committee_choices(district=district), _(
            "The district office, or committee members, principals and training offices of the"
            " district's schools."
        )

    def units_of(self, district):
        return list(district.schools.order_by("code"))


class CityRoundForm(_OfficeRoundForm):
    """The city office's municipal round (市级骨干教师评选): the municipal tier, a quota of
    nominations per district (with a number of its own for some districts) and a committee
    from across the city."""

    city = forms.ModelChoiceField(label=_("City"), queryset=None)
    district_quota = forms.IntegerField(
        label=_("Nominations per district"),
        min_value=0,
        max_value=50,
        initial=1,
        help_text=_(
            "How many candidates each district office may nominate from its schools' reserve pools."
        ),
    )
    organiser_field, quota_field, unit = "city", "district_quota", "district"
    own_quota_heading = _(
        "A district's own number of nominations (leave empty for the number above)"
    )

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, organisers=cities, **kwargs)

    def tiers(self, city):
        # One per code: each teacher is designated with their own district's tier of it.
        first = {}
        for tier in selectors.city_tiers(cities=[city]):
            first.setdefault(tier.code, tier.pk)
        return Tier.objects.filter(pk__in=first.values()).order_by("level", "code")

    def committee(self, city):
        return selectors.city_committee_choices(city=city), _(
            "The city office, the offices of its districts, or committee members, principals and"
            " training offices of the city's schools."
        )

    def units_of(self, city):
        return list(city.districts.order_by("code"))


class RecommendationForm(Form):
    """推荐上报: teachers of the school's reserve pool recommended to the district."""

    entries = forms.ModelMultipleChoiceField(
        label=_("Teachers of the reserve pool"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("Reason for the recommendation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=SHORT_TEXT,
    )

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["entries"]
        field.queryset = entries
        field.label_from_instance = lambda e: (
            f"{e.teacher.name}{in_brackets(e.teacher.staff_no)} · {e.tier.label}"
            + (" · " + str(_("recommended")) if e.recommended_at else "")
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Recommend to the district")))


class CriterionForm(Form):
    name = forms.CharField(label=_("Criterion"), max_length=50, required=False)
    weight = forms.IntegerField(label=_("Weight (%)"), min_value=1, max_value=100, required=False)
    max_score = forms.IntegerField(
        label=_("Maximum score"), min_value=1, max_value=1000, required=False
    )

    def clean(self):
        data = super().clean()
        name, weight = (data.get("name") or "").strip(), data.get("weight")
        if name and weight is None and "weight" not in self.errors:
            self.add_error("weight", _("Give this criterion a weight."))
        if weight is not None and not name:
            self.add_error("name", _("Give this criterion a name."))
        return data

    @property
    def row(self) -> dict | None:
        data = getattr(self, "cleaned_data", None) or {}
        if not (data.get("name") or "").strip():
            return None
        return {
            "name": data["name"].strip(),
            "weight": data["weight"],
            "max_score": data.get("max_score") or services.DEFAULT_MAX_SCORE,
        }


class BaseCriterionFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        try:
            services.criteria_validate(self.rows)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc

    @property
    def rows(self) -> list[dict]:
        return [row for form in self.forms if (row := form.row) is not None]


CriterionFormSet = forms.formset_factory(CriterionForm, formset=BaseCriterionFormSet, extra=2)


def criterion_formset(data=None) -> BaseCriterionFormSet:
    initial = [
        {"name": str(name), "weight": weight, "max_score": services.DEFAULT_MAX_SCORE}
        for name, weight in services.DEFAULT_CRITERIA
    ]
    return CriterionFormSet(data, initial=initial, prefix="criteria")


class ApplicationForm(Form):
    statement = forms.CharField(
        label=_("Application statement"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Your teaching, research and mentoring since the last selection."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Apply")))


class NominationTeachersField(forms.ModelMultipleChoiceField):
    """Ticks in pinyin order; each label says whether the teacher meets the tier's rules."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, reserve_ids=(), eligibility=None, **kwargs):
        self.reserve_ids = set(reserve_ids)
        self.eligibility = eligibility or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        label = f"{obj.name}{in_brackets(obj.staff_no)} · {obj.subject}"
        if obj.pk in self.reserve_ids:
            label += " · " + str(_("reserve pool"))
        result = self.eligibility.get(obj.pk)
        if result is not None:
            if result.met:
                label += " · " + str(_("eligible"))
            else:
                reasons = clauses(c.detail for c in result.failures)
                label += " · " + str(_("not eligible: %(reasons)s") % {"reasons": reasons})
        return label


class NominationForm(Form):
    statement = forms.CharField(
        label=_("Reason for the nomination"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, round, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        teachers, reserve_ids, eligibility = selectors.nomination_choices(
            round=round, school=school
        )
        self.fields = {
            "teachers": NominationTeachersField(
                label=_("Teachers"),
                queryset=teachers,
                reserve_ids=reserve_ids,
                eligibility=eligibility,
                help_text=_("Tick one or more teachers; they are listed by pinyin."),
            ),
            **self.fields,
        }
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Nominate")))


class ScoreSheetForm(SheetForm):
    """One number per candidate and criterion; fields named s_<candidate>_<criterion>."""

    def __init__(self, *args, candidates, criteria, **kwargs):
        super().__init__(
            *args,
            entries=candidates,
            components=criteria,
            name=lambda candidate: candidate.teacher.name,
            css_class="form-control form-control-sm score-input",
            **kwargs,
        )


class ProposalForm(Form):
    candidates = ModelIdsField(
        label=_("Proposed candidates"),
        queryset=Candidate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = round.candidates.filter(withdrawn=False)


class AnnouncementForm(Form):
    announce_from = forms.DateField(label=_("Announcement starts"), widget=_date_widget())
    announce_until = forms.DateField(label=_("Announcement ends"), widget=_date_widget())
    notice_contact = forms.CharField(
        label=_("Contact person"),
        max_length=100,
        help_text=_("Named on the notice: who receives objections, with a telephone or office."),
    )

    def __init__(self, *args, district_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["announce_from"].initial = today
        # The announcement lasts DEFAULT_ANNOUNCEMENT_DAYS working days (工作日), weekends and
        # the district's holidays not counted.
        self.fields["announce_until"].initial = working_day_end(
            today, services.DEFAULT_ANNOUNCEMENT_DAYS, district_id=district_id
        )
        self.fields["announce_until"].help_text = _(
            "By default %(n)d working days; weekends and holidays do not count."
        ) % {"n": services.DEFAULT_ANNOUNCEMENT_DAYS}
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("announce_from"), Column("announce_until")), "notice_contact"
        )
        self.helper.add_input(Submit("submit", _("Start the public announcement")))

    def clean(self):
        data = super().clean()
        form_check_days(self, "announce_from", "announce_until", future=True)
        form_check_order(
            self,
            "announce_from",
            "announce_until",
            _("The announcement cannot end before it starts."),
        )
        return data


class ObjectionCandidateField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.teacher.name


class ObjectionForm(Form):
    candidate = ObjectionCandidateField(
        label=_("Concerning"),
        queryset=Candidate.objects.none(),
        required=False,
        empty_label=_("The list as a whole"),
    )
    text = forms.CharField(
        label=_("Your objection"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=SHORT_TEXT,
    )

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = round.candidates.filter(
            proposed=True, withdrawn=False
        ).select_related("teacher")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Lodge the objection")))


class ObjectionHandleForm(Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (Objection.Outcome.UPHELD, Objection.Outcome.UPHELD.label),
            (Objection.Outcome.DISMISSED, Objection.Outcome.DISMISSED.label),
        ],
        widget=forms.RadioSelect,
        help_text=_("An upheld objection against a candidate takes them off the proposed list."),
    )
    response = forms.CharField(
        label=_("How it was handled"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=SHORT_TEXT,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Record the handling")))


def add_service_errors(form: forms.Form, exc: ValidationError, *, formset=None) -> None:
    """Show a service's ValidationError on the form: field errors where the field exists,
    "criteria" errors on the formset, the rest above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        if formset is not None and field == "criteria":
            formset._non_form_errors = formset.error_class(
                errors, error_class="nonform", renderer=formset.renderer
            )
        elif field in form.fields:
            form.add_error(field, errors)
        else:
            form.add_error(None, errors)
