"""The training office's compliance overview of mentoring pairings and its xlsx export.
Views are thin: scope, call mentoring.compliance, render."""

from django.http import Http404, QueryDict
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_POST

from core.job_files import list_export

from . import compliance, exports
from .compliance import Light
from .compliance.overview import OverviewFilter, overview_page
from .models import Pairing

PAGE_SIZE = 50


def _require_staff(user) -> None:
    """The overview is for school staff (principal, training office, committee) and the
    district office; anyone else, teachers included, gets a 404."""
    scope = user.scope
    if not (scope.is_superuser or scope.is_school_staff or scope.reads_districts):
        raise Http404


def overview(request):
    _require_staff(request.user)
    result = overview_page(
        user=request.user,
        data=request.GET,
        page=request.GET.get("page"),
        per_page=PAGE_SIZE,
        refresh="refresh" in request.GET,
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("refresh", None)
    light_query = query.copy()
    light_query.pop("light", None)
    context = {
        "filter": result.filter,
        "page": result.page,
        "counted_at": result.counted_at,
        "query": query.urlencode(),
        "light_query": light_query.urlencode(),
        "lights": [(light, result.counts[light]) for light in Light],
        "selected_light": request.GET.get("light", ""),
        "thresholds": {
            "green": compliance.GREEN_PERCENT,
            "amber": compliance.AMBER_PERCENT,
            "allowed": compliance.RECENT_MISSED_ALLOWED,
            "recent": compliance.RECENT_WEEKS,
        },
    }
    template = "mentoring/overview.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@require_POST
def overview_export(request):
    _require_staff(request.user)
    query = request.POST.get("query", "")
    filters = OverviewFilter(QueryDict(query), queryset=Pairing.objects.none(), user=request.user)
    return list_export(request, kind=exports.KIND, params={"query": query}, filters=filters.form)


urlpatterns = [
    path("overview/", overview, name="overview"),
    path("overview/export/", overview_export, name="overview_export"),
]
