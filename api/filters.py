"""Query parameters of the read endpoints. Unknown or malformed values answer 400 with the
parameter named; ids of schools the user cannot see simply match nothing."""

import datetime

import django_filters as filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from assessment.models import AssessmentEntry
from backbone.models import Designation
from core.models import School
from records.models import Kind, Record, Training
from teachers.models import Teacher

from .bureau.sources import BUREAU_PREFIX

MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    """An id: a whole number a database id can hold (a larger one is a 400, not a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1900, "maximum": 2999})
class YearFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2999)
        kwargs.setdefault("help_text", _("School year, by the year it starts (2025 = 2025–2026)."))
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "pattern": "^[^\\u0000]*$"})
class TextFilter(filters.CharFilter):
    """Text matched exactly; any length (a longer one matches nothing). A NUL character, which
    the database cannot compare, is refused (400), as the schema says."""


class UtcDateTimeField(filters.fields.IsoDateTimeField):
    """An ISO 8601 time, in UTC: an offset the database refuses (+19:34) or a time beyond
    year 9999 once shifted is a 400, not a 500."""

    def clean(self, value):
        moment = super().clean(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError(_("This time is out of range.")) from None


class UpdatedSince(filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "updated_at")
        kwargs.setdefault("lookup_expr", "gte")
        kwargs.setdefault("help_text", _("Only items changed at or after this ISO 8601 time."))
        super().__init__(*args, **kwargs)


class SchoolFilter(filters.FilterSet):
    district = IdFilter(field_name="district_id")

    class Meta:
        model = School
        fields = ["district"]


class TeacherFilter(filters.FilterSet):
    school = IdFilter(field_name="school_id")
    staff_no = TextFilter()
    is_active = filters.BooleanFilter()
    updated_since = UpdatedSince()

    class Meta:
        model = Teacher
        fields = ["school", "staff_no", "is_active", "updated_since"]


class DesignationFilter(filters.FilterSet):
    school = IdFilter(field_name="teacher__school_id")
    teacher = IdFilter(field_name="teacher_id")
    tier = TextFilter(field_name="tier__code")
    status = filters.ChoiceFilter(choices=Designation.Status.choices)
    year = YearFilter(method="in_term", help_text=_("Designations whose term covers this year."))

    class Meta:
        model = Designation
        fields = ["school", "teacher", "tier", "status", "year"]

    def in_term(self, queryset, name, value):
        return queryset.filter(first_year__lte=value, last_year__gte=value)


class RecordFilter(filters.FilterSet):
    school = IdFilter(field_name="teacher__school_id")
    teacher = IdFilter(field_name="teacher_id")
    kind = filters.ChoiceFilter(choices=Kind.choices)
    year = YearFilter()
    updated_since = UpdatedSince()

    class Meta:
        model = Record
        fields = ["school", "teacher", "kind", "year", "updated_since"]


class HoursFilter(filters.FilterSet):
    school = IdFilter(field_name="teacher__school_id")
    teacher = IdFilter(field_name="teacher_id")
    year = YearFilter()
    credited_from = filters.ChoiceFilter(
        method="by_source",
        choices=[("own", "own"), ("register", "register"), ("bureau", "bureau")],
        help_text=_("own: logged by the teacher; register: a session; bureau: the platform."),
    )
    updated_since = UpdatedSince()

    class Meta:
        model = Training
        fields = ["school", "teacher", "year", "credited_from", "updated_since"]

    def by_source(self, queryset, name, value):
        if value == "own":
            return queryset.filter(source="")
        prefix = BUREAU_PREFIX if value == "bureau" else "training-session:"
        return queryset.filter(source__startswith=prefix)


class ResultFilter(filters.FilterSet):
    school = IdFilter(field_name="round__school_id")
    round = IdFilter(field_name="round_id")
    teacher = IdFilter(field_name="teacher_id")
    year = YearFilter(field_name="round__year")

    class Meta:
        model = AssessmentEntry
        fields = ["school", "round", "teacher", "year"]
