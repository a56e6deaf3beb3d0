"""The form that opens a training-needs survey: for which school (or the district), which
school year (this one or the next), under what title."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import Form
from core.models import District, school_year_label, school_year_start


def organiser_choices(user) -> list[tuple[str, str]]:
    """("d<pk>" | "s<pk>", name): the district offices and schools the user organises for."""
    scope = user.scope
    districts = District.objects.order_by("code")
    if not scope.is_superuser:
        districts = districts.filter(pk__in=scope.district_ids)
    choices = [(f"d{d.pk}", str(_("%(district)s (all its schools)") % {"district": d.name}))
               for d in districts]  # fmt: skip
    return choices + [(f"s{s.pk}", s.name) for s in scope.schools(write=True).order_by("code")]


class NeedsSurveyForm(Form):
    organiser = forms.ChoiceField(label=_("Organiser"))
    year = forms.TypedChoiceField(label=_("School year"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].choices = organiser_choices(user)
        this = school_year_start(timezone.localdate())
        # Planned for the year that starts next, or run in the current one.
        self.fields["year"].choices = [(y, school_year_label(y)) for y in (this + 1, this)]
        self.fields["title"].help_text = _("Empty: “Training-needs survey” and the year.")

    def owner(self) -> tuple[int | None, int]:
        """(school id or None, district id) of the organiser chosen."""
        value = self.cleaned_data["organiser"]
        if value.startswith("d"):
            return None, int(value[1:])
        from core.models import School

        school = School.objects.get(pk=int(value[1:]))
        return school.pk, school.district_id
