"""The filters of the "My growth" page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import FilterForm
from core.models import school_year_label

from ..models import (
    Kind,
    Status,
)

# -- "My growth" filters ----------------------------------------------------------------------


class GrowthFilterForm(FilterForm):
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
