"""The city overview: the city office's districts (区县) side by side, each drilling down into
that district's overview. Read only: a city office changes nothing of its districts."""

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone, translation

from assessment.models import Grade
from backbone.selectors.planning import default_grade_year
from core.kept import kept
from core.models import City, school_year_label, school_year_start

from ..city import city_charts, city_report, city_rows


def get_city_for_user(user, pk=None) -> City:
    """The city office's city (or the one asked for among its cities); 404 for everyone else."""
    scope = user.scope
    if not (scope.is_superuser or scope.is_city_office):
        raise Http404
    cities = City.objects.order_by("code")
    if not scope.is_superuser:
        cities = cities.filter(pk__in=scope.city_ids)
    if pk:
        try:
            cities = cities.filter(pk=int(pk))
        except (TypeError, ValueError):
            raise Http404 from None
    city = cities.first()
    if city is None:
        raise Http404
    return city


def cached_city_report(*, city: City, refresh: bool = False):
    """(report, when it was counted), kept per city, day and language like the district's."""
    today = timezone.localdate()
    key = f"city-overview:{city.pk}:{today}:{translation.get_language()}"

    def count():
        return city_report(
            city=city,
            year=school_year_start(today),
            grade_year=default_grade_year(today),
            today=today,
        )

    return kept(key, count, refresh=refresh)


def city_overview(request):
    city = get_city_for_user(request.user, request.GET.get("city"))
    report, counted_at = cached_city_report(city=city, refresh="refresh" in request.GET)
    rows, city_cells = city_rows(report)
    scope = request.user.scope
    others = City.objects.exclude(pk=city.pk).order_by("code")
    if not scope.is_superuser:
        others = others.filter(pk__in=scope.city_ids)
    context = {
        "city": city,
        "report": report,
        "counted_at": counted_at,
        "rows": rows,
        "city_cells": city_cells,
        "charts": city_charts(rows, report) if rows else [],
        "grades": list(reversed(Grade)),
        "city_grades": [report.total.grades[g.value] for g in reversed(Grade)],
        "grade_year_label": school_year_label(default_grade_year()),
        "other_cities": list(others),
    }
    return render(request, "documents/city/overview.html", context)


urlpatterns = [path("city/", city_overview, name="city")]
