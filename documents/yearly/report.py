"""A yearly review as the documents read it: its rows, the duty grid and the written summary."""

import datetime
import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext_lazy as _

from assessment.models import DutyKind, Grade
from backbone.models import Tier
from core.models import District, School, school_year_label
from records.hours import hours_text, required_school_based, required_total

from .figures import LIGHTS, ROSTER_FIELDS, SchoolYearly, hour_buckets


@dataclass
class YearlyReport:
    year: int
    school: School | None
    district: District
    tiers: list[Tier]
    schools: list[SchoolYearly]
    total: SchoolYearly
    today: datetime.date
    district_targets: bool = False
    # The teaching-research groups' year (groups.summary.year_group_rows).
    groups: list[dict] = field(default_factory=list)

    @property
    def year_label(self) -> str:
        return school_year_label(self.year)

    @property
    def hours_required(self) -> str:
        """The configured requirement, for the texts: 72 unless set otherwise."""
        return hours_text(required_total())

    @property
    def hours_required_school_based(self) -> str:
        return hours_text(required_school_based())

    @property
    def owner_name(self) -> str:
        return self.school.name if self.school else self.district.name

    @property
    def is_district(self) -> bool:
        return self.school is None

    def fingerprint(self, *, kind: str, language: str, printed_on=None) -> str:
        """A hash of every number and name the report holds: the same request over unchanged
        data gets the same fingerprint, and so the stored file (``core.jobs.job_create``).
        ``printed_on``: the date a PDF prints on its first page."""
        payload = [
            kind,
            language,
            printed_on,
            self.year,
            self.school.pk if self.school else None,
            [self.district.pk, self.district.name],
            self.district_targets,
            [[t.pk, t.name, t.name_en, t.level] for t in self.tiers],
            [_plain_yearly(s) for s in [*self.schools, self.total]],
            self.groups,
        ]
        text = json.dumps(payload, default=str, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    # -- tables, as lists of rows the PDF, the xlsx and the pages share ---------------------
    def roster_rows(self) -> list[dict]:
        return [
            {"tier": t, **{f: self.total.roster.get(t.pk, Counter())[f] for f in ROSTER_FIELDS}}
            for t in self.tiers
        ]

    def duty_rows(self) -> list[dict]:
        tiers = {t.pk: t for t in self.tiers}
        order = {k: i for i, k in enumerate(DutyKind.values)}
        rows = []
        for (tier_id, kind), c in sorted(
            self.total.duties.items(),
            key=lambda item: (
                tiers[item[0][0]].level if item[0][0] in tiers else 0,
                order[item[0][1]],
            ),
        ):
            rows.append(
                {
                    "tier": tiers.get(tier_id),
                    "duty": DutyKind(kind).label,
                    "met": c["met"],
                    "total": c["total"],
                    "percent": round(100 * c["met"] / c["total"]) if c["total"] else 0,
                }
            )
        return rows

    def duty_matrix(self) -> dict:
        """The duty completion as one row per duty and one column per tier (not a row per
        tier and duty, which repeats the tier down the page)."""
        rows = self.duty_rows()
        tiers = []
        for r in rows:
            if r["tier"] not in tiers:
                tiers.append(r["tier"])
        duties: dict[str, dict] = {}
        for r in rows:
            duties.setdefault(r["duty"], {})[r["tier"]] = r
        return {
            "tiers": tiers,
            "rows": [
                {"duty": duty, "cells": [cells.get(t) for t in tiers]}
                for duty, cells in duties.items()
            ],
        }

    def summary(self) -> str:
        """The written paragraph of the report, from its own numbers."""
        t = self.total
        duty = t.duty_percent
        parts = [
            _(
                "In the school year %(year)s, %(owner)s had %(teachers)s teachers on staff and "
                "%(backbone)s backbone teachers at the end of the year."
            )
            % {
                "year": self.year_label,
                "owner": self.owner_name,
                "teachers": t.teachers,
                "backbone": t.backbone_total,
            }
        ]
        if duty is not None:
            parts.append(_("Backbone duties were %(percent)s%% complete.") % {"percent": duty})
        if t.teachers:
            parts.append(
                _("%(met)s of %(n)s teachers met the %(hours)s-hour training requirement.")
                % {"met": t.hours_met, "n": t.teachers, "hours": self.hours_required}
            )
        if t.graded:
            parts.append(
                _("Of %(n)s annual grades: %(excellent)s excellent, %(failed)s unqualified.")
                % {
                    "n": t.graded,
                    "excellent": t.grades[Grade.EXCELLENT],
                    "failed": t.grades[Grade.UNQUALIFIED],
                }
            )
        short = [
            f"{r['tier'].label} {r['actual']}/{r['target']}"
            for r in self.target_rows()
            if r["target"] and r["actual"] < r["target"]
        ]
        if short:
            parts.append(_("Targets not yet reached: %(list)s.") % {"list": _("; ").join(short)})
        parts.append(
            _("%(recommended)s teachers are recommended for a higher tier, %(flagged)s flagged.")
            % {"recommended": len(t.recommended), "flagged": len(t.flagged)}
        )
        return " ".join(str(p) for p in parts)

    def grade_rows(self) -> list[dict]:
        total = self.total.graded
        return [
            {
                "grade": g.label,
                "count": self.total.grades[g.value],
                "percent": round(100 * self.total.grades[g.value] / total) if total else 0,
            }
            for g in reversed(Grade)
        ]

    def hour_rows(self) -> list[dict]:
        n = self.total.teachers
        return [
            {
                "bucket": label,
                "count": self.total.hours[i],
                "percent": round(100 * self.total.hours[i] / n) if n else 0,
            }
            for i, (_bound, label) in enumerate(hour_buckets())
        ]

    def group_rows(self) -> list[dict]:
        return self.groups

    def compliance_rows(self) -> list[dict]:
        return [{"light": light.label, "count": self.total.compliance[light]} for light in LIGHTS]

    def school_rows(self) -> list[dict]:
        """One row per school of a district, in the order of ``tiers`` and of the grades from
        excellent down: what the overview, the PDF and the xlsx show side by side."""
        return [
            {
                "school": s.school,
                "teachers": s.teachers,
                "tiers": [s.backbone(t.pk) for t in self.tiers],
                "backbone": s.backbone_total,
                "backbone_percent": s.backbone_percent,
                "duty_percent": s.duty_percent,
                "grades": [s.grades[g.value] for g in reversed(Grade)],
                "graded": s.graded,
                "hours_met_percent": s.hours_met_percent,
                "targets": [(s.backbone(t.pk), s.targets.get(t.pk)) for t in self.tiers],
            }
            for s in self.schools
        ]

    def target_rows(self) -> list[dict]:
        rows = []
        for t in self.tiers:
            target = self.total.targets.get(t.pk)
            actual = self.total.backbone(t.pk)
            rows.append(
                {
                    "tier": t,
                    "target": target,
                    "actual": actual,
                    "percent": min(100, round(100 * actual / target)) if target else None,
                    "by": school_year_label(self.total.target_by[t.pk])
                    if t.pk in self.total.target_by
                    else "",
                }
            )
        return rows


def _plain(value):
    """Counters and dicts (some keyed by tuples) as sorted lists, for a stable JSON dump."""
    if isinstance(value, dict):
        return sorted(([_plain(k), _plain(v)] for k, v in value.items()), key=str)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _plain_yearly(s: SchoolYearly) -> list:
    school = [s.school.pk, s.school.code, s.school.name] if s.school else None
    people = [[asdict(p) for p in s.recommended], [asdict(p) for p in s.flagged]]
    counts = [s.roster, s.duties, s.grades, s.hours, s.compliance, s.targets, s.target_by]
    return [school, s.teachers, s.hours_met, *(_plain(c) for c in counts), people]
