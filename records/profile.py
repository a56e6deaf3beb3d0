"""This year's growth on the teacher's page (see teachers.profile)."""

from django.utils import timezone

from core.models import school_year_start
from teachers.profile import profile_part

from .selectors.entries import growth_summary


@profile_part(template="records/growth/_summary.html", order=10)
def growth(request, teacher, page) -> dict:
    year = school_year_start(timezone.localdate())
    return {"growth": growth_summary(user=request.user, teacher=teacher, year=year)}
