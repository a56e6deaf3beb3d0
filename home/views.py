"""The home page: for each role the user holds, a to-do list of what to do next; below it,
for school staff and the district office, the backbone dashboard (tiers against targets)."""

from django.shortcuts import render
from django.utils import timezone

from backbone.selectors.planning import school_dashboard
from core import selectors

from .selectors import home_sections


def home(request):
    scope = request.user.scope
    sees_dashboard = scope.is_superuser or scope.is_school_staff or scope.is_district_office
    context = {
        "sections": home_sections(user=request.user),
        "dashboard": school_dashboard(user=request.user) if sees_dashboard else None,
        "schools": selectors.school_list(user=request.user) if scope.is_district_office else None,
        "today": timezone.localdate(),
    }
    return render(request, "home/home.html", context)
