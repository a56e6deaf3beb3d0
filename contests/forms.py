"""Forms of competitions: they parse input; the rules live in contests.services."""

from crispy_forms.layout import Column, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import check_in_school_year, form_check_days, form_check_order
from core.fields import SHORT_TEXT
from core.forms import Form, ModelIdField, ModelIdsField
from core.forms import form_helper as _helper
from core.models import District, User, school_year_start
from records.files import accepted_extensions, upload_help
from teachers.models import Teacher

from .models import Category, Prize

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DEFAULT_CRITERIA = "教学设计 30\n课堂实施 40\n教学效果 30"


def organiser_choices(user) -> list[tuple[str, str]]:
    scope = user.scope
    choices = [(f"s{s.pk}", s.name) for s in scope.schools(write=True)]
    if scope.is_superuser or scope.is_district_office:
        districts = (
            District.objects.all()
            if scope.is_superuser
            else District.objects.filter(pk__in=scope.district_ids)
        )
        choices = [
            (f"d{d.pk}", str(_("%(district)s (all its schools)") % {"district": d.name}))
            for d in districts
        ] + choices
    return choices


class ContestForm(Form):
    organiser = forms.ChoiceField(label=_("Organiser"))
    title = forms.CharField(label=_("Title"), max_length=200)
    categories = forms.MultipleChoiceField(
        label=_("Categories"), choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )
    rules = forms.CharField(
        label=_("Rules and requirements"),
        max_length=SHORT_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    entry_opens = forms.DateField(label=_("Entries open on"), widget=DATE)
    entry_closes = forms.DateField(label=_("Entries close on"), widget=DATE)
    held_on = forms.DateField(
        label=_("Held or judged on"),
        widget=DATE,
        help_text=_("The date the prizes carry on the winners' records."),
    )
    quota_per_school = forms.IntegerField(
        label=_("Entries per school"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("District contests: each school recommends up to this many entries."),
    )
    criteria = forms.CharField(
        label=_("Scoring items"),
        initial=DEFAULT_CRITERIA,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One item per line: its name and its weight (the weights add up to 100)."),
    )
    judges = ModelIdsField(
        label=_("Judges (评委)"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, judges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].choices = organiser_choices(user)
        self.fields["judges"].queryset = judges
        self.fields["judges"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.helper = _helper(
            Row(Column("organiser"), Column("title", css_class="col-md-8")),
            "categories",
            "rules",
            Row(Column("entry_opens"), Column("entry_closes"), Column("held_on")),
            Row(Column("quota_per_school"), Column("criteria", css_class="col-md-8")),
            "judges",
        )

    def clean_criteria(self) -> list[dict]:
        criteria = []
        for line in self.cleaned_data["criteria"].splitlines():
            if not line.strip():
                continue
            name, _sep, weight = line.strip().rpartition(" ")
            if not name.strip() or not weight.isdigit():
                raise forms.ValidationError(
                    _("Write each item as its name, a space and its weight: %(line)s")
                    % {"line": line.strip()[:60]}
                )
            criteria.append({"name": name.strip(), "weight": int(weight)})
        return criteria

    def clean(self):
        data = super().clean()
        # Entries open within the coming plans, at most a school year back (a late record).
        form_check_days(self, "entry_opens", "entry_closes", "held_on", future=True)
        form_check_order(self, "entry_opens", "entry_closes")
        opens = data.get("entry_opens")
        for name in ("entry_closes", "held_on"):
            day = data.get(name)
            if opens and day and not self.has_error(name):
                try:  # one contest, one school year: its prizes count in that year
                    check_in_school_year(day, start_year=school_year_start(opens))
                except forms.ValidationError as exc:
                    self.add_error(name, exc.messages)
        return data


class EntryForm(Form):
    teacher = ModelIdField(label=_("Teacher"), queryset=Teacher.objects.none())
    category = forms.ChoiceField(label=_("Category"))
    title = forms.CharField(label=_("Title of the work or lesson"), max_length=200)
    subject = forms.CharField(label=_("Subject"), max_length=30, required=False)
    grade = forms.CharField(label=_("School grade"), max_length=50, required=False)
    summary = forms.CharField(
        label=_("Summary of the work"),
        max_length=SHORT_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    upload = forms.FileField(label=_("File"), required=False)

    def __init__(self, *args, contest, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = teachers
        self.fields["teacher"].label_from_instance = lambda t: f"{t.name}（{t.staff_no}）"
        if teachers.count() == 1:
            self.fields["teacher"].initial = teachers.first().pk
        labels = dict(Category.choices)
        self.fields["category"].choices = [(c, labels[c]) for c in contest.categories]
        self.fields["upload"].help_text = upload_help()
        self.fields["upload"].widget.attrs["accept"] = accepted_extensions()
        self.helper = _helper(
            Row(Column("teacher"), Column("category")),
            "title",
            Row(Column("subject"), Column("grade")),
            "summary",
            "upload",
        )


class PrizesForm(Form):
    """One prize choice per entry, named prize_<entry id>."""

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for entry in entries:
            name = f"prize_{entry.pk}"
            self.fields[name] = forms.ChoiceField(
                label=entry.title,
                choices=[("", _("No prize")), *Prize.choices],
                required=False,
                initial=entry.prize,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.rows.append((entry, self[name]))

    @property
    def prizes(self) -> dict[int, str]:
        return {int(k.split("_")[1]): v for k, v in self.cleaned_data.items()}


class RecuseForm(Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    judge = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("Reason for the recusal"), max_length=200)
