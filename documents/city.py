"""The city overview: the districts of a city side by side (teachers, backbone teachers per
tier, duty completion, grades, training hours, targets). One run of the yearly report's engine
over every school of the city, added up per district, so the page costs the same number of
queries however many districts and schools the city has."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from assessment.models import Grade
from backbone.models import Target, Tier
from core.models import City, District, School, school_year_label

from .svg import percent_bars, stacked_bars
from .yearly import SchoolYearly, yearly_report


@dataclass
class TierColumn:
    """The tiers of the same code across the districts (each district has its own rows)."""

    code: str
    label: str
    level: int
    ids: dict  # district id -> tier id


@dataclass
class CityReport:
    city: City
    year: int
    today: datetime.date
    districts: list[District]
    columns: list[TierColumn]
    per_district: dict  # district id -> SchoolYearly (its schools added up)
    total: SchoolYearly
    targets: dict  # (district id, tier id) -> {"count", "year"}

    @property
    def year_label(self) -> str:
        return school_year_label(self.year)


def city_report(*, city: City, year: int, grade_year: int, today: datetime.date) -> CityReport:
    districts = list(District.objects.filter(city=city).order_by("code"))
    schools = list(
        School.objects.filter(district__city=city)
        .select_related("district")
        .order_by("district__code", "code")
    )
    per_district = {d.pk: SchoolYearly(school=None) for d in districts}
    total = SchoolYearly(school=None)
    if schools:
        report = yearly_report(
            year=year, district=districts[0], schools=schools, grade_year=grade_year, today=today
        )
        school_district = {s.pk: s.district_id for s in schools}
        for entry in report.schools:
            per_district[school_district[entry.school.pk]].add(entry)
            total.add(entry)
    return CityReport(
        city=city,
        year=year,
        today=today,
        districts=districts,
        columns=_columns(districts),
        per_district=per_district,
        total=total,
        targets=_district_targets(districts, year),
    )


def _columns(districts: list[District]) -> list[TierColumn]:
    columns: dict[str, TierColumn] = {}
    for tier in Tier.objects.filter(district__in=districts, kind=Tier.Kind.TIER).order_by(
        "level", "district__code"
    ):
        column = columns.setdefault(
            tier.code, TierColumn(code=tier.code, label=tier.label, level=tier.level, ids={})
        )
        column.ids[tier.district_id] = tier.pk
    return sorted(columns.values(), key=lambda c: c.level)


def _district_targets(districts: list[District], year: int) -> dict:
    """The district's own nearest target per tier (as the district overview reads them)."""
    nearest = {}
    for district_id, tier_id, by_year, count in (
        Target.objects.filter(Q(school__isnull=True), district__in=districts, by_year__gte=year)
        .values_list("district_id", "tier_id", "by_year", "count")
        .order_by("by_year")
    ):
        nearest.setdefault(
            (district_id, tier_id), {"count": count, "year": school_year_label(by_year)}
        )
    return nearest


def city_rows(report: CityReport) -> tuple[list[dict], list[dict]]:
    """(a row per district, the city's cells): the overview's row shape, per district."""
    rows = []
    for district in report.districts:
        d = report.per_district[district.pk]
        cells = []
        for column in report.columns:
            tier_id = column.ids.get(district.pk)
            cells.append(
                {
                    "actual": d.backbone(tier_id) if tier_id else 0,
                    "target": report.targets.get((district.pk, tier_id)),
                }
            )
        rows.append(
            {
                "district": district,
                "teachers": d.teachers,
                "cells": cells,
                "backbone": d.backbone_total,
                "backbone_percent": d.backbone_percent,
                "duty_percent": d.duty_percent,
                "grades": [d.grades[g.value] for g in reversed(Grade)],
                "hours_met_percent": d.hours_met_percent,
            }
        )
    city_cells = []
    for i, column in enumerate(report.columns):
        targets = [report.targets.get((d.pk, t)) for d, t in _pairs(report, column)]
        counts = [t["count"] for t in targets if t]
        city_cells.append(
            {
                "actual": sum(r["cells"][i]["actual"] for r in rows),
                "target": {"count": sum(counts), "year": ""} if counts else None,
            }
        )
    return rows, city_cells


def _pairs(report: CityReport, column: TierColumn):
    return [(d, column.ids[d.pk]) for d in report.districts if d.pk in column.ids]


def city_charts(rows: list[dict], report: CityReport) -> list:
    names = [r["district"].name for r in rows]

    def bars(title, key, color):
        return percent_bars(
            title=title, rows=list(zip(names, [r[key] for r in rows], strict=True)), color=color
        )

    return [
        bars(_("Backbone teachers, share of staff"), "backbone_percent", "#2f6fb3"),
        bars(_("Duties met"), "duty_percent", "#4c9a5b"),
        bars(_("Training hours met"), "hours_met_percent", "#e0a030"),
        stacked_bars(
            title=_("Annual grades"),
            names=[str(g.label) for g in reversed(Grade)],
            rows=list(zip(names, [r["grades"] for r in rows], strict=True)),
        ),
    ]
