"""The district overview: the district office's schools side by side (teachers, backbone
teachers per tier, duty completion, assessment grades, training hours, targets against actual),
each drilling down into that school's pages; exported to xlsx by a job."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.views.decorators.http import require_POST

from assessment.models import Grade
from backbone.selectors.planning import default_grade_year
from core.jobs import job_create
from core.kept import kept
from core.models import District, school_year_label, school_year_start

from ..overview import overview_charts, overview_rows
from ..yearly import YearlyReport, yearly_report


def get_district_for_user(user, pk=None) -> District:
    """The district office's district (or the one asked for), also read by the city office of
    the district's city; 404 for everyone else."""
    scope = user.scope
    if not (scope.is_superuser or scope.reads_districts):
        raise Http404
    districts = District.objects.order_by("code")
    if not scope.is_superuser:
        districts = districts.filter(pk__in=scope.readable_district_ids)
    if pk:
        try:
            districts = districts.filter(pk=int(pk))
        except (TypeError, ValueError):
            raise Http404 from None
    district = districts.first()
    if district is None:
        raise Http404
    return district


def overview_report(*, district: District, today=None) -> YearlyReport:
    """Live numbers: the current school year, and the grades of the latest annual assessment."""
    today = today or timezone.localdate()
    return yearly_report(
        year=school_year_start(today),
        district=district,
        grade_year=default_grade_year(today),
        today=today,
    )


# Counting a whole district (thousands of teachers, their duties, hours and pairings) takes
# about half a second: the page shows the numbers counted in the last few minutes (core.kept).
def cached_overview_report(*, district: District, refresh: bool = False):
    """(report, when it was counted): kept per district, day and language (the report holds
    translated names) a few minutes; ``refresh`` counts again."""
    today = timezone.localdate()
    key = f"district-overview:{district.pk}:{today}:{translation.get_language()}"
    return kept(key, lambda: overview_report(district=district, today=today), refresh=refresh)


def district_overview(request):
    district = get_district_for_user(request.user, request.GET.get("district"))
    report, counted_at = cached_overview_report(district=district, refresh="refresh" in request.GET)
    grades = list(reversed(Grade))
    rows, district_cells = overview_rows(report)
    context = {
        "district": district,
        "report": report,
        "counted_at": counted_at,
        "rows": rows,
        "district_cells": district_cells,
        "charts": overview_charts(report),
        "grades": grades,
        "grade_year_label": school_year_label(default_grade_year()),
        "other_districts": _other_districts(request.user, district),
    }
    return render(request, "documents/district/overview.html", context)


def _other_districts(user, district):
    if not user.is_superuser and len(user.scope.readable_district_ids) < 2:
        return []
    qs = District.objects.exclude(pk=district.pk).order_by("code")
    if not user.is_superuser:
        qs = qs.filter(pk__in=user.scope.readable_district_ids)
    return list(qs)


@require_POST
def district_export(request):
    district = get_district_for_user(request.user, request.POST.get("district"))
    job = job_create(
        kind="district_overview_xlsx",
        requested_by=request.user,
        params={"district": district.pk},
        district=district,
    )
    return redirect("job", pk=job.pk)


urlpatterns = [
    path("district/", district_overview, name="district"),
    path("district/export/", district_export, name="district_export"),
]
