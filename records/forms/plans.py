"""The self-development plan (个人发展规划): one per teacher and school year."""

import datetime

from crispy_forms.layout import Column, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import school_year_label, school_year_start

from ..models import (
    SelfDevelopmentPlan,
)
from .base import RecordForm, _text


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
