"""The home page: what each role sees first after signing in, built from the apps below."""

from django.shortcuts import render
from django.utils import timezone

from backbone.selectors.planning import school_dashboard
from core import selectors
from teachers.selectors import teacher_counts_for_home


def home(request):
    scope = request.user.scope
    sees_dashboard = scope.is_superuser or scope.is_school_staff or scope.is_district_office
    context = {
        "dashboard": school_dashboard(user=request.user) if sees_dashboard else None,
        "schools": selectors.school_list(user=request.user) if scope.is_district_office else None,
        "counts": teacher_counts_for_home(user=request.user),
        "today": timezone.localdate(),
        "recent_jobs": selectors.job_list(user=request.user)[:5],
    }
    return render(request, "home/home.html", context)
