"""What the district overview adds to the yearly report's numbers: each school's nearest
target per tier (the year it is set for, this year or later) and the schools side by side in
small charts drawn on the server (backbone share of staff, duty completion, training hours,
grades)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from assessment.models import Grade
from backbone.models import Target
from core.models import school_year_label

from .svg import percent_bars, stacked_bars
from .yearly import YearlyReport


def nearest_targets(report: YearlyReport) -> dict:
    """{(school id or None for the district, tier id): (count, year label)}: the first target
    set for the report's year or later. One query."""
    school_ids = [s.school.pk for s in report.schools]
    nearest = {}
    for school_id, tier_id, by_year, count in (
        Target.objects.filter(
            Q(school_id__in=school_ids) | Q(district=report.district), by_year__gte=report.year
        )
        .values_list("school_id", "tier_id", "by_year", "count")
        .order_by("by_year")
    ):
        nearest.setdefault(
            (school_id, tier_id), {"count": count, "year": school_year_label(by_year)}
        )
    return nearest


def overview_rows(report: YearlyReport) -> tuple[list[dict], list[dict]]:
    """(a row per school, the district's row): the yearly report's numbers with each tier's
    actual count against the nearest target."""
    targets = nearest_targets(report)

    def cells(school_id, counts):
        return [
            {"actual": actual, "target": targets.get((school_id, t.pk))}
            for t, actual in zip(report.tiers, counts, strict=True)
        ]

    rows = [{**row, "cells": cells(row["school"].pk, row["tiers"])} for row in report.school_rows()]
    district = cells(None, [report.total.backbone(t.pk) for t in report.tiers])
    return rows, district


def overview_charts(report: YearlyReport) -> list:
    """The schools side by side, one small chart per measure."""
    rows = report.school_rows()
    names = [r["school"].name for r in rows]

    def bars(title, key, color):
        return percent_bars(
            title=title, rows=list(zip(names, [r[key] for r in rows], strict=True)), color=color
        )

    return [
        bars(_("Backbone teachers, share of staff"), "backbone_percent", "#2f6fb3"),
        bars(_("Duties met"), "duty_percent", "#4c9a5b"),
        bars(
            _("Training hours met (%(total)s/%(school_based)s)")
            % {"total": report.hours_required, "school_based": report.hours_required_school_based},
            "hours_met_percent",
            "#e0a030",
        ),
        stacked_bars(
            title=_("Annual grades"),
            names=[str(g.label) for g in reversed(Grade)],
            rows=list(zip(names, [r["grades"] for r in rows], strict=True)),
        ),
    ]
