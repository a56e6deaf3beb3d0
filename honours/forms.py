from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DATE, Form

from .models import HonourList


def year_choices(current: int) -> list[tuple[int, str]]:
    from core.models import school_year_label

    return [(y, school_year_label(y)) for y in range(current, current - 5, -1)]


class ProposeForm(Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=None)
    year = forms.TypedChoiceField(label=_("School year"), coerce=int)

    def __init__(self, *args, schools, current: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["year"].choices = year_choices(current)
        self.fields["year"].initial = current - 1 if current > 2000 else current


class HonourListForm(Form):
    """The title and date of the commendation, and per candidate: on the list, which honour."""

    title = forms.CharField(label=_("Title of the commendation"), max_length=100)
    commended_on = forms.DateField(label=_("Commended on"), required=False, widget=DATE)

    def __init__(self, *args, honour_list: HonourList, candidates, **kwargs):
        kwargs.setdefault(
            "initial", {"title": honour_list.title, "commended_on": honour_list.commended_on}
        )
        super().__init__(*args, **kwargs)
        # The template lays the fields out by hand: the date takes the look of the title.
        self.fields["commended_on"].widget.attrs["class"] = "form-control"
        self.candidates = candidates
        for c in candidates:
            self.fields[f"included-{c.pk}"] = forms.BooleanField(
                label=_("On the list"), required=False, initial=c.included
            )
            self.fields[f"honour-{c.pk}"] = forms.CharField(
                label=_("Honour"), max_length=50, initial=c.honour
            )
        for c in candidates:
            c.included_field = self[f"included-{c.pk}"]
            c.honour_field = self[f"honour-{c.pk}"]

    def choices(self) -> dict[int, tuple[bool, str]]:
        data = self.cleaned_data
        return {c.pk: (data[f"included-{c.pk}"], data[f"honour-{c.pk}"]) for c in self.candidates}
