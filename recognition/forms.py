"""Forms of allowances and rewards: they parse input; the rules live in recognition.services."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import Form, ModelIdField
from teachers.models import Teacher

from . import selectors
from .models import Rate, Reward


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def parse_month(value) -> datetime.date | None:
    """'2026-03' as the first of March 2026; None for anything else."""
    try:
        year, month = str(value or "").split("-")
        return datetime.date(int(year), int(month), 1)
    except ValueError:
        return None


class MonthField(forms.Field):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-09"})

    def to_python(self, value):
        value = str(value or "").strip()
        if not value:
            return None
        month = parse_month(value)
        if month is None or not 2000 <= month.year <= 2100:
            raise ValidationError(_("Enter a month as YYYY-MM."), code="invalid")
        return month

    def prepare_value(self, value):
        return value.strftime("%Y-%m") if isinstance(value, datetime.date) else value


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class PayForm(Form):
    paid_on = forms.DateField(
        label=_("Paid on"),
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"
        ),
    )
    with_arrears = forms.BooleanField(
        label=_("Also mark the arrears of earlier months paid"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"paid_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class RateForm(Form):
    applies_to = forms.ChoiceField(label=_("For"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Rate.Kind.choices)
    tier = ModelIdField(label=_("Tier"), queryset=None, required=False)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), min_value=0, max_digits=8, decimal_places=2
    )
    valid_from = MonthField(label=_("Valid from (month)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        choices = [
            (
                f"district={d.pk}",
                _("%(district)s (default for every school)") % {"district": d.name},
            )
            for d in selectors.writable_districts(user)
        ]
        choices += [(f"school={s.pk}", s.name) for s in selectors.writable_schools(user)]
        self.fields["applies_to"].choices = choices
        self.fields["tier"].queryset = selectors.rate_tiers(user).order_by(
            "district__code", "level"
        )
        self.fields["tier"].help_text = _("Not used for the teaching-rookie award.")
        self.fields["tier"].label_from_instance = lambda t: t.label

    def clean(self):
        data = super().clean()
        value = data.get("applies_to") or ""
        kind, _sep, pk = value.partition("=")
        data["district"] = data["school"] = None
        if kind == "district":
            data["district"] = selectors.writable_districts(self.user).get(pk=pk)
        elif kind == "school":
            data["school"] = selectors.writable_schools(self.user).get(pk=pk)
            data["district"] = data["school"].district
        return data


class RewardForm(Form):
    teacher = ModelIdField(label=_("Teacher"), queryset=None)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k, label) for k, label in Reward.Kind.choices if k != Reward.Kind.MENTOR],
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=100,
        help_text=_("For example: 2026 school teaching rookie, outstanding backbone teacher."),
    )
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        min_value=0,
        max_digits=8,
        decimal_places=2,
        required=False,
        help_text=_("Empty: the rate of the teaching-rookie award; nothing for a commendation."),
    )
    awarded_on = forms.DateField(label=_("Date"), widget=_date_input())
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, school, **kwargs):
        kwargs.setdefault("initial", {"awarded_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = Teacher.objects.filter(
            school=school, is_active=True
        ).order_by("staff_no")
        self.fields["teacher"].label_from_instance = lambda t: f"{t.name} · {t.subject}"
