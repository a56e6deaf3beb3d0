"""Requesting the yearly review report (年度总结) of a school or a district, as PDF or xlsx:
the page creates a job and sends the user to its progress page."""

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core import job_files
from core.forms import Form
from core.jobs import job_create
from core.models import District, School, school_year_label, school_year_start

from ..yearly import yearly_report

FORMATS = {"pdf": "yearly_report", "xlsx": "yearly_report_xlsx"}


def _require_reader(user) -> None:
    scope = user.scope
    if not (scope.is_superuser or scope.is_school_staff or scope.reads_districts):
        raise Http404


def owner_choices(user) -> list[tuple[str, str]]:
    """The districts first, then every school the user sees."""
    return job_files.owner_choices(
        user, schools=user.scope.schools(), district_label=_("%(name)s (whole district)")
    )


def year_choices(today=None) -> list[tuple[int, str]]:
    current = school_year_start(today or timezone.localdate())
    return [(y, school_year_label(y)) for y in range(current, current - 6, -1)]


def default_year(today=None) -> int:
    """The school year just finished, unless the current one is nearly over (June–August)."""
    today = today or timezone.localdate()
    current = school_year_start(today)
    return current if today.month in (6, 7, 8) else current - 1


class YearlyReportForm(Form):
    owner = forms.ChoiceField(label=_("School or district"))
    year = forms.TypedChoiceField(label=_("School year"), coerce=int)
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("pdf", _("PDF with charts")), ("xlsx", _("Excel workbook"))],
        initial="pdf",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owner_choices(user)
        self.fields["year"].choices = year_choices()
        self.fields["year"].initial = default_year()

    def owner_params(self) -> dict:
        kind, pk = self.cleaned_data["owner"].split("=")
        return {kind: int(pk)}


def yearly_request(request):
    _require_reader(request.user)
    initial = {}
    if request.GET.get("district"):
        initial["owner"] = f"district={request.GET['district']}"
    elif request.GET.get("school"):
        initial["owner"] = f"school={request.GET['school']}"
    form = YearlyReportForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        params = {**form.owner_params(), "year": form.cleaned_data["year"]}
        params["label"] = _report_label(params, form.cleaned_data["format"])
        job = _create(request.user, form.cleaned_data["format"], params)
        return redirect("job", pk=job.pk)
    return render(request, "documents/yearly/request.html", {"form": form})


def _report_label(params: dict, fmt: str) -> str:
    """The request in words for My files: owner, school year and format."""
    owner = (
        School.objects.filter(pk=params.get("school")).first()
        or District.objects.filter(pk=params.get("district")).first()
    )
    year = _("School year %(year)s") % {"year": school_year_label(params["year"])}
    return " · ".join(p for p in (owner.name if owner else "", year, fmt.upper()) if p)


def _create(user, fmt: str, params: dict):
    """The job of the request, or the user's finished one over the same numbers: the report
    is computed here (a fixed number of queries, no drawing) to fingerprint what it holds."""
    # The choices already limit the owner to the user's scope; the job checks it again.
    school = School.objects.select_related("district").filter(pk=params.get("school")).first()
    district = District.objects.filter(pk=params.get("district")).first()
    kind = FORMATS[fmt]
    report = yearly_report(year=params["year"], school=school, district=district)
    fingerprint = report.fingerprint(
        kind=kind,
        language=translation.get_language() or "zh-hans",
        printed_on=report.today if fmt == "pdf" else None,  # the PDF prints the date
    )
    return job_create(
        kind=kind,
        requested_by=user,
        params=params,
        school=school,
        district=district,
        fingerprint=fingerprint,
    )


urlpatterns = [path("yearly/", yearly_request, name="yearly")]
