"""What the teacher's duties expect, on the growth page (see teachers.profile): for a young
teacher who is not yet backbone, the duties of their growth stage this school year; for a
backbone teacher, those of their tier. The engine's own statuses."""

from django.utils import timezone

from core.models import school_year_label, school_year_start
from teachers.profile import profile_part

from .duties import duty_statuses


@profile_part(template="assessment/duties/_expectations.html", order=10, place="growth")
def expectations(request, teacher, page) -> dict:
    year = school_year_start(timezone.localdate())
    # The growth page has counted this year's hours already: the engine reads them, not again.
    hours = {teacher.pk: page["hours"]} if page.get("hours_year") == year else None
    statuses = duty_statuses(teachers=[teacher], year=year, hours=hours)[teacher.pk]
    template = statuses[0].template if statuses else None
    return {
        "expected": statuses,
        "expected_year_label": school_year_label(year),
        "expected_stage": template.get_stage_display() if template and template.stage else "",
        "expected_tier": template.tier.label if template and template.tier_id else "",
    }
