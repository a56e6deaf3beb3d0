"""Growth stages of teachers by completed years of teaching (DOMAIN.md), and the date
arithmetic that lets the database filter by stage."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class GrowthStage(models.TextChoices):
    ADAPTATION = "adaptation", _("Adaptation (适应期)")
    STABLE = "stable", _("Stable (稳定期)")
    INNOVATION = "innovation", _("Innovation (创新期)")
    YOUNG_BACKBONE = "young_backbone", _("Young-backbone training (青年骨干培养期)")
    EXCELLENCE = "excellence", _("Backbone excellence (骨干优秀期)")


def completed_years(start: datetime.date, today: datetime.date) -> int:
    """Whole years from ``start`` to ``today``: 0 during the first year."""
    return today.year - start.year - ((today.month, today.day) < (start.month, start.day))


def years_ago(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def stage_bounds(district) -> list[tuple[str, int, int | None]]:
    """(stage, from_years, until_years) with until exclusive, from the district's thresholds."""
    cuts = [
        0,
        district.stage_stable_from,
        district.stage_innovation_from,
        district.stage_young_backbone_from,
        district.stage_excellence_from,
    ]
    stages = list(GrowthStage.values)
    return [
        (stage, cuts[i], cuts[i + 1] if i + 1 < len(cuts) else None)
        for i, stage in enumerate(stages)
    ]


def stage_for_years(years: int, district) -> str:
    for stage, low, high in stage_bounds(district):
        if years >= low and (high is None or years < high):
            return stage
    return GrowthStage.ADAPTATION


def career_start_range(
    stage: str, district, today: datetime.date
) -> tuple[datetime.date | None, datetime.date | None]:
    """The career-start dates (after, up to and including) that put a teacher in ``stage``.
    None means unbounded; a start in the future counts as the first stage."""
    for name, low, high in stage_bounds(district):
        if name == stage:
            latest = years_ago(today, low) if low > 0 else None
            earliest_excluded = years_ago(today, high) if high is not None else None
            return earliest_excluded, latest
    raise ValueError(stage)
